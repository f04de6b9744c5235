import { Response } from "@ferry/core";
import { describe, expect, it } from "vitest";
import { startElapsed } from "../src/response.js";

const chunk = new Uint8Array([1, 2, 3]);

/** A body stream readable both ways that records its `close()` calls. */
function streamOf(closed: string[]) {
  return {
    *[Symbol.iterator]() {
      yield chunk;
    },
    async *[Symbol.asyncIterator]() {
      yield chunk;
    },
    close() {
      closed.push("closed");
    },
  };
}

describe("startElapsed", () => {
  it("runs the clock until the body has been read to its end", async () => {
    const response = new Response(200, { stream: streamOf([]) });
    startElapsed(response, performance.now() - 50);
    expect(() => response.elapsed).toThrow(/elapsed/);
    expect(await response.read()).toEqual(chunk);
    expect(response.elapsed).toBeGreaterThanOrEqual(50);
  });

  it("stops the clock on the first close, before the stream's own close", async () => {
    const closed: string[] = [];
    const response = new Response(200, { stream: streamOf(closed) });
    startElapsed(response, performance.now() - 50);
    await response.close();
    const elapsed = response.elapsed;
    expect(elapsed).toBeGreaterThanOrEqual(50);
    await response.close();
    expect(response.elapsed).toBe(elapsed);
    expect(closed).toEqual(["closed"]);
  });

  it("stops the clock when a synchronous read ends", () => {
    const response = new Response(200, { stream: streamOf([]) });
    startElapsed(response, performance.now() - 50);
    expect(response.readSync()).toEqual(chunk);
    expect(response.elapsed).toBeGreaterThanOrEqual(50);
  });

  it("keeps timing the body when a hook replaces the response's stream", async () => {
    const closed: string[] = [];
    const response = new Response(200, { stream: streamOf([]) });
    startElapsed(response, performance.now() - 50);
    response.stream = streamOf(closed);
    await response.read();
    expect(response.elapsed).toBeGreaterThanOrEqual(50);
    expect(closed).toEqual(["closed"]);
  });

  it("stops the clock at once for a body already in memory", () => {
    const response = new Response(200, { content: "in memory" });
    startElapsed(response, performance.now() - 50);
    expect(response.elapsed).toBeGreaterThanOrEqual(50);
  });

  it("leaves the clock of a response no client sent unstarted", async () => {
    const response = new Response(200, { stream: streamOf([]) });
    await response.read();
    expect(() => response.elapsed).toThrow(/elapsed/);
  });
});

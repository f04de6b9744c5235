import { Response } from "@ferry/core";
import { describe, expect, it } from "vitest";
import { bindElapsed } from "../../src/client/elapsed.js";
import { isAsyncByteStream, isSyncByteStream } from "../../src/streams.js";

const chunk = new Uint8Array([1, 2, 3]);

function* syncChunks(): Generator<Uint8Array> {
  yield chunk;
}

async function* asyncChunks(): AsyncGenerator<Uint8Array> {
  yield chunk;
}

function streamOf(kind: "sync" | "async" | "both", closed: string[]) {
  const close = () => {
    closed.push(kind);
  };
  if (kind === "sync") return { [Symbol.iterator]: syncChunks, close };
  if (kind === "async") return { [Symbol.asyncIterator]: asyncChunks, close };
  return { [Symbol.iterator]: syncChunks, [Symbol.asyncIterator]: asyncChunks, close };
}

describe("bindElapsed", () => {
  it.each([
    ["sync", true, false],
    ["async", false, true],
    ["both", true, true],
  ] as const)("keeps a %s stream readable the same ways", (kind, sync, async) => {
    const response = new Response(200, { stream: streamOf(kind, []) });
    bindElapsed(response, performance.now());
    expect(isSyncByteStream(response.stream)).toBe(sync);
    expect(isAsyncByteStream(response.stream)).toBe(async);
  });

  it("stops the clock on the first close and closes the source every time", async () => {
    const closed: string[] = [];
    const response = new Response(200, { stream: streamOf("async", closed) });
    bindElapsed(response, performance.now() - 50);
    expect(() => response.elapsed).toThrow(/elapsed/);
    await response.stream.close?.();
    const elapsed = response.elapsed;
    expect(elapsed).toBeGreaterThanOrEqual(50);
    await response.stream.close?.();
    expect(response.elapsed).toBe(elapsed);
    expect(closed).toEqual(["async", "async"]);
  });

  it("reads through to the source", async () => {
    const response = new Response(200, { stream: streamOf("both", []) });
    bindElapsed(response, performance.now());
    expect([...(response.stream as Iterable<Uint8Array>)]).toEqual([chunk]);
    expect(await response.read()).toEqual(chunk);
    expect(response.elapsed).toBeGreaterThanOrEqual(0);
  });

  it("stops the clock at once for a body already in memory", () => {
    const response = new Response(200, { content: "in memory" });
    bindElapsed(response, performance.now());
    expect(response.elapsed).toBeGreaterThanOrEqual(0);
  });
});

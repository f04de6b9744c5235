import { ConnectTimeout, ReadTimeout, TimeoutException, WriteTimeout } from "@ferry/core";
import { startHttpServer } from "@ferry/test-servers";
import { FetchTransport } from "@ferry/transport-fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chunks, pendingTimers, readText, signal, timedRequest } from "./helpers.js";

const transport = new FetchTransport();
let timersBefore = 0;

beforeEach(() => {
  timersBefore = pendingTimers();
});

afterEach(() => {
  // An aborted or finished exchange leaves no timer behind.
  expect(pendingTimers()).toBeLessThanOrEqual(timersBefore);
});

/** A `fetch` that never connects: it waits for the abort, without pulling the request body. */
async function neverConnects(_input: string, init: RequestInit): Promise<globalThis.Response> {
  const abortSignal = init.signal!;
  return new Promise((_, reject) => {
    abortSignal.addEventListener("abort", () => reject(abortSignal.reason), { once: true });
  });
}

describe("FetchTransport timeouts", () => {
  it("raises ReadTimeout when the response headers do not come (connect + read budget)", async () => {
    await using server = await startHttpServer(() => {});
    const request = timedRequest("GET", server.url, { connect: 50, read: 100 });
    const started = performance.now();
    const error = await transport.handleRequest(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadTimeout);
    expect((error as ReadTimeout).request).toBe(request);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("raises ReadTimeout when a body chunk does not come in time", async () => {
    await using server = await startHttpServer((_req, res) => {
      res.writeHead(200);
      res.write("first");
    });
    const response = await transport.handleRequest(timedRequest("GET", server.url, { read: 100 }));
    const received: string[] = [];
    const reading = (async () => {
      for await (const chunk of response.stream as AsyncIterable<Uint8Array>) {
        received.push(new TextDecoder().decode(chunk));
      }
    })();
    await expect(reading).rejects.toThrow(ReadTimeout);
    expect(received).toEqual(["first"]);
  });

  it("resets the read timeout at every chunk", async () => {
    await using server = await startHttpServer(async (_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 4; i++) {
        res.write(`${i}`);
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      res.end();
    });
    const response = await transport.handleRequest(timedRequest("GET", server.url, { read: 150 }));
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe("0123");
  });

  it("raises WriteTimeout when a streamed upload stalls", async () => {
    await using server = await startHttpServer((req) => req.pause());
    // 256 MiB offered in 64 KiB chunks: far more than the socket buffers take before the server reads.
    const request = timedRequest("POST", server.url, { write: 200 }, { content: chunks(4096, 65536) });
    await expect(transport.handleRequest(request)).rejects.toThrow(WriteTimeout);
  });

  it("raises ReadTimeout when the response to a streamed upload does not come", async () => {
    await using server = await startHttpServer(async (req) => {
      for await (const _ of req);
    });
    const request = timedRequest("POST", server.url, { read: 100, write: 1000 }, { content: chunks(2, 10) });
    await expect(transport.handleRequest(request)).rejects.toThrow(ReadTimeout);
  });

  it("raises ConnectTimeout when fetch takes no part of a streamed body in time", async () => {
    const stuck = new FetchTransport({ fetch: neverConnects });
    const request = timedRequest("POST", "http://127.0.0.1:9/", { connect: 50 }, { content: chunks(1, 10) });
    const error = await stuck.handleRequest(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectTimeout);
    expect(error).toBeInstanceOf(TimeoutException);
    expect((error as Error).message).toContain("connecting to http://127.0.0.1:9/");
  });

  it("allows connect + read for the response headers", async () => {
    await using server = await startHttpServer(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res.end("in time");
    });
    const response = await transport.handleRequest(
      timedRequest("GET", server.url, { connect: 300, read: 100 }),
    );
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe("in time");
  });

  it("gives fetch an abort signal only when a timer may have to stop it before the response", async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const recording = async (_input: string, init: RequestInit): Promise<globalThis.Response> => {
      signals.push(init.signal ?? undefined);
      return new globalThis.Response("");
    };
    const recorder = new FetchTransport({ fetch: recording });
    const url = "http://example.com/";
    for (const timeout of [{}, { connect: 100 }, { read: 100 }, { connect: 100, read: 100 }]) {
      await recorder.handleRequest(timedRequest("GET", url, timeout));
    }
    await recorder.handleRequest(timedRequest("POST", url, { write: 100 }, { content: chunks(1, 1) }));
    await recorder.handleRequest(timedRequest("POST", url, {}, { content: chunks(1, 1) }));
    expect(signals.map((s) => s instanceof AbortSignal)).toEqual([false, false, true, true, true, false]);
  });

  it("applies no timeout when the phase has none", async () => {
    const arrived = signal();
    await using server = await startHttpServer(async (_req, res) => {
      await arrived.promise;
      res.end("late");
    });
    const pending = transport.handleRequest(timedRequest("GET", server.url, {}));
    setTimeout(() => arrived.resolve(), 100);
    const response = await pending;
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe("late");
  });

  it.each([
    ["with a read timeout", { read: 10_000 }],
    ["without timeouts, so without an abort signal", {}],
  ])("stops the exchange, and its timer, when the body is closed early %s", async (_, timeout) => {
    const closed = signal();
    await using server = await startHttpServer((req, res) => {
      res.writeHead(200);
      res.write("partial");
      req.socket.on("close", () => closed.resolve());
    });
    const response = await transport.handleRequest(timedRequest("GET", server.url, timeout));
    const iterator = (response.stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    await closed.promise;
  });
});

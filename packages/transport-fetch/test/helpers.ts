import { Request, type RequestOptions, type TimeoutExtension } from "@ferry/core";

/** A request carrying the given per-phase timeouts (milliseconds; unspecified phases have none). */
export function timedRequest(
  method: string,
  url: string,
  timeout: Partial<TimeoutExtension>,
  options: RequestOptions = {},
): Request {
  const extension: TimeoutExtension = { connect: null, read: null, write: null, pool: null, ...timeout };
  return new Request(method, url, { ...options, extensions: { timeout: extension } });
}

/** A promise with its resolver, to hand control between a test server and the test. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** How many timers the process has pending (Node's own count, so a leaked `setTimeout` shows). */
export function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;
}

/** Reads a stream of bytes to its end and decodes it as UTF-8. */
export async function readText(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** An async iterable that yields `count` chunks of `size` bytes, lazily. */
export async function* chunks(count: number, size: number): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(size).fill(120);
  for (let i = 0; i < count; i++) yield chunk;
}

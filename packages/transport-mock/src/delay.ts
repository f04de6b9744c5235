/**
 * Waiting before a mocked answer, the way a slow server makes the client wait: a delay longer than the request's
 * read timeout ends in `ReadTimeout`, as it would on a network.
 *
 * @module
 */
import { ReadTimeout, type Request } from "@ferry/core";

/** The read timeout of the request (ms), `null` when it has none. */
function readTimeout(request: Request): number | null {
  const timeout = request.extensions["timeout"];
  if (timeout === null || typeof timeout !== "object") return null;
  const read = (timeout as { read?: unknown }).read;
  return typeof read === "number" ? read : null;
}

/** How long to wait, and whether the wait ends in a timeout. */
function plan(milliseconds: number, request: Request): [wait: number, timesOut: boolean] {
  const limit = readTimeout(request);
  return limit !== null && limit < milliseconds ? [limit, true] : [milliseconds, false];
}

function timeoutError(request: Request, limit: number): ReadTimeout {
  return new ReadTimeout(`Timed out after ${limit} ms waiting for the mocked response.`, { request });
}

/**
 * Waits `milliseconds`, or the request's read timeout if that is shorter.
 *
 * @throws ReadTimeout when the read timeout is shorter than the delay.
 */
export async function delay(milliseconds: number, request: Request): Promise<void> {
  if (milliseconds <= 0) return;
  const [wait, timesOut] = plan(milliseconds, request);
  await new Promise((resolve) => setTimeout(resolve, wait));
  if (timesOut) throw timeoutError(request, wait);
}

let sleeper: Int32Array | undefined;

/**
 * Blocks the calling thread for `milliseconds` (or the read timeout), for a `SyncClient`.
 *
 * @throws ReadTimeout when the read timeout is shorter than the delay.
 */
export function delaySync(milliseconds: number, request: Request): void {
  if (milliseconds <= 0) return;
  const [wait, timesOut] = plan(milliseconds, request);
  try {
    sleeper ??= new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(sleeper, 0, 0, wait);
  } catch {
    // Where a thread may not block on Atomics (a browser's main thread), spinning is the only way to wait.
    const end = Date.now() + wait;
    while (Date.now() < end) {
      // Waiting.
    }
  }
  if (timesOut) throw timeoutError(request, wait);
}

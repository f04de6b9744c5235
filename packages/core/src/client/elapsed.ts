/**
 * `response.elapsed`: the time from sending a request to the end of its response body.
 *
 * @module
 */
import type { Response } from "../response.js";
import {
  type AsyncByteStream,
  type ByteStream,
  isAsyncByteStream,
  isSyncByteStream,
  type SyncByteStream,
} from "../streams.js";

/**
 * Starts `response`'s clock at `start` (a `performance.now()` reading). The response closes its stream when the
 * body has been read to the end, and when it is closed early, so `elapsed` is set on the stream's `close()`. A
 * body that was in memory from the start stops the clock now.
 */
export function bindElapsed(response: Response, start: number): void {
  if (response.isClosed) {
    response.elapsed = performance.now() - start;
    return;
  }
  response.stream = timedStream(response.stream, () => {
    response.elapsed = performance.now() - start;
  });
}

/** `source`, with `stop` called on its first `close()`; iterating it iterates `source`. */
function timedStream(source: ByteStream, stop: () => void): ByteStream {
  let stopped = false;
  const stream: Partial<AsyncByteStream & SyncByteStream> & { close(): void | Promise<void> } = {
    close: () => {
      if (!stopped) {
        stopped = true;
        stop();
      }
      return source.close?.();
    },
  };
  if (isAsyncByteStream(source)) stream[Symbol.asyncIterator] = () => source[Symbol.asyncIterator]();
  if (isSyncByteStream(source)) stream[Symbol.iterator] = () => source[Symbol.iterator]();
  return stream as ByteStream;
}

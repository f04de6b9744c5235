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
  const source = response.stream;
  if (!isAsyncByteStream(source)) {
    response.stream = new TimedSyncStream(source as SyncByteStream, response, start);
  } else if (isSyncByteStream(source)) {
    response.stream = new TimedDualStream(source, response, start);
  } else {
    response.stream = new TimedAsyncStream(source, response, start);
  }
}

/**
 * A response's stream that stops the response's clock on its first `close()`; iterating it iterates the source.
 * Classes rather than an object literal with closures over the response: those closures kept responses alive
 * through V8's young-generation collections, so V8 began allocating them in the old generation (allocation-site
 * pretenuring), and garbage collection took a sixth of the client's time on small requests.
 */
abstract class TimedStream<S extends ByteStream> {
  protected readonly source: S;
  #response: Response | null;
  readonly #start: number;

  constructor(source: S, response: Response, start: number) {
    this.source = source;
    this.#response = response;
    this.#start = start;
  }

  close(): void | Promise<void> {
    const response = this.#response;
    if (response !== null) {
      this.#response = null;
      response.elapsed = performance.now() - this.#start;
    }
    return this.source.close?.();
  }
}

/** Over an async-only source: it must not look sync-iterable. */
class TimedAsyncStream extends TimedStream<AsyncByteStream> implements AsyncByteStream {
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.source[Symbol.asyncIterator]();
  }
}

/** Over a sync-only source: it must not look async-iterable. */
class TimedSyncStream extends TimedStream<SyncByteStream> implements SyncByteStream {
  [Symbol.iterator](): Iterator<Uint8Array> {
    return this.source[Symbol.iterator]();
  }
}

/** Over a source that can be read both ways. */
class TimedDualStream
  extends TimedStream<AsyncByteStream & SyncByteStream>
  implements AsyncByteStream, SyncByteStream
{
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.source[Symbol.asyncIterator]();
  }

  [Symbol.iterator](): Iterator<Uint8Array> {
    return this.source[Symbol.iterator]();
  }
}

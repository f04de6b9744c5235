/**
 * Bodies between Ferry and undici: the response body handed to Ferry chunk by chunk as undici receives it, and the
 * request body handed to undici with a write timeout.
 *
 * @module
 */
import { type AsyncByteStream, type ByteStream, BytesStream, isAsyncByteStream } from "@ferry/core";

/** Bytes queued in a response body before undici is asked to stop reading the socket. */
const HIGH_WATER_MARK = 64 * 1024;
/** Request bodies larger than this are written in slices of this size, so a stalled upload can be noticed. */
const WRITE_SLICE = 64 * 1024;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** What a response body needs from the request it belongs to. */
export interface BodySource {
  /** Lets undici read the socket again after `push` returned false. */
  resume(): void;
  /** Aborts the request (destroying its HTTP/1.1 connection or resetting its HTTP/2 stream). */
  cancel(): void;
}

/**
 * A response body as undici delivers it: chunks are queued as they arrive and handed out in order, with no copy.
 * When more than 64 KiB wait unread, undici stops reading the socket until the reader catches up, so a slow
 * reader holds at most that much (plus the socket's buffers) in memory.
 */
export class ResponseBody implements AsyncByteStream, AsyncIterator<Uint8Array> {
  #chunks: Uint8Array[] = [];
  #head = 0;
  #queued = 0;
  #paused = false;
  #ended = false;
  #error: unknown = null;
  #resolve: ((result: IteratorResult<Uint8Array>) => void) | null = null;
  #reject: ((error: unknown) => void) | null = null;
  readonly #source: BodySource;

  constructor(source: BodySource) {
    this.#source = source;
  }

  /** Queues a chunk; returns false when undici should pause. */
  push(chunk: Uint8Array): boolean {
    const resolve = this.#resolve;
    if (resolve !== null) {
      this.#resolve = null;
      this.#reject = null;
      resolve({ done: false, value: chunk });
      return true;
    }
    this.#chunks.push(chunk);
    this.#queued += chunk.byteLength;
    if (this.#queued < HIGH_WATER_MARK) return true;
    this.#paused = true;
    return false;
  }

  /** Marks the end of the body. */
  end(): void {
    this.#ended = true;
    const resolve = this.#resolve;
    if (resolve !== null) {
      this.#resolve = null;
      this.#reject = null;
      resolve(DONE);
    }
  }

  /** Fails the body: the next read rejects with `error`. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    const reject = this.#reject;
    if (reject !== null) {
      this.#resolve = null;
      this.#reject = null;
      reject(error);
    }
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#head < this.#chunks.length) return Promise.resolve({ done: false, value: this.#shift() });
    if (this.#error !== null) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  #shift(): Uint8Array {
    const chunk = this.#chunks[this.#head]!;
    this.#head += 1;
    this.#queued -= chunk.byteLength;
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
      if (this.#paused) {
        this.#paused = false;
        this.#source.resume();
      }
    }
    return chunk;
  }

  /** Stops reading early (a `break` out of `for await`): the connection is released as `close()` does. */
  return(): Promise<IteratorResult<Uint8Array>> {
    this.close();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  /** Discards the rest of the body and aborts the request if it is still being received. */
  close(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#queued = 0;
    if (this.#ended) return;
    this.#ended = true;
    this.#source.cancel();
    this.end();
  }
}

/** Times a request body's writes; told by {@link TimedRequestBody} when undici takes a chunk and asks for more. */
export interface WriteWatcher {
  /** A chunk was handed to undici: the socket must take it within the write timeout. */
  chunkSent(): void;
  /** undici asks for the next chunk: the socket took the last one, and producing the next is not timed. */
  chunkWanted(): void;
}

/**
 * A request body fed to undici chunk by chunk, telling its watcher how long undici takes to ask for the next chunk
 * after taking one: that wait is the socket refusing more data. Time spent producing chunks is not counted.
 */
class TimedRequestBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  readonly #source: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  readonly #watcher: WriteWatcher;

  constructor(source: ByteStream, watcher: WriteWatcher) {
    this.#source = isAsyncByteStream(source) ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
    this.#watcher = watcher;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    this.#watcher.chunkWanted();
    const result = await this.#source.next();
    if (!result.done) this.#watcher.chunkSent();
    return result;
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#watcher.chunkWanted();
    await this.#source.return?.();
    return DONE;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }
}

function* slices(content: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < content.byteLength; offset += WRITE_SLICE) {
    yield content.subarray(offset, offset + WRITE_SLICE);
  }
}

/** The type undici takes as a request body. */
export type DispatchBody = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> | null;

/**
 * The body to hand undici for `stream`: bytes as they are (one write), streams as iterables that undici pulls with
 * backpressure. With a write timeout, streamed and large bodies are timed chunk by chunk by `watcher`.
 */
export function toDispatchBody(
  stream: ByteStream,
  writeTimeout: number | null,
  watcher: WriteWatcher,
): DispatchBody {
  if (stream instanceof BytesStream) {
    const { content } = stream;
    if (content.byteLength === 0) return null;
    if (writeTimeout === null || content.byteLength <= WRITE_SLICE) return content;
    return new TimedRequestBody(slices(content), watcher);
  }
  if (writeTimeout === null) return stream;
  return new TimedRequestBody(stream, watcher);
}

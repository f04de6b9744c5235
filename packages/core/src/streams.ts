/**
 * The shapes of request and response bodies as they travel between the Client and a transport.
 *
 * A body is a stream of `Uint8Array` chunks. Sources that can be read without waiting (bytes, arrays,
 * generators) are also synchronously iterable, which lets the same request or response serve the async
 * `Client` and the blocking `SyncClient`.
 *
 * @module
 */

/** A body read asynchronously, chunk by chunk. Transports return response bodies in this shape. */
export interface AsyncByteStream extends AsyncIterable<Uint8Array> {
  /** Releases the underlying resource (a socket, a file handle) when the body is not read to the end. */
  close?(): void | Promise<void>;
}

/** A body read synchronously, chunk by chunk: what `SyncClient` and synchronous mock handlers use. */
export interface SyncByteStream extends Iterable<Uint8Array> {
  /** Releases the underlying resource when the body is not read to the end. */
  close?(): void;
}

/** Any request or response body: asynchronous, synchronous, or both. */
export type ByteStream = AsyncByteStream | SyncByteStream;

const EMPTY = new Uint8Array(0);

/**
 * A body held in memory. Both sync and async iterable, and re-iterable: a request with a `BytesStream` body can be
 * sent again (after a redirect or an auth challenge) without being rebuilt.
 */
export class BytesStream implements AsyncByteStream, SyncByteStream {
  /** The whole body. */
  readonly content: Uint8Array;

  constructor(content: Uint8Array = EMPTY) {
    this.content = content;
  }

  *[Symbol.iterator](): Iterator<Uint8Array> {
    if (this.content.byteLength > 0) yield this.content;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.content.byteLength > 0) yield this.content;
  }

  close(): void {}
}

/** Whether `stream` can be read synchronously. */
export function isSyncByteStream(stream: ByteStream): stream is SyncByteStream {
  return typeof (stream as Partial<SyncByteStream>)[Symbol.iterator] === "function";
}

/** Whether `stream` can be read asynchronously. */
export function isAsyncByteStream(stream: ByteStream): stream is AsyncByteStream {
  return typeof (stream as Partial<AsyncByteStream>)[Symbol.asyncIterator] === "function";
}

/** Reads a whole body into one `Uint8Array`. */
export async function readAll(stream: ByteStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  if (isAsyncByteStream(stream)) {
    for await (const chunk of stream) chunks.push(chunk);
  } else {
    for (const chunk of stream) chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/** Reads a whole synchronous body into one `Uint8Array`. */
export function readAllSync(stream: SyncByteStream): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const chunk of stream) chunks.push(chunk);
  return concatBytes(chunks);
}

/** Joins chunks into one array, without copying when there is only one. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 0) return EMPTY;
  if (chunks.length === 1) return chunks[0]!;
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const result = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return result;
}

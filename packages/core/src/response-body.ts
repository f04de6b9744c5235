/**
 * The body of a `Response` and its states: unread stream, being streamed, read into memory, closed. One source of
 * truth for both the async methods and their blocking twins.
 *
 * @module
 */
import {
  type EncodedBody,
  encodeContent,
  encodeHtml,
  encodeJson,
  encodeText,
  type RequestContent,
} from "./content.js";
import { StreamClosed, StreamConsumed } from "./errors.js";
import {
  ByteChunker,
  ContentDecoding,
  checkChunkSize,
  pipe,
  pipeSync,
  replayBytes,
} from "./response-stream.js";
import type { ContentDecoder } from "./runtime.js";
import {
  type ByteStream,
  BytesStream,
  concatBytes,
  isAsyncByteStream,
  isSyncByteStream,
  type SyncByteStream,
} from "./streams.js";

const SYNC_ON_ASYNC =
  "Attempted to read or close the response synchronously, but its stream is async-only: use the async " +
  "methods (read(), iterBytes(), close()...).";

/** The in-memory body options of a `Response`: the first one given is the body. */
export interface BodyOptions {
  content?: RequestContent | undefined;
  text?: string | undefined;
  html?: string | undefined;
  json?: unknown;
}

/** Encodes the body given as `content`, `text`, `html` or `json` (an empty body when none is). */
export function encodeResponseBody(options: BodyOptions): EncodedBody {
  if (options.content !== undefined) return encodeContent(options.content);
  if (options.text !== undefined) return encodeText(options.text);
  if (options.html !== undefined) return encodeHtml(options.html);
  if (options.json !== undefined) return encodeJson(options.json);
  return { headers: {}, stream: new BytesStream() };
}

/**
 * What the body needs from its response: the `Content-Encoding` decoder, a hook to enrich decoding errors, and
 * one to hear that the body has closed.
 */
export interface BodyDecoding {
  /** A fresh decoder for the response's `Content-Encoding`, or `null` when there is nothing to undo. */
  createDecoder(): ContentDecoder | null;
  /** Turns an error thrown by the decoder into the one to raise. */
  onError(error: unknown): unknown;
  /** The body has closed: read to its end, or closed early. Called once, before the stream's own `close()`. */
  onClosed(): void;
}

/** A response body: the raw stream, how far it has been read, and the decoded content once read. */
export class ResponseBody {
  /** The raw body, still `Content-Encoding`-encoded. */
  stream: ByteStream;
  /** The decoded content, once read. */
  content: Uint8Array | undefined;
  isClosed = false;
  isStreamConsumed = false;
  numBytesDownloaded = 0;
  readonly #decoding: BodyDecoding;

  constructor(stream: ByteStream, decoding: BodyDecoding) {
    this.stream = stream;
    this.#decoding = decoding;
  }

  /** The decoding's error hook as a function, for a decoder that is being set up. */
  get #onError(): (error: unknown) => unknown {
    const decoding = this.#decoding;
    return (error) => decoding.onError(error);
  }

  /** Takes a body that is already in memory: decoded at once, without streaming machinery when not encoded. */
  loadInMemory(raw: Uint8Array): void {
    this.isStreamConsumed = true;
    this.isClosed = true;
    this.numBytesDownloaded = raw.byteLength;
    const decoder = this.#decoding.createDecoder();
    if (decoder === null) {
      this.content = raw;
      return;
    }
    const decoding = new ContentDecoding(decoder, this.#onError);
    this.content = concatBytes([...decoding.push(raw), ...decoding.flush()]);
  }

  /** Reads the whole body into `content`. Not `async`: a body read already costs no promise of its own. */
  read(): Promise<Uint8Array> {
    if (this.content !== undefined) return Promise.resolve(this.content);
    try {
      const decoder = this.#decoding.createDecoder();
      return decoder === null ? this.#readRaw() : this.#readDecoded(decoder);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Reads a body with no `Content-Encoding` straight from the stream: the common case, without a generator. */
  async #readRaw(): Promise<Uint8Array> {
    const stream = this.#start();
    const chunks: Uint8Array[] = [];
    if (isAsyncByteStream(stream)) {
      for await (const chunk of stream) this.#collect(chunks, chunk);
    } else {
      for (const chunk of stream) this.#collect(chunks, chunk);
    }
    const closing = this.#closeStream();
    if (closing !== undefined) await closing;
    this.content = concatBytes(chunks);
    return this.content;
  }

  #collect(chunks: Uint8Array[], chunk: Uint8Array): void {
    this.numBytesDownloaded += chunk.byteLength;
    if (chunk.byteLength > 0) chunks.push(chunk);
  }

  async #readDecoded(decoder: ContentDecoder): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    const decoded = pipe(this.#raw(), new ContentDecoding(decoder, this.#onError));
    for await (const chunk of decoded) chunks.push(chunk);
    this.content = concatBytes(chunks);
    return this.content;
  }

  readSync(): Uint8Array {
    if (this.content === undefined) {
      const chunks: Uint8Array[] = [];
      for (const chunk of this.#decodedSync()) chunks.push(chunk);
      this.content = concatBytes(chunks);
    }
    return this.content;
  }

  bytes(chunkSize: number | undefined): AsyncIterable<Uint8Array> {
    checkChunkSize(chunkSize);
    if (this.content !== undefined) return toAsync(replayBytes(this.content, chunkSize));
    return chunkSize === undefined ? this.#decoded() : pipe(this.#decoded(), new ByteChunker(chunkSize));
  }

  bytesSync(chunkSize: number | undefined): Iterable<Uint8Array> {
    checkChunkSize(chunkSize);
    if (this.content !== undefined) return replayBytes(this.content, chunkSize);
    return chunkSize === undefined
      ? this.#decodedSync()
      : pipeSync(this.#decodedSync(), new ByteChunker(chunkSize));
  }

  raw(chunkSize: number | undefined): AsyncIterable<Uint8Array> {
    checkChunkSize(chunkSize);
    return pipe(this.#raw(), new ByteChunker(chunkSize));
  }

  rawSync(chunkSize: number | undefined): Iterable<Uint8Array> {
    checkChunkSize(chunkSize);
    return pipeSync(this.#rawSync(), new ByteChunker(chunkSize));
  }

  async close(): Promise<void> {
    await this.#closeStream();
  }

  /** Closes the stream once; returns what its `close()` returned, a promise only when there is one to wait for. */
  #closeStream(): void | Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.#decoding.onClosed();
    return this.stream.close?.();
  }

  closeSync(): void {
    if (this.isClosed) return;
    if (!isSyncByteStream(this.stream)) throw new Error(SYNC_ON_ASYNC);
    this.isClosed = true;
    this.#decoding.onClosed();
    this.stream.close?.();
  }

  /** Checks the body can still be streamed, and marks it consumed. */
  #start(): ByteStream {
    if (this.isStreamConsumed) throw new StreamConsumed();
    if (this.isClosed) throw new StreamClosed();
    this.isStreamConsumed = true;
    this.numBytesDownloaded = 0;
    return this.stream;
  }

  async *#raw(): AsyncGenerator<Uint8Array, void, undefined> {
    const stream = this.#start();
    if (isAsyncByteStream(stream)) {
      for await (const chunk of stream) {
        this.numBytesDownloaded += chunk.byteLength;
        if (chunk.byteLength > 0) yield chunk;
      }
    } else {
      // A sync-only stream (a mock handler's generator) serves the async methods too.
      for (const chunk of stream) {
        this.numBytesDownloaded += chunk.byteLength;
        if (chunk.byteLength > 0) yield chunk;
      }
    }
    await this.close();
  }

  *#rawSync(): Generator<Uint8Array, void, undefined> {
    if (!isSyncByteStream(this.stream)) throw new Error(SYNC_ON_ASYNC);
    const stream = this.#start() as SyncByteStream;
    for (const chunk of stream) {
      this.numBytesDownloaded += chunk.byteLength;
      if (chunk.byteLength > 0) yield chunk;
    }
    this.closeSync();
  }

  #decoded(): AsyncGenerator<Uint8Array, void, undefined> {
    const decoder = this.#decoding.createDecoder();
    if (decoder === null) return this.#raw();
    return pipe(this.#raw(), new ContentDecoding(decoder, this.#onError));
  }

  #decodedSync(): Generator<Uint8Array, void, undefined> {
    const decoder = this.#decoding.createDecoder();
    if (decoder === null) return this.#rawSync();
    return pipeSync(this.#rawSync(), new ContentDecoding(decoder, this.#onError));
  }
}

async function* toAsync<T>(source: Iterable<T>): AsyncGenerator<T, void, undefined> {
  yield* source;
}

/**
 * The `Response` model: status, headers and a body that is either in memory or a stream from a transport,
 * decoded (`Content-Encoding`, then charset) as it is read.
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
import { createContentDecoder } from "./decoders.js";
import { DecodingError, HTTPStatusError, ResponseNotRead, StreamClosed, StreamConsumed } from "./errors.js";
import { Headers, type HeaderTypes } from "./headers.js";
import { type Link, linksByRelation, parseLinkHeader } from "./links.js";
import type { Request } from "./request.js";
import {
  ByteChunker,
  Chain,
  ContentDecoding,
  checkChunkSize,
  LineSplitting,
  pipe,
  pipeSync,
  replayBytes,
  TextChunker,
  TextDecoding,
  type Transform,
} from "./response-stream.js";
import type { ContentDecoder } from "./runtime.js";
import { codes } from "./status-codes.js";
import {
  type ByteStream,
  BytesStream,
  concatBytes,
  isAsyncByteStream,
  isSyncByteStream,
  type SyncByteStream,
} from "./streams.js";
import {
  createTextDecoder,
  decodeJsonText,
  decodeText,
  isKnownEncoding,
  LineDecoder,
  parseContentTypeCharset,
} from "./text-decoding.js";
import type { URL } from "./url.js";

/** How to pick a text encoding when the response names none: a label, or a function that guesses from the bytes. */
export type DefaultEncoding = string | ((content: Uint8Array) => string | null | undefined);

/** Options of {@link Response}. Give at most one of `content`, `text`, `html`, `json` and `stream`. */
export interface ResponseOptions {
  /** Response headers. `Content-Length` and `Content-Type` are added for an in-memory body unless given. */
  headers?: HeaderTypes | undefined;
  /** The body, as bytes, text (UTF-8) or a stream of chunks. */
  content?: RequestContent | undefined;
  /** A text body, sent as `text/plain; charset=utf-8`. */
  text?: string | undefined;
  /** An HTML body, sent as `text/html; charset=utf-8`. */
  html?: string | undefined;
  /** A value sent as compact JSON (`application/json`). */
  json?: unknown;
  /** The body exactly as a transport received it, not read yet. No header is added for it. */
  stream?: ByteStream | undefined;
  /** The request this response answers. */
  request?: Request | undefined;
  /** Transport details: `http_version` (`"HTTP/2"`), `reason_phrase` (string or bytes)... */
  extensions?: Record<string, unknown> | undefined;
  /** The earlier responses of a redirect chain or an auth flow. */
  history?: Response[] | undefined;
  /** The text encoding used when the response does not name one. Defaults to `"utf-8"`. */
  defaultEncoding?: DefaultEncoding | undefined;
}

const ELAPSED_NOT_READY = "'.elapsed' may only be accessed after the response has been read or closed.";
const NO_REQUEST = "The request instance has not been set on this response.";
const SYNC_ON_ASYNC =
  "Attempted to read or close the response synchronously, but its stream is async-only: use the async " +
  "methods (read(), iterBytes(), close()...).";
const REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const STATUS_CLASSES: Readonly<Record<number, string>> = {
  1: "Informational response",
  3: "Redirect response",
  4: "Client error",
  5: "Server error",
};

function encodeBody(options: ResponseOptions): EncodedBody | undefined {
  if (options.content !== undefined) return encodeContent(options.content);
  if (options.text !== undefined) return encodeText(options.text);
  if (options.html !== undefined) return encodeHtml(options.html);
  if (options.json !== undefined) return encodeJson(options.json);
  return undefined;
}

function asciiExtension(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return String.fromCharCode(...value.filter((byte) => byte < 0x80));
  return undefined;
}

function checkLabel(option: string, label: string): string {
  if (!isKnownEncoding(label)) {
    throw new RangeError(`${option} must name a text encoding, got ${JSON.stringify(label)}.`);
  }
  return label;
}

/**
 * An HTTP response.
 *
 * Built by a transport with the body as an unread `stream`, or by hand (in tests, mock handlers) from `content`,
 * `text`, `html` or `json`, which are read at once. The body is decoded as it is read: `Content-Encoding` first,
 * then the charset for `text`.
 *
 * ```ts
 * const response = new Response(200, { json: { ok: true } });
 * response.json(); // { ok: true }
 * response.headers.get("content-type"); // "application/json"
 * ```
 */
export class Response {
  /** The status code, such as `200` or `404`. */
  readonly statusCode: number;
  /** The response headers. */
  readonly headers: Headers;
  /** The raw body, still `Content-Encoding`-encoded. */
  stream: ByteStream;
  /** Transport details, such as `http_version` and `reason_phrase`. */
  extensions: Record<string, unknown>;
  /** The responses that led to this one: redirects followed, auth challenges answered. */
  history: Response[];
  /** The request a redirect would send next, set when redirects are not followed. */
  nextRequest: Request | null = null;

  #request: Request | undefined;
  #defaultEncoding: DefaultEncoding = "utf-8";
  #encoding: string | undefined;
  #content: Uint8Array | undefined;
  #text: string | undefined;
  #elapsed: number | undefined;
  #isClosed = false;
  #isStreamConsumed = false;
  #numBytesDownloaded = 0;

  constructor(statusCode: number, options: ResponseOptions = {}) {
    if (!Number.isInteger(statusCode)) {
      throw new TypeError(`statusCode must be an integer, got ${String(statusCode)}.`);
    }
    this.statusCode = statusCode;
    this.headers = new Headers(options.headers);
    this.#request = options.request;
    this.extensions = options.extensions === undefined ? {} : { ...options.extensions };
    this.history = options.history === undefined ? [] : [...options.history];
    if (options.defaultEncoding !== undefined) this.defaultEncoding = options.defaultEncoding;
    if (options.stream !== undefined) {
      this.stream = options.stream;
      return;
    }
    const body = encodeBody(options);
    if (body === undefined) {
      this.stream = new BytesStream();
      this.#finishRead(new Uint8Array(0));
      return;
    }
    this.#addBodyHeaders(body.headers);
    this.stream = body.stream;
    if (body.stream instanceof BytesStream) this.#readInMemory(body.stream.content);
  }

  #addBodyHeaders(headers: Readonly<Record<string, string>>): void {
    for (const name of Object.keys(headers)) {
      // A Content-Length the caller gave describes the body: chunked framing would contradict it.
      if (name === "Transfer-Encoding" && this.headers.has("content-length")) continue;
      if (!this.headers.has(name)) this.headers.set(name, headers[name]!);
    }
  }

  #readInMemory(body: Uint8Array): void {
    this.#numBytesDownloaded = body.byteLength;
    const decoder = this.#contentDecoder();
    if (decoder === null) {
      this.#finishRead(body);
      return;
    }
    const decoding = new ContentDecoding(decoder, (error) => this.#withRequest(error));
    this.#finishRead(concatBytes([...decoding.push(body), ...decoding.flush()]));
  }

  #finishRead(content: Uint8Array): void {
    this.#content = content;
    this.#isStreamConsumed = true;
    this.#isClosed = true;
  }

  /** The request this response answers. Throws when none was attached. */
  get request(): Request {
    if (this.#request === undefined) throw new Error(NO_REQUEST);
    return this.#request;
  }

  set request(request: Request) {
    this.#request = request;
  }

  /** The URL of the request this response answers. */
  get url(): URL {
    return this.request.url;
  }

  /** The HTTP version the response came over: `"HTTP/1.1"` unless the transport reports another. */
  get httpVersion(): string {
    return asciiExtension(this.extensions["http_version"]) ?? "HTTP/1.1";
  }

  /** The reason phrase the server sent, else the standard one for the status code ("" when there is none). */
  get reasonPhrase(): string {
    return asciiExtension(this.extensions["reason_phrase"]) ?? codes.getReasonPhrase(this.statusCode);
  }

  /** Time from sending the request to the end of the body, in milliseconds. Throws until the body has ended. */
  get elapsed(): number {
    if (this.#elapsed === undefined) throw new Error(ELAPSED_NOT_READY);
    return this.#elapsed;
  }

  set elapsed(milliseconds: number) {
    this.#elapsed = milliseconds;
  }

  /** The encoding used when the response names none: a label, or a function guessing from the content. */
  get defaultEncoding(): DefaultEncoding {
    return this.#defaultEncoding;
  }

  set defaultEncoding(value: DefaultEncoding) {
    if (typeof value === "string") checkLabel("defaultEncoding", value);
    else if (typeof value !== "function") {
      throw new TypeError(`defaultEncoding must be a label or a function, got ${typeof value}.`);
    }
    this.#defaultEncoding = value;
  }

  /** The `charset` of the `Content-Type` header, lower-cased, or `null`. */
  get charsetEncoding(): string | null {
    const contentType = this.headers.get("content-type");
    return contentType === undefined ? null : parseContentTypeCharset(contentType);
  }

  /**
   * The text encoding of the body: the one set explicitly, else the `Content-Type` charset when it is a known
   * encoding, else {@link defaultEncoding} (a function is asked once the content has been read).
   */
  get encoding(): string {
    if (this.#encoding === undefined) {
      const encoding = this.#resolveEncoding();
      // A guess needs the bytes: until they are read, decode as UTF-8 without remembering that choice.
      if (encoding === undefined) return "utf-8";
      this.#encoding = encoding;
    }
    return this.#encoding;
  }

  #resolveEncoding(): string | undefined {
    const charset = this.charsetEncoding;
    if (charset !== null && isKnownEncoding(charset)) return charset;
    const fallback = this.#defaultEncoding;
    if (typeof fallback === "string") return fallback;
    if (this.#content === undefined) return undefined;
    const guess = fallback(this.#content);
    return guess && isKnownEncoding(guess) ? guess : "utf-8";
  }

  /** Sets the encoding `text` decodes with. Only allowed before `text` is first read. */
  set encoding(label: string) {
    if (this.#text !== undefined) {
      throw new Error("Setting encoding after `text` has been accessed is not allowed.");
    }
    this.#encoding = checkLabel("encoding", label);
  }

  /** The decoded body bytes. Throws {@link ResponseNotRead} until the body has been read. */
  get content(): Uint8Array {
    if (this.#content === undefined) throw new ResponseNotRead();
    return this.#content;
  }

  /** The body as text, in {@link encoding}, malformed bytes replaced by U+FFFD. */
  get text(): string {
    if (this.#text === undefined) {
      const content = this.content;
      this.#text = content.byteLength === 0 ? "" : decodeText(content, this.encoding);
    }
    return this.#text;
  }

  /** Parses the body as JSON, UTF-8 unless a byte order mark or the byte pattern says UTF-16 or UTF-32. */
  json<T = unknown>(): T {
    return JSON.parse(decodeJsonText(this.content)) as T;
  }

  /** The `Link` headers, keyed by `rel` (or by url for a link without one). */
  get links(): Record<string, Link> {
    const header = this.headers.get("link");
    return header === undefined ? {} : linksByRelation(parseLinkHeader(header));
  }

  /** Bytes received so far, before `Content-Encoding` decoding. */
  get numBytesDownloaded(): number {
    return this.#numBytesDownloaded;
  }

  /** Whether the body stream has been closed (it is once read to the end). */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Whether the body stream has been iterated, in part or in full. */
  get isStreamConsumed(): boolean {
    return this.#isStreamConsumed;
  }

  /** `true` for 1xx status codes. */
  get isInformational(): boolean {
    return this.statusCode >= 100 && this.statusCode <= 199;
  }

  /** `true` for 2xx status codes. */
  get isSuccess(): boolean {
    return this.statusCode >= 200 && this.statusCode <= 299;
  }

  /** `true` for 3xx status codes; see {@link hasRedirectLocation} for a redirect that can be followed. */
  get isRedirect(): boolean {
    return this.statusCode >= 300 && this.statusCode <= 399;
  }

  /** `true` for 4xx status codes. */
  get isClientError(): boolean {
    return this.statusCode >= 400 && this.statusCode <= 499;
  }

  /** `true` for 5xx status codes. */
  get isServerError(): boolean {
    return this.statusCode >= 500 && this.statusCode <= 599;
  }

  /** `true` for 4xx and 5xx status codes. */
  get isError(): boolean {
    return this.statusCode >= 400 && this.statusCode <= 599;
  }

  /** `true` for a 301, 302, 303, 307 or 308 response with a `Location` header. */
  get hasRedirectLocation(): boolean {
    return REDIRECT_CODES.has(this.statusCode) && this.headers.has("location");
  }

  /** Returns this response on a 2xx status; throws {@link HTTPStatusError} otherwise. */
  raiseForStatus(): this {
    const request = this.#request;
    if (request === undefined) {
      throw new Error(
        "Cannot call raiseForStatus as the request instance has not been set on this response.",
      );
    }
    if (this.isSuccess) return this;
    const kind = STATUS_CLASSES[Math.floor(this.statusCode / 100)] ?? "Invalid status code";
    let message = `${kind} '${this.statusCode} ${this.reasonPhrase}' for url '${request.url}'\n`;
    if (this.hasRedirectLocation) message += `Redirect location: '${this.headers.get("location")}'\n`;
    message += `For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/${this.statusCode}`;
    throw new HTTPStatusError(message, { request, response: this });
  }

  /** `<Response [200 OK]>`. */
  toString(): string {
    return `<Response [${this.statusCode} ${this.reasonPhrase}]>`;
  }

  // ---- Reading, asynchronously ----

  /** Reads the whole body (decoding `Content-Encoding`), caches it and returns it. */
  async read(): Promise<Uint8Array> {
    if (this.#content === undefined) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of this.#decodedChunks()) chunks.push(chunk);
      this.#content = concatBytes(chunks);
    }
    return this.#content;
  }

  /** The decoded body in chunks of `chunkSize` bytes (as they arrive without one); replays a body already read. */
  iterBytes(chunkSize?: number): AsyncIterable<Uint8Array> {
    checkChunkSize(chunkSize);
    if (this.#content !== undefined) return toAsync(replayBytes(this.#content, chunkSize));
    return chunkSize === undefined
      ? this.#decodedChunks()
      : pipe(this.#decodedChunks(), new ByteChunker(chunkSize));
  }

  /** The body as text, in chunks of `chunkSize` characters (as decoded without one). */
  iterText(chunkSize?: number): AsyncIterable<string> {
    checkChunkSize(chunkSize);
    return pipe(this.iterBytes(), this.#textTransform(chunkSize));
  }

  /** The body as text, line by line, without the line ends. */
  iterLines(): AsyncIterable<string> {
    return pipe(this.iterText(), new LineSplitting(new LineDecoder()));
  }

  /** The raw body, still `Content-Encoding`-encoded. Throws {@link StreamConsumed} once the body was read. */
  iterRaw(chunkSize?: number): AsyncIterable<Uint8Array> {
    checkChunkSize(chunkSize);
    return pipe(this.#rawChunks(), new ByteChunker(chunkSize));
  }

  /** Closes the body stream, releasing its connection. Done automatically once the body is read to the end. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    await this.stream.close?.();
  }

  /** `await using response = await client.stream(...)` closes the response at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async *#rawChunks(): AsyncGenerator<Uint8Array, void, undefined> {
    const stream = this.#startStream();
    if (isAsyncByteStream(stream)) {
      for await (const chunk of stream) {
        this.#numBytesDownloaded += chunk.byteLength;
        if (chunk.byteLength > 0) yield chunk;
      }
    } else {
      for (const chunk of stream) {
        this.#numBytesDownloaded += chunk.byteLength;
        if (chunk.byteLength > 0) yield chunk;
      }
    }
    await this.close();
  }

  #decodedChunks(): AsyncGenerator<Uint8Array, void, undefined> {
    const decoder = this.#contentDecoder();
    return decoder === null ? this.#rawChunks() : pipe(this.#rawChunks(), this.#decoding(decoder));
  }

  // ---- Reading, synchronously (SyncClient, sync mock handlers) ----

  /** Reads the whole body synchronously; the stream must be sync-iterable. */
  readSync(): Uint8Array {
    if (this.#content === undefined) {
      const chunks: Uint8Array[] = [];
      for (const chunk of this.#decodedChunksSync()) chunks.push(chunk);
      this.#content = concatBytes(chunks);
    }
    return this.#content;
  }

  /** Synchronous {@link iterBytes}. */
  iterBytesSync(chunkSize?: number): Iterable<Uint8Array> {
    checkChunkSize(chunkSize);
    if (this.#content !== undefined) return replayBytes(this.#content, chunkSize);
    const chunks = this.#decodedChunksSync();
    return chunkSize === undefined ? chunks : pipeSync(chunks, new ByteChunker(chunkSize));
  }

  /** Synchronous {@link iterText}. */
  iterTextSync(chunkSize?: number): Iterable<string> {
    checkChunkSize(chunkSize);
    return pipeSync(this.iterBytesSync(), this.#textTransform(chunkSize));
  }

  /** Synchronous {@link iterLines}. */
  iterLinesSync(): Iterable<string> {
    return pipeSync(this.iterTextSync(), new LineSplitting(new LineDecoder()));
  }

  /** Synchronous {@link iterRaw}. */
  iterRawSync(chunkSize?: number): Iterable<Uint8Array> {
    checkChunkSize(chunkSize);
    return pipeSync(this.#rawChunksSync(), new ByteChunker(chunkSize));
  }

  /** Synchronous {@link close}; the stream must be sync-iterable. */
  closeSync(): void {
    if (this.#isClosed) return;
    if (!isSyncByteStream(this.stream)) throw new Error(SYNC_ON_ASYNC);
    this.#isClosed = true;
    this.stream.close?.();
  }

  /** `using response = client.stream(...)` closes the response at the end of the block. */
  [Symbol.dispose](): void {
    this.closeSync();
  }

  *#rawChunksSync(): Generator<Uint8Array, void, undefined> {
    if (!isSyncByteStream(this.stream)) throw new Error(SYNC_ON_ASYNC);
    const stream = this.#startStream() as SyncByteStream;
    for (const chunk of stream) {
      this.#numBytesDownloaded += chunk.byteLength;
      if (chunk.byteLength > 0) yield chunk;
    }
    this.closeSync();
  }

  #decodedChunksSync(): Generator<Uint8Array, void, undefined> {
    const decoder = this.#contentDecoder();
    return decoder === null
      ? this.#rawChunksSync()
      : pipeSync(this.#rawChunksSync(), this.#decoding(decoder));
  }

  // ---- Shared by both ----

  /** Checks the body can still be streamed, and marks it consumed. */
  #startStream(): ByteStream {
    if (this.#isStreamConsumed) throw new StreamConsumed();
    if (this.#isClosed) throw new StreamClosed();
    this.#isStreamConsumed = true;
    this.#numBytesDownloaded = 0;
    return this.stream;
  }

  #contentDecoder(): ContentDecoder | null {
    // The common case, no Content-Encoding at all, skips the header split and the decoder lookup.
    if (!this.headers.has("content-encoding")) return null;
    return createContentDecoder(this.headers.getList("content-encoding", true));
  }

  #decoding(decoder: ContentDecoder): Transform<Uint8Array, Uint8Array> {
    return new ContentDecoding(decoder, (error) => this.#withRequest(error));
  }

  #withRequest(error: unknown): unknown {
    if (error instanceof DecodingError && !error.hasRequest && this.#request !== undefined) {
      error.request = this.#request;
    }
    return error;
  }

  #textTransform(chunkSize: number | undefined): Transform<Uint8Array, string> {
    // The encoding is fixed when iteration starts, as it is for `text`.
    const decoding = new TextDecoding(createTextDecoder(this.encoding));
    return chunkSize === undefined ? decoding : new Chain(decoding, new TextChunker(chunkSize));
  }
}

async function* toAsync<T>(source: Iterable<T>): AsyncGenerator<T, void, undefined> {
  yield* source;
}

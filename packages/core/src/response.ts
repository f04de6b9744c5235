/**
 * The `Response` model: status, headers and a body that is either in memory or a stream from a transport,
 * decoded (`Content-Encoding`, then charset) as it is read.
 *
 * @module
 */
import type { RequestContent } from "./content.js";
import { createContentDecoder } from "./decoders.js";
import { DecodingError, HTTPStatusError, ResponseNotRead } from "./errors.js";
import { Headers, type HeaderTypes } from "./headers.js";
import { type Link, linksByRelation, parseLinkHeader } from "./links.js";
import type { Request } from "./request.js";
import { type BodyDecoding, encodeResponseBody, ResponseBody } from "./response-body.js";
import {
  Chain,
  checkChunkSize,
  LineSplitting,
  pipe,
  pipeSync,
  TextChunker,
  TextDecoding,
  type Transform,
} from "./response-stream.js";
import type { ContentDecoder } from "./runtime.js";
import { codes } from "./status-codes.js";
import { type ByteStream, BytesStream } from "./streams.js";
import {
  checkEncodingLabel,
  createTextDecoder,
  type DefaultEncoding,
  decodeJsonText,
  decodeText,
  LineDecoder,
  parseContentTypeCharset,
  resolveEncoding,
} from "./text-decoding.js";
import type { URL } from "./url.js";

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
const REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const STATUS_CLASSES: Readonly<Record<number, string>> = {
  1: "Informational response",
  3: "Redirect response",
  4: "Client error",
  5: "Server error",
};

function asciiExtension(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return String.fromCharCode(...value.filter((byte) => byte < 0x80));
  return undefined;
}

let decoderOf: (response: Response) => ContentDecoder | null;
let withRequestOf: (response: Response, error: unknown) => unknown;
let stopClockOf: (response: Response) => void;

/**
 * Starts the clock of `response.elapsed` at `start` (a `performance.now()` reading): it stops when the body has
 * been read to its end or the response is closed, whichever comes first. A response whose body was in memory from
 * the start stops it at once. For clients; not exported from the package.
 */
export let startElapsed: (response: Response, start: number) => void;

/**
 * What a response's body asks of the response. A class rather than an object literal with closures over the
 * response: one small object per response, and no closures for V8 to keep alive with it.
 */
class ResponseDecoding implements BodyDecoding {
  readonly #response: Response;

  constructor(response: Response) {
    this.#response = response;
  }

  createDecoder(): ContentDecoder | null {
    return decoderOf(this.#response);
  }

  onError(error: unknown): unknown {
    return withRequestOf(this.#response, error);
  }

  onClosed(): void {
    stopClockOf(this.#response);
  }
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
  /** Transport details, such as `http_version` and `reason_phrase`. */
  extensions: Record<string, unknown>;
  /** The responses that led to this one: redirects followed, auth challenges answered. */
  history: Response[];
  /** The request a redirect would send next, set when redirects are not followed. */
  nextRequest: Request | null = null;

  #request: Request | undefined;
  #defaultEncoding: DefaultEncoding = "utf-8";
  #encoding: string | undefined;
  #text: string | undefined;
  #elapsed: number | undefined;
  /** When the clock of {@link elapsed} started, while it runs. */
  #clockStart: number | undefined;
  readonly #body: ResponseBody;

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
    const decoding = new ResponseDecoding(this);
    if (options.stream !== undefined) {
      this.#body = new ResponseBody(options.stream, decoding);
      return;
    }
    const body = encodeResponseBody(options);
    this.#addBodyHeaders(body.headers);
    this.#body = new ResponseBody(body.stream, decoding);
    if (body.stream instanceof BytesStream) this.#body.loadInMemory(body.stream.content);
  }

  #addBodyHeaders(headers: Readonly<Record<string, string>>): void {
    for (const name of Object.keys(headers)) {
      // A Content-Length the caller gave describes the body: chunked framing would contradict it.
      if (name === "Transfer-Encoding" && this.headers.has("content-length")) continue;
      if (!this.headers.has(name)) this.headers.set(name, headers[name]!);
    }
  }

  /** The raw body, still `Content-Encoding`-encoded. */
  get stream(): ByteStream {
    return this.#body.stream;
  }

  set stream(stream: ByteStream) {
    this.#body.stream = stream;
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
    if (typeof value === "string") checkEncodingLabel("defaultEncoding", value);
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
      const encoding = resolveEncoding(this.charsetEncoding, this.#defaultEncoding, this.#body.content);
      // A guess needs the bytes: until they are read, decode as UTF-8 without remembering that choice.
      if (encoding === undefined) return "utf-8";
      this.#encoding = encoding;
    }
    return this.#encoding;
  }

  /** Sets the encoding `text` decodes with. Only allowed before `text` is first read. */
  set encoding(label: string) {
    if (this.#text !== undefined) {
      throw new Error("Setting encoding after `text` has been accessed is not allowed.");
    }
    this.#encoding = checkEncodingLabel("encoding", label);
  }

  /** The decoded body bytes. Throws {@link ResponseNotRead} until the body has been read. */
  get content(): Uint8Array {
    const content = this.#body.content;
    if (content === undefined) throw new ResponseNotRead();
    return content;
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
    return this.#body.numBytesDownloaded;
  }

  /** Whether the body stream has been closed (it is once read to the end). */
  get isClosed(): boolean {
    return this.#body.isClosed;
  }

  /** Whether the body stream has been iterated, in part or in full. */
  get isStreamConsumed(): boolean {
    return this.#body.isStreamConsumed;
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
  read(): Promise<Uint8Array> {
    return this.#body.read();
  }

  /** The decoded body in chunks of `chunkSize` bytes (as they arrive without one); replays a body already read. */
  iterBytes(chunkSize?: number): AsyncIterable<Uint8Array> {
    return this.#body.bytes(chunkSize);
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
    return this.#body.raw(chunkSize);
  }

  /** Closes the body stream, releasing its connection. Done automatically once the body is read to the end. */
  close(): Promise<void> {
    return this.#body.close();
  }

  /** `await using response = await client.stream(...)` closes the response at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#body.close();
  }

  // ---- Reading, synchronously (SyncClient, sync mock handlers); the stream must be sync-iterable ----

  /** Synchronous {@link read}. */
  readSync(): Uint8Array {
    return this.#body.readSync();
  }

  /** Synchronous {@link iterBytes}. */
  iterBytesSync(chunkSize?: number): Iterable<Uint8Array> {
    return this.#body.bytesSync(chunkSize);
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
    return this.#body.rawSync(chunkSize);
  }

  /** Synchronous {@link close}. */
  closeSync(): void {
    this.#body.closeSync();
  }

  /** `using response = client.stream(...)` closes the response at the end of the block. */
  [Symbol.dispose](): void {
    this.#body.closeSync();
  }

  static {
    decoderOf = (response) => response.#createDecoder();
    withRequestOf = (response, error) => response.#withRequest(error);
    stopClockOf = (response) => response.#stopClock();
    startElapsed = (response, start) => {
      if (response.#body.isClosed) response.#elapsed = performance.now() - start;
      else response.#clockStart = start;
    };
  }

  #stopClock(): void {
    if (this.#clockStart === undefined) return;
    this.#elapsed = performance.now() - this.#clockStart;
    this.#clockStart = undefined;
  }

  #createDecoder(): ContentDecoder | null {
    // The common case, no Content-Encoding at all, skips the header split and the decoder lookup.
    if (!this.headers.has("content-encoding")) return null;
    // A transport whose runtime already decoded the body (fetch does) says so, and Ferry must not decode twice.
    if (this.extensions["decoded_content"] === true) return null;
    return createContentDecoder(this.headers.getList("content-encoding", true));
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

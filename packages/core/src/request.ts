/**
 * The `Request` model: a method, a URL, headers and a body stream, as a transport receives them.
 *
 * @module
 */
import {
  describeType,
  type EncodedBody,
  encodeContent,
  encodeJson,
  encodeUrlencoded,
  type RequestContent,
  type RequestData,
} from "./content.js";
import { Cookies, type CookieTypes } from "./cookies.js";
import { RequestNotRead } from "./errors.js";
import { Headers, type HeaderTypes, headersStartingWith } from "./headers.js";
import { boundaryFromContentType, encodeMultipart, hasFiles, type RequestFiles } from "./multipart.js";
import type { QueryParamTypes } from "./query-params.js";
import {
  type ByteStream,
  BytesStream,
  isAsyncByteStream,
  isSyncByteStream,
  readAll,
  readAllSync,
} from "./streams.js";
import { URL } from "./url.js";

/**
 * The options of a {@link Request}. Give at most one body: `content` wins over `files` (with `data` as extra
 * fields), then `data`, then `json`. `null` and `undefined` mean "not given".
 */
export interface RequestOptions {
  /** Query parameters, merged into the URL's own query (a key given here replaces the URL's values for it). */
  params?: QueryParamTypes | null | undefined;
  /** Request headers. `Host` and the body's headers are added unless given here. */
  headers?: HeaderTypes | null | undefined;
  /** Cookies to send in a `Cookie` header, as far as they match the URL. */
  cookies?: CookieTypes | null | undefined;
  /** A raw body: text (UTF-8), bytes, or a stream of chunks. */
  content?: RequestContent | null | undefined;
  /** Form fields: URL-encoded, or the leading fields of a multipart body when there are `files`. */
  data?: RequestData | null | undefined;
  /** Files to upload as `multipart/form-data`. */
  files?: RequestFiles | null | undefined;
  /** A value to send as JSON. */
  json?: unknown;
  /** A ready body stream, sent as is: no `Host`, `Content-Length` or other header is added. */
  stream?: ByteStream | null | undefined;
  /** Per-request settings for the Client and transports (`timeout`, ...). */
  extensions?: Record<string, unknown> | null | undefined;
}

const OPTION_NAMES: ReadonlySet<string> = new Set([
  "params",
  "headers",
  "cookies",
  "content",
  "data",
  "files",
  "json",
  "stream",
  "extensions",
]);
const NO_OPTIONS: RequestOptions = Object.freeze({});
// RFC 9110 section 9.1: a method is a token.
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Methods whose body is expected, so an empty one is announced with `Content-Length: 0` (as httpx does).
const BODY_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);
const EMPTY_BODY: EncodedBody = Object.freeze({ headers: Object.freeze({}), stream: new BytesStream() });

/**
 * An HTTP request. Built once, from user input, and read by the Client and transports.
 *
 * ```ts
 * const request = new Request("post", "https://example.com/items", { json: { name: "ferry" } });
 * request.method;                        // "POST"
 * request.headers.get("content-type");   // "application/json"
 * new TextDecoder().decode(request.content); // '{"name":"ferry"}'
 * ```
 *
 * A body built from text, bytes, a form or JSON is held in memory and can be sent again. A streaming body is read
 * once; `read()` buffers it (and keeps the bytes, so the request can then be sent again).
 */
export class Request {
  /** The method, upper-cased. */
  method: string;
  /** The URL, with `params` merged into its query. */
  url: URL;
  /** The headers, `Host` first, then the given ones, `Cookie`, and the body's. */
  headers: Headers;
  /** The body. */
  stream: ByteStream;
  /** Per-request settings for the Client and transports. */
  extensions: Record<string, unknown>;
  #content: Uint8Array | undefined;

  /** `url` may also be a WHATWG `URL`, which is converted. */
  constructor(method: string, url: URL | string | globalThis.URL, options: RequestOptions = NO_OPTIONS) {
    if (options !== NO_OPTIONS) checkOptions(options);
    this.method = normalizeMethod(method);
    this.url = requestUrl(url, options.params);
    this.extensions = options.extensions ? { ...options.extensions } : {};
    const given = options.headers;
    if (options.stream !== undefined && options.stream !== null) {
      this.headers = given instanceof Headers ? given.copy() : new Headers(given);
      this.stream = options.stream;
      if (options.cookies) setCookieHeader(this, options.cookies);
      return;
    }
    const headers = given instanceof Headers ? given : new Headers(given);
    const body = encodeBody(options, headers);
    this.headers = withAutoHeaders(headers, headers !== given, this.url, this.method, body.headers);
    this.stream = body.stream;
    if (options.cookies) setCookieHeader(this, options.cookies);
    addBodyHeaders(this.headers, body.headers);
  }

  /** The body's bytes. Throws {@link RequestNotRead} for a streaming body that `read()` has not buffered yet. */
  get content(): Uint8Array {
    if (this.#content !== undefined) return this.#content;
    if (this.stream instanceof BytesStream) return this.stream.content;
    throw new RequestNotRead();
  }

  /**
   * Reads the whole body and returns it. A streaming body is replaced by the bytes read, so the request can be
   * sent (or read) again.
   */
  async read(): Promise<Uint8Array> {
    if (this.#content === undefined) {
      const stream = this.stream;
      if (stream instanceof BytesStream) return stream.content;
      this.#content = await readAll(stream);
      this.stream = new BytesStream(this.#content);
    }
    return this.#content;
  }

  /** {@link Request.read} for a body that can be read synchronously; an async-only body is a `TypeError`. */
  readSync(): Uint8Array {
    if (this.#content === undefined) {
      const stream = this.stream;
      if (stream instanceof BytesStream) return stream.content;
      if (!isSyncByteStream(stream)) {
        throw new TypeError(
          "This request's body can only be read asynchronously (it is an async iterable or a ReadableStream): " +
            "use `await request.read()`.",
        );
      }
      this.#content = readAllSync(stream);
      this.stream = new BytesStream(this.#content);
    }
    return this.#content;
  }

  /** `<Request('GET', 'https://example.com/')>`. */
  toString(): string {
    return `<Request('${this.method}', '${this.url}')>`;
  }
}

function checkOptions(options: RequestOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Request options must be an object, got ${describeType(options)}.`);
  }
  for (const key in options) {
    if (!OPTION_NAMES.has(key)) {
      const value = (options as Record<string, unknown>)[key];
      throw new TypeError(`Unknown Request option ${JSON.stringify(key)} (given ${describeType(value)}).`);
    }
  }
  const { stream, extensions } = options;
  if (stream !== undefined && stream !== null) {
    if (typeof stream !== "object" || !(isSyncByteStream(stream) || isAsyncByteStream(stream))) {
      throw new TypeError(
        `stream must be a sync or async iterable of Uint8Array, got ${describeType(stream)}.`,
      );
    }
  }
  if (
    extensions !== undefined &&
    extensions !== null &&
    (typeof extensions !== "object" || Array.isArray(extensions))
  ) {
    throw new TypeError(`extensions must be an object, got ${describeType(extensions)}.`);
  }
}

// The methods nearly every request uses, already valid and upper-case: no need to check or convert them.
const COMMON_METHODS: ReadonlySet<unknown> = new Set([
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
]);

function normalizeMethod(method: unknown): string {
  if (COMMON_METHODS.has(method)) return method as string;
  if (typeof method !== "string")
    throw new TypeError(`method must be a string, got ${describeType(method)}.`);
  if (!METHOD.test(method))
    throw new TypeError(`method must be an HTTP token, got ${JSON.stringify(method)}.`);
  return method.toUpperCase();
}

function requestUrl(url: unknown, params: QueryParamTypes | null | undefined): URL {
  let parsed: URL;
  if (url instanceof URL) parsed = url;
  else if (typeof url === "string") parsed = new URL(url);
  else if (url instanceof globalThis.URL) parsed = new URL(url.href);
  else throw new TypeError(`url must be a string or a URL, got ${describeType(url)}.`);
  return params === undefined || params === null ? parsed : parsed.copyMergeParams(params);
}

function encodeBody(options: RequestOptions, headers: Headers): EncodedBody {
  const { content, data, files, json } = options;
  if (content !== undefined && content !== null) return encodeContent(content);
  if (hasFiles(files)) {
    return encodeMultipart(data, files, boundaryFromContentType(headers.get("content-type")));
  }
  if (data !== undefined && data !== null && !isEmptyRecord(data)) return encodeUrlencoded(data);
  if (json !== undefined && json !== null) return encodeJson(json);
  return EMPTY_BODY;
}

/** Whether `value` is a plain object without keys (`{}`), which httpx treats as "not given". */
function isEmptyRecord(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const _ in value) return false;
  return true;
}

/**
 * Puts `Host` (and `Content-Length: 0` for a bodiless POST, PUT or PATCH) before the given headers. `owned` says
 * whether `given` was built here and may be changed in place; a caller's `Headers` is copied, never changed.
 */
function withAutoHeaders(
  given: Headers,
  owned: boolean,
  url: URL,
  method: string,
  bodyHeaders: Readonly<Record<string, string>>,
): Headers {
  const needsHost = url.rawHost !== "" && !given.has("host");
  const needsLength =
    BODY_METHODS.has(method) &&
    bodyHeaders["Content-Length"] === undefined &&
    bodyHeaders["Transfer-Encoding"] === undefined &&
    !given.has("content-length") &&
    !given.has("transfer-encoding");
  if (!needsHost && !needsLength) return owned ? given : given.copy();
  // A netloc from a parsed URL is a valid header value, and `given` was validated already: one copy, no checks.
  const first: Array<readonly [string, string]> = [];
  if (needsHost) first.push(["Host", url.netloc]);
  if (needsLength) first.push(["Content-Length", "0"]);
  return headersStartingWith(first, given);
}

function addBodyHeaders(headers: Headers, bodyHeaders: Readonly<Record<string, string>>): void {
  for (const name in bodyHeaders) {
    if (headers.has(name)) continue;
    // A length given by the caller is kept, and chunked framing would contradict it.
    if (name === "Transfer-Encoding" && headers.has("content-length")) continue;
    headers.set(name, bodyHeaders[name] as string);
  }
}

function setCookieHeader(request: Request, cookies: CookieTypes): void {
  if (cookies instanceof Cookies) {
    cookies.setCookieHeader(request);
    return;
  }
  // Skips building a cookie jar when there is nothing to put in it.
  if (isEmptyRecord(cookies) || (Array.isArray(cookies) && cookies.length === 0)) return;
  new Cookies(cookies).setCookieHeader(request);
}

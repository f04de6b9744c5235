/**
 * Request and response body encoding: raw content, URL-encoded forms and JSON, each turned into the headers that
 * describe it (`Content-Length` or `Transfer-Encoding`, `Content-Type`) and a {@link ByteStream} that carries it.
 * Multipart forms live in `multipart.ts`.
 *
 * Bodies built from bytes are {@link BytesStream}s, which can be sent again after a redirect or an auth challenge.
 * Bodies built from iterators and streams are read once: iterating them a second time raises
 * {@link StreamConsumed}.
 *
 * @module
 */
import { StreamConsumed } from "./errors.js";
import { formEncodeItems, type PrimitiveData, primitiveToString } from "./query-params.js";
import { type AsyncByteStream, type ByteStream, BytesStream, type SyncByteStream } from "./streams.js";

/**
 * Raw request content: text (sent as UTF-8), bytes, or a stream of byte chunks. Streams are sent with
 * `Transfer-Encoding: chunked`; a chunk that is a string is sent as UTF-8.
 */
export type RequestContent =
  | string
  | Uint8Array
  | ArrayBuffer
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>
  | ReadableStream<Uint8Array>;

/** Form fields, sent URL-encoded, or as the leading parts of a multipart body when there are files. */
export type RequestData = Record<string, PrimitiveData | readonly PrimitiveData[]>;

/** The headers that describe an encoded body, by their canonical names, and the stream that carries it. */
export interface EncodedBody {
  /** `Content-Length` or `Transfer-Encoding`, and `Content-Type` when the encoding implies one. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body itself. */
  readonly stream: ByteStream;
}

const utf8 = new TextEncoder();
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const CHUNKED: Readonly<Record<string, string>> = Object.freeze({ "Transfer-Encoding": "chunked" });

/** Encodes text as UTF-8. */
export function encodeUtf8(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Names the type of a value for error messages: `string`, `null`, `array`, `Uint8Array`, `object`... */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value !== "object") return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? name : "object";
}

/**
 * Turns one chunk from a user's stream into bytes: a `Uint8Array` passes through, text is encoded as UTF-8,
 * other buffers are viewed as bytes. `option` names the option the stream came from, for the error.
 */
export function toChunk(value: unknown, option: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return utf8.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(
    `${option} must yield Uint8Array or string chunks, got a chunk of type ${describeType(value)}.`,
  );
}

/** Whether a value is a WHATWG `ReadableStream` (by shape, so streams from another realm count too). */
export function isReadableStream(value: unknown): value is ReadableStream<unknown> {
  return typeof (value as Partial<ReadableStream> | null)?.getReader === "function";
}

/**
 * Reads a WHATWG `ReadableStream` chunk by chunk. Works where streams are not async iterable (Safari); when the
 * reader stops early, the stream is cancelled so its source can release what it holds.
 */
export async function* readableStreamChunks(stream: ReadableStream<unknown>): AsyncGenerator<unknown, void> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * A body read from a synchronous iterable, both sync and async iterable. Iterators and generators can be read once
 * ({@link StreamConsumed} the second time); collections such as arrays are read afresh each time.
 */
export class IteratorByteStream implements SyncByteStream, AsyncByteStream {
  readonly #source: Iterable<unknown>;
  readonly #option: string;
  readonly #oneShot: boolean;
  #consumed = false;

  /** `option` names where the iterable came from (`content`, `files["upload"]`), for error messages. */
  constructor(source: Iterable<unknown>, option = "content") {
    this.#source = source;
    this.#option = option;
    // An iterator (it has `next`) is its own iterable: a second pass would silently see nothing.
    this.#oneShot = typeof (source as Partial<Iterator<unknown>>).next === "function";
  }

  [Symbol.iterator](): Iterator<Uint8Array> {
    return this.#chunks();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    // The sync pass does the work, so the one-shot rule holds across both kinds of iteration.
    yield* this.#chunks();
  }

  *#chunks(): Generator<Uint8Array, void> {
    if (this.#consumed && this.#oneShot) throw new StreamConsumed();
    this.#consumed = true;
    for (const value of this.#source) {
      const chunk = toChunk(value, this.#option);
      // An empty chunk would end a chunked body early on the wire.
      if (chunk.byteLength > 0) yield chunk;
    }
  }
}

/** A body read once from an async iterable or a `ReadableStream`; reading it again raises {@link StreamConsumed}. */
export class AsyncIteratorByteStream implements AsyncByteStream {
  readonly #source: AsyncIterable<unknown> | ReadableStream<unknown>;
  readonly #option: string;
  #consumed = false;

  /** `option` names where the stream came from (`content`, `files["upload"]`), for error messages. */
  constructor(source: AsyncIterable<unknown> | ReadableStream<unknown>, option = "content") {
    this.#source = source;
    this.#option = option;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#consumed) throw new StreamConsumed();
    this.#consumed = true;
    const source = this.#source;
    const chunks = isReadableStream(source)
      ? readableStreamChunks(source)
      : (source as AsyncIterable<unknown>);
    for await (const value of chunks) {
      const chunk = toChunk(value, this.#option);
      if (chunk.byteLength > 0) yield chunk;
    }
  }
}

/** Converts bytes given as a `Uint8Array`, an `ArrayBuffer` or another buffer view; `undefined` for anything else. */
export function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

/**
 * Wraps a stream-like value (sync iterable, async iterable, `ReadableStream`) as a body stream, or returns
 * `undefined` when it is none of those. Strings and bytes are not handled here.
 */
export function streamFrom(value: unknown, option: string): ByteStream | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (isReadableStream(value)) return new AsyncIteratorByteStream(value, option);
  // Sync first: such a stream also serves the async Client, while an async-only one cannot serve SyncClient.
  if (typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === "function") {
    return new IteratorByteStream(value as Iterable<unknown>, option);
  }
  if (typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === "function") {
    return new AsyncIteratorByteStream(value as AsyncIterable<unknown>, option);
  }
  return undefined;
}

/** Encodes in-memory bytes: `Content-Length` unless the body is empty (an empty body needs no header). */
export function encodeBytes(body: Uint8Array, contentType?: string): EncodedBody {
  const length = String(body.byteLength);
  const headers =
    contentType === undefined
      ? body.byteLength > 0
        ? { "Content-Length": length }
        : NO_HEADERS
      : { "Content-Length": length, "Content-Type": contentType };
  return { headers, stream: new BytesStream(body) };
}

/**
 * Encodes raw `content`: text and bytes are sent as they are with a `Content-Length`, streams with
 * `Transfer-Encoding: chunked`. No `Content-Type` is added. `option` names the option for error messages.
 */
export function encodeContent(content: unknown, option = "content"): EncodedBody {
  if (typeof content === "string") return encodeBytes(utf8.encode(content));
  const bytes = asBytes(content);
  if (bytes !== undefined) return encodeBytes(bytes);
  const stream = streamFrom(content, option);
  if (stream !== undefined) return { headers: CHUNKED, stream };
  throw new TypeError(
    `${option} must be a string, Uint8Array, ArrayBuffer, iterable, async iterable or ReadableStream, ` +
      `got ${describeType(content)}.`,
  );
}

function isPrimitive(value: unknown): value is PrimitiveData {
  const type = typeof value;
  return value === null || type === "string" || type === "number" || type === "boolean";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Flattens form `data` into `[name, value]` pairs, a list repeating its name once per item, after checking every
 * value. `option` names the option for error messages.
 */
export function formFields(data: unknown, option = "data"): Array<[string, string]> {
  if (!isRecord(data)) {
    const hint =
      typeof data === "string" || asBytes(data) !== undefined ? "; use `content` for raw text or bytes" : "";
    throw new TypeError(`${option} must be a plain object of form fields${hint}, got ${describeType(data)}.`);
  }
  const fields: Array<[string, string]> = [];
  for (const name of Object.keys(data)) {
    const value = data[name];
    if (isPrimitive(value)) {
      fields.push([name, primitiveToString(value)]);
    } else if (Array.isArray(value)) {
      for (const item of value as unknown[]) {
        if (!isPrimitive(item)) throw badField(option, name, item);
        fields.push([name, primitiveToString(item)]);
      }
    } else {
      throw badField(option, name, value);
    }
  }
  return fields;
}

function badField(option: string, name: string, value: unknown): TypeError {
  return new TypeError(
    `${option}[${JSON.stringify(name)}] must be a string, number, boolean or null, or an array of them, ` +
      `got ${describeType(value)}.`,
  );
}

/** Encodes form `data` as `application/x-www-form-urlencoded`, like a query string (`+` for a space). */
export function encodeUrlencoded(data: unknown): EncodedBody {
  const body = formEncodeItems(formFields(data));
  return encodeBytes(utf8.encode(body), "application/x-www-form-urlencoded");
}

/**
 * Encodes a value as compact JSON (`application/json`, UTF-8). `NaN` and `Infinity`, which `JSON.stringify` would
 * quietly turn into `null`, are rejected, as are values with no JSON form (`undefined`, functions, symbols).
 */
export function encodeJson(value: unknown, option = "json"): EncodedBody {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${option} could not be serialised as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (text === undefined) throw new TypeError(`${option} has no JSON form, got ${describeType(value)}.`);
  // Only a body containing `null` can hide a non-finite number, so the common case is checked for free.
  if (text.includes("null")) JSON.stringify(value, (key, item) => rejectNonFinite(option, key, item));
  return encodeBytes(utf8.encode(text), "application/json");
}

function rejectNonFinite(option: string, key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) {
    const where = key === "" ? "" : ` at key ${JSON.stringify(key)}`;
    throw new TypeError(`${option} contains ${value}${where}, which JSON cannot represent.`);
  }
  return value;
}

/** Encodes text as `text/plain; charset=utf-8`. */
export function encodeText(text: string): EncodedBody {
  return encodeBytes(utf8.encode(text), "text/plain; charset=utf-8");
}

/** Encodes HTML as `text/html; charset=utf-8`. */
export function encodeHtml(html: string): EncodedBody {
  return encodeBytes(utf8.encode(html), "text/html; charset=utf-8");
}

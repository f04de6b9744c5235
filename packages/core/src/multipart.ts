/**
 * `multipart/form-data` request bodies (RFC 7578): form fields first, then files, each a part framed by the
 * boundary. File contents stream: a `Blob` through `.stream()`, an async iterable chunk by chunk, so a large upload
 * is never held in memory.
 *
 * @module
 */
import {
  AsyncIteratorByteStream,
  asBytes,
  describeType,
  type EncodedBody,
  encodeUtf8,
  formFields,
  IteratorByteStream,
  streamFrom,
} from "./content.js";
import { LocalProtocolError } from "./errors.js";
import { Headers, type HeaderTypes } from "./headers.js";
import { guessMimeType } from "./mimetypes.js";
import { type AsyncByteStream, type ByteStream, concatBytes, type SyncByteStream } from "./streams.js";

/**
 * The content of an uploaded file: bytes, text (sent as UTF-8), a `Blob` or `File`, or a stream of byte chunks
 * (a Node `Readable` is an async iterable).
 */
export type FileContent = Uint8Array | string | Blob | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * One file to upload: its content alone (the file name is taken from a `File`'s or a Node file stream's name, else
 * `upload`), or `[filename, content, contentType?, headers?]`. A `null` filename sends the part without one.
 */
export type FileValue =
  | FileContent
  | readonly [
      filename: string | null,
      content: FileContent,
      contentType?: string | null,
      headers?: HeaderTypes,
    ];

/** Files to upload, by form field name; the list form allows several files under one name. */
export type RequestFiles = Record<string, FileValue> | ReadonlyArray<readonly [string, FileValue]>;

/** A piece of the body: bytes, a `Blob` read afresh on each pass, or a user's stream. */
type Segment = Uint8Array | Blob | IteratorByteStream | AsyncIteratorByteStream;

const CRLF = "\r\n";
// Bytes of a user's file that are smaller than this are copied into the framing around them, saving chunks;
// bigger ones are sent as they are, never copied.
const INLINE_LIMIT = 16_384;
// What HTML's form encoding escapes in names and file names: quotes, backslashes, and C0 controls but ESC.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is being escaped.
const FORM_PARAM_ESCAPES = /["\\\x00-\x1a\x1c-\x1f]/g;

function escapeFormParam(value: string): string {
  return value.replace(FORM_PARAM_ESCAPES, (char) => {
    if (char === '"') return "%22";
    if (char === "\\") return "\\\\";
    return "%" + char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
  });
}

/**
 * The boundary named in a `multipart/form-data` Content-Type header (quoted or not), or `undefined` when the
 * header is not multipart or names none. A request keeps a boundary its caller chose.
 */
export function boundaryFromContentType(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !contentType.startsWith("multipart/form-data")) return undefined;
  for (const section of contentType.split(";")) {
    const param = section.trim();
    if (param.slice(0, 9).toLowerCase() === "boundary=") return param.slice(9).replace(/^"+|"+$/g, "");
  }
  return undefined;
}

/** A fresh boundary: 16 random bytes as 32 hex characters. */
export function randomBoundary(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * A multipart body, async iterable. Parts held in memory and Blobs are read afresh on every pass, so the body can
 * be sent again; a file given as an iterator or async iterable can be read once.
 */
export class MultipartStream implements AsyncByteStream {
  /** The boundary between parts. */
  readonly boundary: string;
  /** `multipart/form-data; boundary=...`. */
  readonly contentType: string;
  /** The body's size in bytes, or `null` when a file is a stream of unknown length. */
  readonly contentLength: number | null;
  /** @internal */
  protected readonly segments: readonly Segment[];

  /** @internal Use {@link encodeMultipart}. */
  constructor(boundary: string, segments: readonly Segment[]) {
    this.boundary = boundary;
    this.contentType = `multipart/form-data; boundary=${boundary}`;
    this.segments = segments;
    let length = 0;
    for (const segment of segments) {
      if (segment instanceof Uint8Array) length += segment.byteLength;
      else if (isBlob(segment)) length += segment.size;
      else {
        length = -1;
        break;
      }
    }
    this.contentLength = length < 0 ? null : length;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (const segment of this.segments) {
      if (segment instanceof Uint8Array) yield segment;
      else if (isBlob(segment)) yield* new AsyncIteratorByteStream(segment.stream(), "files");
      else yield* segment;
    }
  }
}

/** A multipart body whose every part can be read without waiting: also sync iterable, for `SyncClient`. */
export class SyncMultipartStream extends MultipartStream implements SyncByteStream {
  *[Symbol.iterator](): Iterator<Uint8Array> {
    for (const segment of this.segments) {
      if (segment instanceof Uint8Array) yield segment;
      else yield* segment as IteratorByteStream;
    }
  }
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

/**
 * Collects the body as segments. Framing text and small byte strings are gathered into one chunk; a user's large
 * bytes and streams stay segments of their own, never copied.
 */
class SegmentBuilder {
  readonly segments: Segment[] = [];
  sync = true;
  #pieces: Uint8Array[] = [];
  #text = "";

  text(text: string): void {
    this.#text += text;
  }

  bytes(bytes: Uint8Array): void {
    if (bytes.byteLength < INLINE_LIMIT) {
      this.#endText();
      this.#pieces.push(bytes);
    } else {
      this.flush();
      this.segments.push(bytes);
    }
  }

  source(segment: Exclude<Segment, Uint8Array>): void {
    this.flush();
    if (!(segment instanceof IteratorByteStream)) this.sync = false;
    this.segments.push(segment);
  }

  flush(): void {
    this.#endText();
    if (this.#pieces.length === 0) return;
    this.segments.push(concatBytes(this.#pieces));
    this.#pieces = [];
  }

  #endText(): void {
    if (this.#text === "") return;
    this.#pieces.push(encodeUtf8(this.#text));
    this.#text = "";
  }
}

/**
 * Encodes form fields and files as `multipart/form-data`: each `data` field first (a list repeats its name), then
 * each file. `boundary` defaults to a random one. The headers carry `Content-Length` when every part's size is
 * known (bytes, text, Blobs), else `Transfer-Encoding: chunked`.
 */
export function encodeMultipart(data: unknown, files: unknown, boundary = randomBoundary()): EncodedBody {
  const builder = new SegmentBuilder();
  const delimiter = `--${boundary}${CRLF}`;
  if (data !== undefined && data !== null) {
    for (const [name, value] of formFields(data)) {
      builder.text(
        `${delimiter}Content-Disposition: form-data; name="${escapeFormParam(name)}"${CRLF}${CRLF}`,
      );
      builder.text(value + CRLF);
    }
  }
  for (const [name, value] of fileEntries(files)) {
    builder.text(delimiter);
    addFile(builder, name, value);
    builder.text(CRLF);
  }
  builder.text(`--${boundary}--${CRLF}`);
  builder.flush();
  const stream: ByteStream = builder.sync
    ? new SyncMultipartStream(boundary, builder.segments)
    : new MultipartStream(boundary, builder.segments);
  const { contentLength, contentType } = stream as MultipartStream;
  const headers =
    contentLength === null
      ? { "Transfer-Encoding": "chunked", "Content-Type": contentType }
      : { "Content-Length": String(contentLength), "Content-Type": contentType };
  return { headers, stream };
}

/** Whether `files` has at least one entry: an empty record or list means no multipart body. */
export function hasFiles(files: unknown): boolean {
  if (Array.isArray(files)) return files.length > 0;
  if (typeof files === "object" && files !== null) return Object.keys(files).length > 0;
  return files !== undefined && files !== null;
}

function fileEntries(files: unknown): Iterable<readonly [unknown, unknown]> {
  if (Array.isArray(files)) {
    for (const entry of files as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new TypeError(`files entries must be [name, file] pairs, got ${describeType(entry)}.`);
      }
    }
    return files as Array<[unknown, unknown]>;
  }
  if (typeof files === "object" && files !== null && !isBlob(files) && asBytes(files) === undefined) {
    return Object.entries(files);
  }
  throw new TypeError(`files must be an object or a list of [name, file] pairs, got ${describeType(files)}.`);
}

/** A `[filename, content, ...]` tuple, told apart from an array of chunks by its first item. */
function isFileTuple(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && (typeof value[0] === "string" || value[0] === null);
}

function addFile(builder: SegmentBuilder, name: unknown, value: unknown): void {
  if (typeof name !== "string") {
    throw new TypeError(`files field names must be strings, got ${describeType(name)}.`);
  }
  const option = `files[${JSON.stringify(name)}]`;
  let filename: string | null;
  let content: unknown;
  let contentType: unknown;
  let extraHeaders: unknown;
  if (isFileTuple(value)) {
    if (value.length < 2 || value.length > 4) {
      throw new TypeError(
        `${option} must be [filename, content, contentType?, headers?], got ${value.length} items.`,
      );
    }
    [filename, content, contentType, extraHeaders] = value as [string | null, unknown, unknown, unknown];
  } else {
    filename = nameOf(value) ?? "upload";
    content = value;
  }
  if (contentType !== undefined && contentType !== null && typeof contentType !== "string") {
    throw new TypeError(`${option} content type must be a string or null, got ${describeType(contentType)}.`);
  }
  if (typeof contentType === "string" && /[\r\n\0]/.test(contentType)) {
    throw new LocalProtocolError(`Illegal content type for ${option}: it contains CR, LF or NUL.`);
  }
  const type =
    contentType ??
    blobType(content) ??
    (filename ? (guessMimeType(filename) ?? "application/octet-stream") : undefined);
  builder.text(partHeaders(name, filename, type, extraHeaders));
  addContent(builder, content, option);
}

function partHeaders(
  name: string,
  filename: string | null,
  contentType: string | undefined,
  extraHeaders: unknown,
): string {
  let text = `Content-Disposition: form-data; name="${escapeFormParam(name)}"`;
  if (filename) text += `; filename="${escapeFormParam(filename)}"`;
  let lines: ReadonlyArray<readonly [string, string]> = [];
  if (extraHeaders !== undefined && extraHeaders !== null) {
    // Built as Headers so that every line is checked as a request header is.
    const headers = new Headers(extraHeaders as HeaderTypes);
    // A Content-Type among the file's own headers wins over the tuple's content type.
    if (headers.has("content-type")) contentType = undefined;
    lines = headers.raw;
  }
  for (const [key, value] of lines) text += `${CRLF}${key}: ${value}`;
  if (contentType !== undefined) text += `${CRLF}Content-Type: ${contentType}`;
  return text + CRLF + CRLF;
}

function addContent(builder: SegmentBuilder, content: unknown, option: string): void {
  if (typeof content === "string") {
    builder.text(content);
    return;
  }
  const bytes = asBytes(content);
  if (bytes !== undefined) {
    builder.bytes(bytes);
    return;
  }
  if (isBlob(content)) {
    builder.source(content);
    return;
  }
  const stream = streamFrom(content, option);
  if (stream === undefined) {
    throw new TypeError(
      `${option} must be a Uint8Array, string, Blob, iterable or async iterable, got ${describeType(content)}.`,
    );
  }
  builder.source(stream as IteratorByteStream | AsyncIteratorByteStream);
}

/** The base name of a `File`, or of a Node file stream's path. */
function nameOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { name, path } = value as { name?: unknown; path?: unknown };
  const full = isBlob(value) ? name : path;
  return typeof full === "string"
    ? full.slice(Math.max(full.lastIndexOf("/"), full.lastIndexOf("\\")) + 1)
    : undefined;
}

function blobType(value: unknown): string | undefined {
  return isBlob(value) && value.type !== "" ? value.type : undefined;
}

/**
 * Bytes to text for responses: resolving charset labels, incremental decoding with replacement characters, the
 * encoding sniffing of JSON bodies, and splitting text into lines.
 *
 * Labels are the WHATWG ones `TextDecoder` knows, plus the spellings Python's codecs accept and servers send
 * (`utf-16-le`, `latin-1`, `utf-8-sig`) and the encodings `TextDecoder` lacks: UTF-32, and ISO-8859-1 as the
 * byte-for-code-point mapping it is (WHATWG reads `iso-8859-1` as windows-1252).
 *
 * @module
 */

/** Decodes a body chunk by chunk: a character split across two chunks comes out whole. Never throws. */
export interface IncrementalTextDecoder {
  /** Decodes the next chunk, holding back the bytes of a character that is not complete yet. */
  decode(bytes: Uint8Array): string;
  /** Ends the body: bytes still held back become replacement characters. */
  flush(): string;
}

type DecoderFactory = () => IncrementalTextDecoder;

const REPLACEMENT = 0xfffd;
// Keeps String.fromCharCode's argument list well under engines' limits.
const CODE_UNIT_BATCH = 8192;

class WhatwgDecoder implements IncrementalTextDecoder {
  readonly #decoder: TextDecoder;

  constructor(label: string) {
    this.#decoder = new TextDecoder(label);
  }

  decode(bytes: Uint8Array): string {
    return this.#decoder.decode(bytes, { stream: true });
  }

  flush(): string {
    return this.#decoder.decode();
  }
}

function fromCodeUnits(units: Uint8Array | Uint16Array, length: number): string {
  let text = "";
  for (let start = 0; start < length; start += CODE_UNIT_BATCH) {
    const batch = units.subarray(start, Math.min(start + CODE_UNIT_BATCH, length));
    // `apply` takes any array-like, typed arrays included, so no intermediate array is built.
    text += String.fromCharCode.apply(null, batch as unknown as number[]);
  }
  return text;
}

class Latin1Decoder implements IncrementalTextDecoder {
  decode(bytes: Uint8Array): string {
    return fromCodeUnits(bytes, bytes.byteLength);
  }

  flush(): string {
    return "";
  }
}

/** UTF-32 in either byte order; `sniff` reads the order from a byte order mark (little-endian without one). */
class Utf32Decoder implements IncrementalTextDecoder {
  #littleEndian: boolean;
  #sniff: boolean;
  #first = true;
  #pending: Uint8Array = new Uint8Array(0);

  constructor(order: "le" | "be" | "sniff") {
    this.#littleEndian = order !== "be";
    this.#sniff = order === "sniff";
  }

  decode(bytes: Uint8Array): string {
    let data = bytes;
    if (this.#pending.byteLength > 0) {
      data = new Uint8Array(this.#pending.byteLength + bytes.byteLength);
      data.set(this.#pending);
      data.set(bytes, this.#pending.byteLength);
    }
    const whole = data.byteLength - (data.byteLength % 4);
    this.#pending = data.slice(whole);
    if (whole === 0) return "";
    let offset = 0;
    if (this.#first) {
      this.#first = false;
      offset = this.#skipByteOrderMark(data);
    }
    return this.#decodeWords(data, offset, whole);
  }

  flush(): string {
    const leftover = this.#pending.byteLength > 0;
    this.#pending = new Uint8Array(0);
    return leftover ? String.fromCharCode(REPLACEMENT) : "";
  }

  #skipByteOrderMark(data: Uint8Array): number {
    const view = new DataView(data.buffer, data.byteOffset, 4);
    if (this.#sniff && view.getUint32(0, false) === 0xfeff) this.#littleEndian = false;
    return view.getUint32(0, this.#littleEndian) === 0xfeff ? 4 : 0;
  }

  #decodeWords(data: Uint8Array, start: number, end: number): string {
    const view = new DataView(data.buffer, data.byteOffset, end);
    const units = new Uint16Array(((end - start) / 4) * 2);
    let length = 0;
    for (let offset = start; offset < end; offset += 4) {
      let point = view.getUint32(offset, this.#littleEndian);
      if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) point = REPLACEMENT;
      if (point > 0xffff) {
        point -= 0x10000;
        units[length++] = 0xd800 + (point >> 10);
        units[length++] = 0xdc00 + (point & 0x3ff);
      } else {
        units[length++] = point;
      }
    }
    return fromCodeUnits(units, length);
  }
}

/** Python's bare `utf-16`: the byte order mark chooses the order, little-endian without one. */
class Utf16SniffingDecoder implements IncrementalTextDecoder {
  #inner: WhatwgDecoder | undefined;
  #head: Uint8Array | undefined;

  decode(bytes: Uint8Array): string {
    if (this.#inner !== undefined) return this.#inner.decode(bytes);
    const head = this.#head === undefined ? bytes : concat(this.#head, bytes);
    if (head.byteLength < 2) {
      this.#head = head;
      return "";
    }
    this.#head = undefined;
    this.#inner = new WhatwgDecoder(head[0] === 0xfe && head[1] === 0xff ? "utf-16be" : "utf-16le");
    return this.#inner.decode(head);
  }

  flush(): string {
    if (this.#inner !== undefined) return this.#inner.flush();
    return this.#head !== undefined && this.#head.byteLength > 0 ? String.fromCharCode(REPLACEMENT) : "";
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a);
  joined.set(b, a.byteLength);
  return joined;
}

const LATIN1_LABELS = [
  "latin-1",
  "latin1",
  "iso-8859-1",
  "iso8859-1",
  "iso-ir-100",
  "l1",
  "cp819",
  "ibm819",
  "8859",
];

// Encodings TextDecoder lacks or reads differently from Python, by normalised label.
const SPECIAL: ReadonlyMap<string, DecoderFactory> = new Map<string, DecoderFactory>([
  ...LATIN1_LABELS.map((label): [string, DecoderFactory] => [label, () => new Latin1Decoder()]),
  ["utf-32", () => new Utf32Decoder("sniff")],
  ["utf32", () => new Utf32Decoder("sniff")],
  ["utf-32le", () => new Utf32Decoder("le")],
  ["utf-32be", () => new Utf32Decoder("be")],
  ["utf-16", () => new Utf16SniffingDecoder()],
  ["utf16", () => new Utf16SniffingDecoder()],
]);

const resolved = new Map<string, DecoderFactory | null>();
// Decoding a whole body keeps no state between calls, so one UTF-8 TextDecoder serves every body: building one
// per response (an ICU converter under Node) cost more than decoding a small JSON body. Only UTF-8: Node 20's
// one-shot windows-1252 decoding takes a Latin-1 shortcut that its streaming decoding does not.
const UTF8_WHOLE_BODY = new TextDecoder("utf-8");

function normaliseLabel(label: string): string {
  const lower = label.trim().toLowerCase().replaceAll("_", "-");
  if (lower === "utf-8-sig" || lower === "utf8-sig") return "utf-8";
  // Python writes the byte order after a dash ("utf-16-le"); WHATWG glues it on ("utf-16le").
  return lower.replace(/^(utf-?(?:16|32))-(le|be)$/, "$1$2");
}

function resolve(label: string): DecoderFactory | null {
  let factory = resolved.get(label);
  if (factory !== undefined) return factory;
  const name = normaliseLabel(label);
  factory = SPECIAL.get(name) ?? null;
  if (factory === null) {
    try {
      new TextDecoder(name);
      factory = () => new WhatwgDecoder(name);
    } catch {
      factory = null;
    }
  }
  // Labels come from response headers: bound the cache so a hostile server cannot grow it without limit.
  if (resolved.size < 256) resolved.set(label, factory);
  return factory;
}

/** Whether `label` names a text encoding Ferry can decode. */
export function isKnownEncoding(label: string): boolean {
  return resolve(label) !== null;
}

/** Makes an incremental decoder for `label`, falling back to UTF-8 when the label is unknown. */
export function createTextDecoder(label: string): IncrementalTextDecoder {
  return (resolve(label) ?? resolve("utf-8")!)();
}

/** How to pick a text encoding when the response names none: a label, or a function that guesses from the bytes. */
export type DefaultEncoding = string | ((content: Uint8Array) => string | null | undefined);

/** Returns `label` when it names a known encoding; otherwise throws a `RangeError` naming `option`. */
export function checkEncodingLabel(option: string, label: string): string {
  if (!isKnownEncoding(label)) {
    throw new RangeError(`${option} must name a text encoding, got ${JSON.stringify(label)}.`);
  }
  return label;
}

/**
 * Chooses a response's text encoding: its `charset` when known, else the default label, else the default
 * function's guess from `content` (UTF-8 when it guesses nothing usable). `undefined` when only a guess could
 * decide and the content has not been read yet.
 */
export function resolveEncoding(
  charset: string | null,
  fallback: DefaultEncoding,
  content: Uint8Array | undefined,
): string | undefined {
  if (charset !== null && isKnownEncoding(charset)) return charset;
  if (typeof fallback === "string") return fallback;
  if (content === undefined) return undefined;
  const guess = fallback(content);
  return guess && isKnownEncoding(guess) ? guess : "utf-8";
}

/** Decodes a whole body as `label` (UTF-8 when unknown), with replacement characters for malformed bytes. */
export function decodeText(bytes: Uint8Array, label: string): string {
  if (label === "utf-8" || label === "utf8") return UTF8_WHOLE_BODY.decode(bytes);
  const decoder = createTextDecoder(label);
  return decoder.decode(bytes) + decoder.flush();
}

/**
 * The `charset` parameter of a `Content-Type` value, unquoted and lower-cased, or `null` when there is none.
 */
export function parseContentTypeCharset(contentType: string): string | null {
  const params = contentType.split(";");
  for (let index = 1; index < params.length; index++) {
    const param = params[index]!;
    const equals = param.indexOf("=");
    if (equals === -1 || param.slice(0, equals).trim().toLowerCase() !== "charset") continue;
    let value = param.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value === "" ? null : value.toLowerCase();
  }
  return null;
}

/**
 * Guesses the Unicode encoding of a JSON body (RFC 8259 bodies are UTF-8, but UTF-16 and UTF-32 are still seen):
 * a byte order mark decides, else the pattern of zero bytes the first ASCII characters leave.
 */
export function guessJsonEncoding(bytes: Uint8Array): string {
  const [b0, b1, b2, b3] = bytes;
  if (
    (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) ||
    (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0)
  ) {
    return "utf-32";
  }
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe)) return "utf-16";
  if (bytes.byteLength >= 4) {
    if (b0 === 0) return b1 === 0 ? "utf-32be" : "utf-16be";
    if (b1 === 0) return b2 !== 0 || b3 !== 0 ? "utf-16le" : "utf-32le";
  } else if (bytes.byteLength === 2) {
    if (b0 === 0) return "utf-16be";
    if (b1 === 0) return "utf-16le";
  }
  // A UTF-8 byte order mark is dropped by the UTF-8 decoder itself.
  return "utf-8";
}

/** Decodes a JSON body to text, in the encoding {@link guessJsonEncoding} finds. */
export function decodeJsonText(bytes: Uint8Array): string {
  return decodeText(bytes, guessJsonEncoding(bytes));
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Splits text arriving in chunks into lines, on `\n`, `\r\n` and `\r`, without the line ends. A `\r` that ends
 * one chunk is held back, so that a `\n` starting the next one makes a single `\r\n` break.
 */
export class LineDecoder {
  #partial = "";
  #trailingCr = false;

  /** Takes the next piece of text and returns the lines it completes. */
  decode(text: string): string[] {
    let chunk = this.#trailingCr ? "\r" + text : text;
    this.#trailingCr = chunk.endsWith("\r");
    if (this.#trailingCr) chunk = chunk.slice(0, -1);
    if (chunk === "") return [];
    const lines = chunk.split(LINE_BREAK);
    const rest = lines.pop()!;
    if (lines.length === 0) {
      this.#partial += rest;
      return [];
    }
    lines[0] = this.#partial + lines[0];
    this.#partial = rest;
    return lines;
  }

  /** Ends the text: returns the last line when it had no line end (or was ended by a held-back `\r`). */
  flush(): string[] {
    if (this.#partial === "" && !this.#trailingCr) return [];
    const line = this.#partial;
    this.#partial = "";
    this.#trailingCr = false;
    return [line];
  }
}

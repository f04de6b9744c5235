/**
 * An incremental HTTP/1.1 response parser, for the bytes a Node `ServerResponse` writes: the status line and
 * headers, then the body framed by `Content-Length`, chunked encoding or the end of the response.
 *
 * @module
 */

/** What the parser reports, in order: one head, body chunks, then the end (or an error). */
export interface ResponseParserEvents {
  head(status: number, reason: string, headers: Array<[string, string]>): void;
  body(chunk: Uint8Array): void;
  end(): void;
}

type State =
  | "head"
  | "fixed"
  | "chunk-size"
  | "chunk-data"
  | "chunk-end"
  | "trailers"
  | "until-close"
  | "done";

const CRLF = [13, 10] as const;
const LATIN1 = new TextDecoder("latin1");
const EMPTY = new Uint8Array(0);

function indexOfCrlf(buffer: Uint8Array, from = 0): number {
  for (let index = from; index < buffer.byteLength - 1; index++) {
    if (buffer[index] === CRLF[0] && buffer[index + 1] === CRLF[1]) return index;
  }
  return -1;
}

function indexOfBlankLine(buffer: Uint8Array): number {
  let from = 0;
  for (;;) {
    const index = indexOfCrlf(buffer, from);
    if (index === -1) return -1;
    if (buffer[index + 2] === CRLF[0] && buffer[index + 3] === CRLF[1]) return index;
    from = index + 2;
  }
}

/** Parses one response; `bodiless` is set for the answer to a HEAD request, which has headers only. */
export class ResponseParser {
  readonly #events: ResponseParserEvents;
  readonly #bodiless: boolean;
  #state: State = "head";
  #buffer: Uint8Array = EMPTY;
  #remaining = 0;

  constructor(events: ResponseParserEvents, bodiless: boolean) {
    this.#events = events;
    this.#bodiless = bodiless;
  }

  /** Whether the whole response has been parsed. */
  get done(): boolean {
    return this.#state === "done";
  }

  /** Whether the status line and headers have been parsed. */
  get headParsed(): boolean {
    return this.#state !== "head";
  }

  /**
   * Parses more bytes.
   *
   * @throws Error when the bytes are not an HTTP/1.1 response.
   */
  push(chunk: Uint8Array): void {
    this.#buffer = this.#buffer.byteLength === 0 ? chunk : concat(this.#buffer, chunk);
    while (this.#step()) {
      // Each step consumes what it can; it returns false when it needs more bytes.
    }
  }

  /**
   * The response was ended by its writer: a body that runs until the end is complete.
   *
   * @throws Error when the response stopped before its framing says it is complete.
   */
  finish(): void {
    if (this.#state === "until-close") {
      this.#state = "done";
      this.#events.end();
      return;
    }
    if (this.#state !== "done")
      throw new Error(`The app's response ended in the middle of its ${this.#what()}.`);
  }

  #what(): string {
    return this.#state === "head" ? "status line and headers" : "body";
  }

  #step(): boolean {
    switch (this.#state) {
      case "head":
        return this.#parseHead();
      case "fixed":
        return this.#parseFixed();
      case "chunk-size":
        return this.#parseChunkSize();
      case "chunk-data":
        return this.#parseChunkData();
      case "chunk-end":
        return this.#expectCrlf("chunk-size");
      case "trailers":
        return this.#parseTrailers();
      case "until-close":
        this.#emitBody(this.#buffer);
        this.#buffer = EMPTY;
        return false;
      case "done":
        return false;
    }
  }

  #parseHead(): boolean {
    const end = indexOfBlankLine(this.#buffer);
    if (end === -1) return false;
    const lines = LATIN1.decode(this.#buffer.subarray(0, end)).split("\r\n");
    this.#buffer = this.#buffer.subarray(end + 4);
    const statusLine = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? "");
    if (statusLine === null)
      throw new Error(`The app wrote an invalid status line: ${JSON.stringify(lines[0])}.`);
    const status = Number(statusLine[1]);
    const headers = lines.slice(1).map(parseHeaderLine);
    // Interim responses (100 Continue, 103 Early Hints) precede the real one.
    if (status >= 100 && status < 200 && status !== 101) return true;
    this.#events.head(status, statusLine[2] ?? "", headers);
    this.#state = this.#bodyState(status, headers);
    if (this.#state === "done") this.#events.end();
    return true;
  }

  #bodyState(status: number, headers: ReadonlyArray<[string, string]>): State {
    if (this.#bodiless || status === 204 || status === 304 || status < 200) return "done";
    const header = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1];
    if (/(^|,)\s*chunked\s*$/i.test(header("transfer-encoding") ?? "")) return "chunk-size";
    const length = header("content-length");
    if (length === undefined) return "until-close";
    this.#remaining = Number(length);
    if (!Number.isSafeInteger(this.#remaining) || this.#remaining < 0) {
      throw new Error(`The app wrote an invalid Content-Length: ${JSON.stringify(length)}.`);
    }
    return this.#remaining === 0 ? "done" : "fixed";
  }

  #parseFixed(): boolean {
    if (this.#buffer.byteLength === 0) return false;
    const take = Math.min(this.#remaining, this.#buffer.byteLength);
    this.#emitBody(this.#buffer.subarray(0, take));
    this.#buffer = this.#buffer.subarray(take);
    this.#remaining -= take;
    if (this.#remaining === 0) this.#complete();
    return this.#remaining === 0 ? false : this.#buffer.byteLength > 0;
  }

  #parseChunkSize(): boolean {
    const end = indexOfCrlf(this.#buffer);
    if (end === -1) return false;
    const line = LATIN1.decode(this.#buffer.subarray(0, end));
    this.#buffer = this.#buffer.subarray(end + 2);
    const size = Number.parseInt(line.split(";")[0]!.trim(), 16);
    if (Number.isNaN(size)) throw new Error(`The app wrote an invalid chunk size: ${JSON.stringify(line)}.`);
    this.#remaining = size;
    this.#state = size === 0 ? "trailers" : "chunk-data";
    return true;
  }

  #parseChunkData(): boolean {
    if (this.#buffer.byteLength === 0) return false;
    const take = Math.min(this.#remaining, this.#buffer.byteLength);
    this.#emitBody(this.#buffer.subarray(0, take));
    this.#buffer = this.#buffer.subarray(take);
    this.#remaining -= take;
    if (this.#remaining === 0) this.#state = "chunk-end";
    return this.#buffer.byteLength > 0;
  }

  #expectCrlf(next: State): boolean {
    if (this.#buffer.byteLength < 2) return false;
    if (this.#buffer[0] !== CRLF[0] || this.#buffer[1] !== CRLF[1])
      throw new Error("The app wrote a malformed chunk.");
    this.#buffer = this.#buffer.subarray(2);
    this.#state = next;
    return true;
  }

  #parseTrailers(): boolean {
    const end = indexOfCrlf(this.#buffer);
    if (end === -1) return false;
    this.#buffer = this.#buffer.subarray(end + 2);
    if (end === 0) this.#complete();
    return end !== 0;
  }

  #complete(): void {
    this.#state = "done";
    this.#events.end();
  }

  #emitBody(chunk: Uint8Array): void {
    // The parser's buffer may be reused by later writes: the chunk handed on is a copy.
    if (chunk.byteLength > 0) this.#events.body(chunk.slice());
  }
}

function parseHeaderLine(line: string): [string, string] {
  const colon = line.indexOf(":");
  if (colon <= 0) throw new Error(`The app wrote an invalid header line: ${JSON.stringify(line)}.`);
  return [line.slice(0, colon), line.slice(colon + 1).trim()];
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}

/**
 * HTTP headers as a case-insensitive multi-dict that keeps insertion order and the casing each name was given in.
 *
 * @module
 */
import { LocalProtocolError } from "./errors.js";

/**
 * What a `headers` option accepts: a {@link Headers}, a record of names to a value or a list of values, or an
 * iterable of `[name, value]` pairs (a `globalThis.Headers` or a `Map` is one).
 */
export type HeaderTypes =
  | Headers
  | Readonly<Record<string, string | readonly string[]>>
  | Iterable<readonly [string, string]>;

// RFC 9110 section 5.6.2: a field name is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// These three would split or truncate the header on the wire.
const FORBIDDEN_IN_VALUE = /[\r\n\0]/;
const SENSITIVE = new Set(["authorization", "proxy-authorization"]);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/**
 * Header names already found to be tokens, with their lower-case form. The names of a server's responses repeat
 * (`content-type`, `date`, `keep-alive`...): a map lookup instead of a regular expression and a `toLowerCase()`
 * per name takes about a third off building a response's headers. Values, often unique (dates, ids, cookies), are
 * always checked. Emptied when full.
 */
let tokenNames = new Map<string, string>();
const MAX_TOKEN_NAMES = 512;

/** Checks that `name` is a valid header name and returns it lower-cased. */
function lowerToken(name: unknown): string {
  if (typeof name !== "string") throw new TypeError(`Header names must be strings, got ${describe(name)}.`);
  const known = tokenNames.get(name);
  if (known !== undefined) return known;
  if (!TOKEN.test(name)) {
    const why = FORBIDDEN_IN_VALUE.test(name) ? "contains CR, LF or NUL" : "is not a valid HTTP token";
    throw new LocalProtocolError(`Illegal header name ${JSON.stringify(name)}: it ${why}.`);
  }
  if (tokenNames.size >= MAX_TOKEN_NAMES) tokenNames = new Map();
  // A copy: the name may be a slice of a much larger string, which the map would otherwise keep alive.
  const copy = JSON.parse(JSON.stringify(name)) as string;
  const lower = copy.toLowerCase();
  tokenNames.set(copy, lower);
  return lower;
}

function checkValue(name: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new TypeError(`Header ${JSON.stringify(name)} must have a string value, got ${describe(value)}.`);
  }
  if (FORBIDDEN_IN_VALUE.test(value)) {
    throw new LocalProtocolError(
      `Illegal value for header ${JSON.stringify(name)}: it contains CR, LF or NUL.`,
    );
  }
  return value;
}

let startingWith: (first: ReadonlyArray<readonly [string, string]>, rest: Headers) => Headers;

/**
 * New headers holding the lines of `first`, then every line of `rest`, in order. For lines the caller knows to be
 * valid (a `Host` taken from a parsed URL): nothing is validated again, and `rest` is copied once. Not part of the
 * public API.
 */
export function headersStartingWith(first: ReadonlyArray<readonly [string, string]>, rest: Headers): Headers {
  return startingWith(first, rest);
}

/**
 * HTTP headers: a case-insensitive multi-dict. Lookups ignore case; {@link Headers.raw} keeps each name as it
 * was given, in order. Names must be HTTP tokens and values strings without CR, LF or NUL: anything else is
 * refused when it is inserted (`LocalProtocolError`, or `TypeError` for a value that is not a string), so a
 * `Headers` only ever holds what can be sent.
 *
 * ```ts
 * const headers = new Headers({ Accept: "text/html", "Set-Cookie": ["a=1", "b=2"] });
 * headers.get("accept");          // "text/html"
 * headers.get("set-cookie");      // "a=1, b=2"
 * headers.getList("set-cookie");  // ["a=1", "b=2"]
 * ```
 */
export class Headers implements Iterable<[string, string]> {
  // Parallel arrays: the lower-cased name is computed once at insertion, so lookups compare strings only.
  #names: string[] = [];
  #lower: string[] = [];
  #values: string[] = [];
  #raw: ReadonlyArray<readonly [string, string]> | undefined;

  static {
    startingWith = (first, rest) => {
      const headers = new Headers();
      for (const [name, value] of first) headers.#push(name, name.toLowerCase(), value);
      // A loop of pushes: concat() costs several times more on lists this short.
      for (let index = 0; index < rest.#names.length; index++) {
        headers.#names.push(rest.#names[index] as string);
        headers.#lower.push(rest.#lower[index] as string);
        headers.#values.push(rest.#values[index] as string);
      }
      return headers;
    };
  }

  /** Builds headers from `headers`, validating each one; copying another `Headers` skips the validation. */
  constructor(headers?: HeaderTypes | null) {
    if (headers === undefined || headers === null) return;
    if (headers instanceof Headers) {
      this.#names = headers.#names.slice();
      this.#lower = headers.#lower.slice();
      this.#values = headers.#values.slice();
      this.#raw = headers.#raw;
    } else if (typeof headers !== "object") {
      throw new TypeError(
        `Headers must be a Headers, a record or an iterable of pairs, got ${describe(headers)}.`,
      );
    } else if (Symbol.iterator in headers) {
      for (const pair of headers as Iterable<unknown>) this.#appendPair(pair);
    } else {
      for (const [name, value] of Object.entries(headers)) {
        if (Array.isArray(value)) {
          for (const item of value) this.append(name, item);
        } else {
          this.append(name, value as string);
        }
      }
    }
  }

  #appendPair(pair: unknown): void {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`Header pairs must be [name, value] arrays, got ${describe(pair)}.`);
    }
    this.append(pair[0] as string, pair[1] as string);
  }

  #push(name: string, lower: string, value: string): void {
    this.#names.push(name);
    this.#lower.push(lower);
    this.#values.push(value);
    this.#raw = undefined;
  }

  #removeAt(index: number): void {
    this.#names.splice(index, 1);
    this.#lower.splice(index, 1);
    this.#values.splice(index, 1);
    this.#raw = undefined;
  }

  /** The number of header lines, repeats included (as httpx's `len(headers)`). */
  get size(): number {
    return this.#values.length;
  }

  /** Every header as `[name, value]`, names as given, in order. The array is frozen and shared until a change. */
  get raw(): ReadonlyArray<readonly [string, string]> {
    if (this.#raw === undefined) {
      const raw = this.#names.map((name, index) =>
        Object.freeze([name, this.#values[index] as string] as const),
      );
      this.#raw = Object.freeze(raw);
    }
    return this.#raw;
  }

  /**
   * Every header line flattened to `[name, value, name, value, ...]`, names as given, in order: the shape undici's
   * `dispatch` and Node's `rawHeaders` use, for transports. A new array on each call, cheaper to build than
   * {@link Headers.raw}'s pairs.
   */
  rawFlat(): string[] {
    const flat: string[] = [];
    for (let index = 0; index < this.#names.length; index++) {
      flat.push(this.#names[index] as string, this.#values[index] as string);
    }
    return flat;
  }

  /** The value of the header `name` (any case); repeated headers are joined with `", "`. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    const first = this.#lower.indexOf(lower);
    if (first === -1) return undefined;
    let joined = this.#values[first] as string;
    for (let index = first + 1; index < this.#lower.length; index++) {
      if (this.#lower[index] === lower) joined += `, ${this.#values[index]}`;
    }
    return joined;
  }

  /**
   * Every value of the header `name`, in order. With `splitCommas`, each value is also split on commas and the
   * parts trimmed.
   */
  getList(name: string, splitCommas = false): string[] {
    const lower = name.toLowerCase();
    const values: string[] = [];
    for (let index = 0; index < this.#lower.length; index++) {
      if (this.#lower[index] !== lower) continue;
      const value = this.#values[index] as string;
      if (!splitCommas) values.push(value);
      else for (const part of value.split(",")) values.push(part.trim());
    }
    return values;
  }

  /** Whether a header called `name` (any case) is present. */
  has(name: string): boolean {
    return this.#lower.includes(name.toLowerCase());
  }

  /** Sets the header `name` to `value`, replacing every earlier value of it; keeps the first one's position. */
  set(name: string, value: string): void {
    const lower = lowerToken(name);
    checkValue(name, value);
    const first = this.#lower.indexOf(lower);
    if (first === -1) {
      this.#push(name, lower, value);
      return;
    }
    this.#names[first] = name;
    this.#values[first] = value;
    this.#raw = undefined;
    for (let index = this.#lower.length - 1; index > first; index--) {
      if (this.#lower[index] === lower) this.#removeAt(index);
    }
  }

  /** Adds a header line, keeping any earlier values of `name`. */
  append(name: string, value: string): void {
    const lower = lowerToken(name);
    checkValue(name, value);
    this.#push(name, lower, value);
  }

  /** Removes every value of the header `name`; returns whether there was one. */
  delete(name: string): boolean {
    const lower = name.toLowerCase();
    let found = false;
    for (let index = this.#lower.length - 1; index >= 0; index--) {
      if (this.#lower[index] === lower) {
        this.#removeAt(index);
        found = true;
      }
    }
    return found;
  }

  /** Merges `headers` in: each name they hold replaces all of this one's values of that name. */
  update(headers: HeaderTypes | null | undefined): void {
    const incoming = headers instanceof Headers ? headers : new Headers(headers);
    this.#deleteNamesOf(incoming);
    for (let index = 0; index < incoming.#names.length; index++) {
      this.#push(
        incoming.#names[index] as string,
        incoming.#lower[index] as string,
        incoming.#values[index] as string,
      );
    }
  }

  /** Removes every line whose name `other` holds. Header lists are short: scanning beats building a set. */
  #deleteNamesOf(other: Headers): void {
    const lower = this.#lower;
    for (let index = lower.length - 1; index >= 0; index--) {
      if (other.#lower.includes(lower[index] as string)) this.#removeAt(index);
    }
  }

  /** An independent copy. */
  copy(): Headers {
    return new Headers(this);
  }

  /** The distinct header names, lower-cased, in order of first appearance. */
  keys(): string[] {
    return [...new Set(this.#lower)];
  }

  /** One value per distinct name, repeats joined with `", "`, in the order of {@link Headers.keys}. */
  values(): string[] {
    return this.items().map(([, value]) => value);
  }

  /** One `[lowerName, value]` entry per distinct name, repeats joined with `", "`. */
  items(): [string, string][] {
    const joined = new Map<string, string>();
    for (let index = 0; index < this.#lower.length; index++) {
      const lower = this.#lower[index] as string;
      const previous = joined.get(lower);
      const value = this.#values[index] as string;
      joined.set(lower, previous === undefined ? value : `${previous}, ${value}`);
    }
    return [...joined];
  }

  /** Every header line as `[lowerName, value]`, repeats kept apart, in order. */
  multiItems(): [string, string][] {
    return this.#lower.map((lower, index) => [lower, this.#values[index] as string]);
  }

  /**
   * Whether `other` holds the same header lines, ignoring the case of names and the order of lines, as httpx
   * compares headers. `other` may be anything a {@link Headers} can be built from.
   */
  equals(other: unknown): boolean {
    let headers: Headers;
    try {
      headers = other instanceof Headers ? other : new Headers(other as HeaderTypes);
    } catch {
      return false;
    }
    if (headers.size !== this.size) return false;
    const key = (pair: [string, string]) => `${pair[0]}:${pair[1]}`;
    const mine = this.multiItems().map(key).sort();
    const theirs = headers.multiItems().map(key).sort();
    return mine.every((item, index) => item === theirs[index]);
  }

  /** Iterates {@link Headers.items}: one `[lowerName, value]` entry per distinct name. */
  [Symbol.iterator](): Iterator<[string, string]> {
    return this.items()[Symbol.iterator]();
  }

  /** A record of {@link Headers.items}, for `JSON.stringify`. */
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.items());
  }

  /** A readable form, with `Authorization` and `Proxy-Authorization` values masked. */
  toString(): string {
    const lines = this.multiItems().map(([name, value]): [string, string] => [
      name,
      SENSITIVE.has(name) ? "[secure]" : value,
    ]);
    const distinct = new Set(this.#lower).size === lines.length;
    const body = distinct
      ? `{${lines.map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`).join(", ")}}`
      : `[${lines.map(([name, value]) => `[${JSON.stringify(name)}, ${JSON.stringify(value)}]`).join(", ")}]`;
    return `Headers(${body})`;
  }
}

/**
 * Query parameters as an immutable multi-dict, with httpx's form encoding.
 *
 * @module
 */
import { percentEncodeCodePoint, unquote } from "./percent-encoding.js";

/** A value that can be sent as a query parameter or form field: booleans become "true"/"false", null "". */
export type PrimitiveData = string | number | boolean | null;

/**
 * Anything {@link QueryParams} can be built from: another `QueryParams`, a query string ("a=1&b=2"), a record
 * whose values are primitives or lists of them (a list repeats the key), or a list of `[key, value]` pairs.
 */
export type QueryParamTypes =
  | QueryParams
  | string
  | Readonly<Record<string, PrimitiveData | readonly PrimitiveData[]>>
  | ReadonlyArray<readonly [string, PrimitiveData]>;

type Entries = ReadonlyMap<string, readonly string[]>;

/** Turns a primitive into the text httpx sends for it: "true", "false", "" for null, `String()` otherwise. */
export function primitiveToString(value: PrimitiveData, name = "value"): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return String(value);
  throw new TypeError(`Query parameter ${JSON.stringify(name)} must be a string, number, boolean or null`);
}

// Unreserved characters only: form encoding escapes everything else, "%" included, and spaces become "+".
const FORM_SAFE = new Uint8Array(128);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") {
  FORM_SAFE[char.charCodeAt(0)] = 1;
}
/** Encodes one key or value as `application/x-www-form-urlencoded` does (Python's `quote_plus`). */
export function formEncode(value: string): string {
  let index = 0;
  while (index < value.length) {
    const code = value.charCodeAt(index);
    if (code >= 128 || FORM_SAFE[code] !== 1) break;
    index++;
  }
  if (index === value.length) return value;
  let out = value.slice(0, index);
  while (index < value.length) {
    const cp = value.codePointAt(index)!;
    if (cp < 128 && FORM_SAFE[cp] === 1) out += value[index];
    else out += cp === 0x20 ? "+" : percentEncodeCodePoint(cp);
    index += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/** Encodes `[key, value]` pairs as an `application/x-www-form-urlencoded` string. */
export function formEncodeItems(items: Iterable<readonly [string, string]>): string {
  let out = "";
  for (const [key, value] of items) {
    out += (out === "" ? "" : "&") + formEncode(key) + "=" + formEncode(value);
  }
  return out;
}

function formDecode(value: string): string {
  return unquote(value.includes("+") ? value.replaceAll("+", " ") : value);
}

function parseQueryString(query: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const field of query.split("&")) {
    if (field === "") continue;
    const equals = field.indexOf("=");
    const key = formDecode(equals === -1 ? field : field.slice(0, equals));
    const value = equals === -1 ? "" : formDecode(field.slice(equals + 1));
    const list = entries.get(key);
    if (list === undefined) entries.set(key, [value]);
    else list.push(value);
  }
  return entries;
}

function fromPairs(pairs: ReadonlyArray<readonly [string, PrimitiveData]>): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
      throw new TypeError("Query parameter pairs must be [key, value] arrays with a string key");
    }
    const [key, value] = pair;
    const list = entries.get(key);
    const text = primitiveToString(value, key);
    if (list === undefined) entries.set(key, [text]);
    else list.push(text);
  }
  return entries;
}

function fromRecord(record: Readonly<Record<string, PrimitiveData | readonly PrimitiveData[]>>) {
  const entries = new Map<string, string[]>();
  for (const [key, value] of Object.entries(record)) {
    const values: readonly PrimitiveData[] = Array.isArray(value) ? value : [value as PrimitiveData];
    entries.set(
      key,
      values.map((item) => primitiveToString(item, key)),
    );
  }
  return entries;
}

/**
 * URL query parameters: an immutable multi-dict that keeps the order in which keys first appear. Every change
 * (`set`, `add`, `remove`, `merge`) returns a new instance.
 *
 * ```ts
 * const params = new QueryParams("a=123&a=456&b=789");
 * params.get("a");      // "123"
 * params.getList("a");  // ["123", "456"]
 * params.set("b", true).toString(); // "a=123&a=456&b=true"
 * ```
 */
export class QueryParams implements Iterable<[string, string]> {
  #entries: Entries;
  #string: string | undefined;

  constructor(params?: QueryParamTypes | null) {
    this.#entries = QueryParams.#entriesOf(params);
  }

  static #entriesOf(params: QueryParamTypes | null | undefined): Entries {
    if (params === null || params === undefined) return new Map();
    // Instances are immutable, so their entries are shared rather than copied.
    if (params instanceof QueryParams) return params.#entries;
    if (typeof params === "string") return parseQueryString(params);
    if (Array.isArray(params)) return fromPairs(params);
    if (typeof params === "object") return fromRecord(params as Readonly<Record<string, PrimitiveData>>);
    throw new TypeError("Invalid query parameters: expected a string, record, list of pairs or QueryParams");
  }

  static #from(entries: Entries): QueryParams {
    const params = new QueryParams();
    params.#entries = entries;
    return params;
  }

  /** The number of distinct keys. */
  get size(): number {
    return this.#entries.size;
  }

  /** The first value of `key`, or `undefined` when it is absent. */
  get(key: string): string | undefined {
    return this.#entries.get(key)?.[0];
  }

  /** Every value of `key`, in order; empty when it is absent. */
  getList(key: string): string[] {
    return [...(this.#entries.get(key) ?? [])];
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The distinct keys, in order of first appearance. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** The first value of each key. */
  values(): string[] {
    return [...this.#entries.values()].map((values) => values[0]!);
  }

  /** `[key, firstValue]` for each key. */
  items(): [string, string][] {
    return [...this.#entries].map(([key, values]) => [key, values[0]!]);
  }

  /** Every `[key, value]` pair, repeated keys included, grouped by key. */
  multiItems(): [string, string][] {
    const items: [string, string][] = [];
    for (const [key, values] of this.#entries) for (const value of values) items.push([key, value]);
    return items;
  }

  /** A copy with `key` set to the single `value`, replacing any values it had. */
  set(key: string, value: PrimitiveData = null): QueryParams {
    const entries = new Map(this.#entries);
    entries.set(key, [primitiveToString(value, key)]);
    return QueryParams.#from(entries);
  }

  /** A copy with `value` appended to the values of `key`. */
  add(key: string, value: PrimitiveData = null): QueryParams {
    const entries = new Map(this.#entries);
    entries.set(key, [...(this.#entries.get(key) ?? []), primitiveToString(value, key)]);
    return QueryParams.#from(entries);
  }

  /** A copy without `key`. */
  remove(key: string): QueryParams {
    if (!this.#entries.has(key)) return this;
    const entries = new Map(this.#entries);
    entries.delete(key);
    return QueryParams.#from(entries);
  }

  /** A copy where every key of `params` replaces that key's values here; other keys are kept. */
  merge(params?: QueryParamTypes | null): QueryParams {
    if (params === undefined || params === null) return this;
    const other = QueryParams.#entriesOf(params);
    if (other.size === 0) return this;
    if (this.#entries.size === 0) return QueryParams.#from(other);
    return QueryParams.#from(new Map([...this.#entries, ...other]));
  }

  /** Whether `other` is a `QueryParams` with the same pairs, in any order. */
  equals(other: unknown): boolean {
    if (!(other instanceof QueryParams)) return false;
    if (other === this) return true;
    const sorted = (params: QueryParams) =>
      params
        .multiItems()
        .map(([key, value]) => JSON.stringify([key, value]))
        .sort();
    const mine = sorted(this);
    const theirs = sorted(other);
    return mine.length === theirs.length && mine.every((item, index) => item === theirs[index]);
  }

  /** The form-encoded query string, without a leading "?": `a=x+y&b=z%26w`. */
  toString(): string {
    this.#string ??= formEncodeItems(this.multiItems());
    return this.#string;
  }

  /** The query string, so `JSON.stringify` shows the parameters as they are sent. */
  toJSON(): string {
    return this.toString();
  }

  /** Iterates every `[key, value]` pair, as {@link QueryParams.multiItems} lists them. */
  [Symbol.iterator](): Iterator<[string, string]> {
    return this.multiItems()[Symbol.iterator]();
  }
}

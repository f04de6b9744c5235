/**
 * Request patterns: tests on one part of a request (method, host, path, query, headers, cookies, body...) that
 * combine with `and`, `or` and `not`, and explain why a request does not match.
 *
 * @module
 */
import type { QueryParams, Request } from "@ferry/core";
import { jsonDifference } from "./json-match.js";
import { RequestView } from "./request-view.js";
import { type Captures, describeValue, NO_CAPTURES, type ValueMatcher } from "./value-matchers.js";

/**
 * A test on a request. Combine patterns with `a.and(b)`, `a.or(b)` and `a.not()` (or `M.and()`, `M.or()`,
 * `M.not()`); build them with `M`.
 */
export abstract class Pattern {
  /** Returns what the pattern captured (path parameters, RegExp groups) when the request matches, else `undefined`. */
  abstract match(view: RequestView): Captures | undefined;

  /** Why the request does not match: one line per failing test, empty when it matches. */
  abstract explain(view: RequestView): string[];

  /** How the pattern reads in a message: `method "GET"`, `path "/users/:id"`. */
  abstract describe(): string;

  /** How many single tests the pattern holds, to rank near misses by the share of tests they pass. */
  get size(): number {
    return 1;
  }

  /** Names of the request headers the pattern reads, shown with an unmatched request. */
  get headerNames(): readonly string[] {
    return [];
  }

  /** Whether the pattern reads the request body, which is then shown with an unmatched request. */
  get readsBody(): boolean {
    return false;
  }

  /** A pattern that matches when this one and every one of `others` match. */
  and(...others: readonly Pattern[]): Pattern {
    return new AndPattern([this, ...others]);
  }

  /** A pattern that matches when this one or any of `others` matches. */
  or(...others: readonly Pattern[]): Pattern {
    return new OrPattern([this, ...others]);
  }

  /** A pattern that matches when this one does not. */
  not(): Pattern {
    return new NotPattern(this);
  }
}

/** Merges captures, allocating only when both sides captured something. */
function mergeCaptures(into: Captures, from: Captures): Captures {
  if (from === NO_CAPTURES) return into;
  if (into === NO_CAPTURES) return from;
  return { ...into, ...from };
}

/** Every request. */
export class AnyPattern extends Pattern {
  match(): Captures {
    return NO_CAPTURES;
  }

  explain(): string[] {
    return [];
  }

  describe(): string {
    return "any request";
  }
}

/** All of the patterns. */
export class AndPattern extends Pattern {
  readonly patterns: readonly Pattern[];

  constructor(patterns: readonly Pattern[]) {
    super();
    this.patterns = patterns.flatMap((pattern) =>
      pattern instanceof AndPattern ? pattern.patterns : [pattern],
    );
  }

  match(view: RequestView): Captures | undefined {
    let captures = NO_CAPTURES;
    for (const pattern of this.patterns) {
      const captured = pattern.match(view);
      if (captured === undefined) return undefined;
      captures = mergeCaptures(captures, captured);
    }
    return captures;
  }

  explain(view: RequestView): string[] {
    return this.patterns.flatMap((pattern) => pattern.explain(view));
  }

  describe(): string {
    return this.patterns.map((pattern) => pattern.describe()).join(" and ");
  }

  override get size(): number {
    return this.patterns.reduce((total, pattern) => total + pattern.size, 0);
  }

  override get headerNames(): readonly string[] {
    return this.patterns.flatMap((pattern) => pattern.headerNames);
  }

  override get readsBody(): boolean {
    return this.patterns.some((pattern) => pattern.readsBody);
  }
}

/** Any of the patterns. */
export class OrPattern extends Pattern {
  readonly patterns: readonly Pattern[];

  constructor(patterns: readonly Pattern[]) {
    super();
    this.patterns = patterns;
  }

  match(view: RequestView): Captures | undefined {
    for (const pattern of this.patterns) {
      const captured = pattern.match(view);
      if (captured !== undefined) return captured;
    }
    return undefined;
  }

  explain(view: RequestView): string[] {
    if (this.match(view) !== undefined) return [];
    const reasons = this.patterns.map((pattern) => pattern.explain(view).join(", "));
    return [`none of (${reasons.join(") or (")})`];
  }

  describe(): string {
    return `(${this.patterns.map((pattern) => pattern.describe()).join(" or ")})`;
  }

  override get headerNames(): readonly string[] {
    return this.patterns.flatMap((pattern) => pattern.headerNames);
  }

  override get readsBody(): boolean {
    return this.patterns.some((pattern) => pattern.readsBody);
  }
}

/** Requests the pattern does not match. */
export class NotPattern extends Pattern {
  readonly pattern: Pattern;

  constructor(pattern: Pattern) {
    super();
    this.pattern = pattern;
  }

  match(view: RequestView): Captures | undefined {
    return this.pattern.match(view) === undefined ? NO_CAPTURES : undefined;
  }

  explain(view: RequestView): string[] {
    return this.pattern.match(view) === undefined
      ? []
      : [`matches ${this.pattern.describe()}, which it must not`];
  }

  describe(): string {
    return `not ${this.pattern.describe()}`;
  }

  override get headerNames(): readonly string[] {
    return this.pattern.headerNames;
  }

  override get readsBody(): boolean {
    return this.pattern.readsBody;
  }
}

/** The parts of a request a {@link ValuePattern} can read. */
export type RequestPart = "method" | "scheme" | "host" | "url";

const READ_PART: Readonly<Record<RequestPart, (request: Request) => string>> = {
  method: (request) => request.method,
  scheme: (request) => request.url.scheme,
  host: (request) => request.url.host,
  url: (request) => String(request.url),
};

/** One string part of the request (method, scheme, host or the whole URL) tested by a value matcher. */
export class ValuePattern extends Pattern {
  readonly part: RequestPart;
  readonly matcher: ValueMatcher;
  readonly #read: (request: Request) => string;

  constructor(part: RequestPart, matcher: ValueMatcher) {
    super();
    this.part = part;
    this.matcher = matcher;
    this.#read = READ_PART[part];
  }

  match(view: RequestView): Captures | undefined {
    return this.matcher.test(this.#read(view.request));
  }

  explain(view: RequestView): string[] {
    const actual = this.#read(view.request);
    if (this.matcher.test(actual) !== undefined) return [];
    return [`${this.part}: expected ${this.matcher.describe()}, got ${JSON.stringify(actual)}`];
  }

  describe(): string {
    return `${this.part} ${this.matcher.describe()}`;
  }
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };

/** The port, with the scheme's default port when the URL names none. */
export function effectivePort(request: Request): number | null {
  return request.url.port ?? DEFAULT_PORTS[request.url.scheme] ?? null;
}

/** The port, the scheme's default counting: `port: 443` matches `https://example.com/`. */
export class PortPattern extends Pattern {
  readonly ports: readonly number[];

  constructor(ports: readonly number[]) {
    super();
    this.ports = ports;
  }

  match(view: RequestView): Captures | undefined {
    const port = effectivePort(view.request);
    return port !== null && this.ports.includes(port) ? NO_CAPTURES : undefined;
  }

  explain(view: RequestView): string[] {
    if (this.match(view) !== undefined) return [];
    return [`port: expected ${this.ports.join(" or ")}, got ${effectivePort(view.request) ?? "none"}`];
  }

  describe(): string {
    return `port ${this.ports.join(" or ")}`;
  }
}

/**
 * The path, tested below a base path: with base `/v1`, the matcher sees `/users` for a request to `/v1/users`, and
 * a request outside `/v1` does not match.
 */
export class PathPattern extends Pattern {
  readonly base: string;
  readonly matcher: ValueMatcher | null;

  constructor(base: string, matcher: ValueMatcher | null) {
    super();
    this.base = base.endsWith("/") ? base.slice(0, -1) : base;
    this.matcher = matcher;
  }

  #relative(path: string): string | undefined {
    if (this.base === "") return path;
    if (!path.startsWith(this.base)) return undefined;
    const rest = path.slice(this.base.length);
    if (rest === "") return "/";
    return rest.startsWith("/") ? rest : undefined;
  }

  match(view: RequestView): Captures | undefined {
    const relative = this.#relative(view.request.url.path);
    if (relative === undefined) return undefined;
    return this.matcher === null ? NO_CAPTURES : this.matcher.test(relative);
  }

  explain(view: RequestView): string[] {
    if (this.match(view) !== undefined) return [];
    return [`path: expected ${this.describe().slice(5)}, got ${JSON.stringify(view.request.url.path)}`];
  }

  describe(): string {
    if (this.matcher === null) return `path under ${JSON.stringify(this.base)}`;
    const inner = this.matcher.describe();
    if (this.base === "") return `path ${inner}`;
    return inner.startsWith('"/')
      ? `path "${this.base}${inner.slice(1)}`
      : `path ${inner} under "${this.base}"`;
  }
}

/** An expected field of a query or form: tests for its values in order, or `null` when it must be absent. */
export type FieldExpectation = readonly [name: string, tests: readonly ValueMatcher[] | null];

/** Query parameters or form fields: those given must be there (or, `exact`, be all there is). */
export class FieldsPattern extends Pattern {
  readonly source: "params" | "data";
  readonly fields: readonly FieldExpectation[];
  readonly exact: boolean;

  constructor(source: "params" | "data", fields: readonly FieldExpectation[], exact: boolean) {
    super();
    this.source = source;
    this.fields = fields;
    this.exact = exact;
  }

  #actual(view: RequestView): QueryParams | undefined {
    return this.source === "params" ? view.request.url.params : view.form;
  }

  match(view: RequestView): Captures | undefined {
    const actual = this.#actual(view);
    if (actual === undefined) return undefined;
    let captures = NO_CAPTURES;
    for (const [name, tests] of this.fields) {
      const captured = fieldCaptures(actual.getList(name), tests, this.exact);
      if (captured === undefined) return undefined;
      captures = mergeCaptures(captures, captured);
    }
    if (this.exact && actual.keys().some((key) => !this.fields.some(([name]) => name === key)))
      return undefined;
    return captures;
  }

  explain(view: RequestView): string[] {
    const actual = this.#actual(view);
    if (actual === undefined) return [`${this.source}: the body is not a URL-encoded form`];
    const reasons: string[] = [];
    for (const [name, tests] of this.fields) {
      const values = actual.getList(name);
      if (fieldCaptures(values, tests, this.exact) !== undefined) continue;
      const expected = tests === null ? "absent" : tests.map((test) => test.describe()).join(", ");
      const got = values.length === 0 ? "absent" : values.map((value) => JSON.stringify(value)).join(", ");
      reasons.push(`${this.source} ${JSON.stringify(name)}: expected ${expected}, got ${got}`);
    }
    if (this.exact) {
      const extra = actual.keys().filter((key) => !this.fields.some(([name]) => name === key));
      if (extra.length > 0)
        reasons.push(`${this.source}: unexpected ${extra.map((key) => JSON.stringify(key)).join(", ")}`);
    }
    return reasons;
  }

  describe(): string {
    const fields = this.fields.map(([name, tests]) =>
      tests === null ? `!${name}` : `${name}=${tests.map((test) => test.describe()).join("&")}`,
    );
    return `${this.exact ? "exactly " : ""}${this.source} {${fields.join(", ")}}`;
  }

  override get readsBody(): boolean {
    return this.source === "data";
  }
}

/**
 * Captures of one field: `null` tests want it absent; otherwise each test must pass on some value (on the value at
 * its position, and as many values as tests, when `exact`).
 */
function fieldCaptures(
  values: readonly string[],
  tests: readonly ValueMatcher[] | null,
  exact: boolean,
): Captures | undefined {
  if (tests === null) return values.length === 0 ? NO_CAPTURES : undefined;
  if (exact && values.length !== tests.length) return undefined;
  let captures = NO_CAPTURES;
  for (let index = 0; index < tests.length; index++) {
    const test = tests[index]!;
    const captured = exact ? test.test(values[index]!) : firstCaptures(test, values);
    if (captured === undefined) return undefined;
    captures = mergeCaptures(captures, captured);
  }
  return captures;
}

function firstCaptures(test: ValueMatcher, values: readonly string[]): Captures | undefined {
  for (const value of values) {
    const captured = test.test(value);
    if (captured !== undefined) return captured;
  }
  return undefined;
}

/** One header or cookie: present and passing the test, or absent when the test is `null`. */
export class NamedValuePattern extends Pattern {
  readonly source: "header" | "cookie";
  readonly name: string;
  readonly matcher: ValueMatcher | null;

  constructor(source: "header" | "cookie", name: string, matcher: ValueMatcher | null) {
    super();
    this.source = source;
    this.name = source === "header" ? name.toLowerCase() : name;
    this.matcher = matcher;
  }

  #value(view: RequestView): string | undefined {
    return this.source === "header" ? view.request.headers.get(this.name) : view.cookies.get(this.name);
  }

  match(view: RequestView): Captures | undefined {
    const value = this.#value(view);
    if (this.matcher === null) return value === undefined ? NO_CAPTURES : undefined;
    return value === undefined ? undefined : this.matcher.test(value);
  }

  explain(view: RequestView): string[] {
    if (this.match(view) !== undefined) return [];
    const value = this.#value(view);
    const expected = this.matcher === null ? "absent" : this.matcher.describe();
    return [
      `${this.source} ${JSON.stringify(this.name)}: expected ${expected}, got ${value === undefined ? "absent" : describeValue(value)}`,
    ];
  }

  describe(): string {
    return `${this.source} ${this.name}${this.matcher === null ? " absent" : ` ${this.matcher.describe()}`}`;
  }

  override get headerNames(): readonly string[] {
    return [this.source === "header" ? this.name : "cookie"];
  }
}

/** The body as text (UTF-8) tested by a value matcher, or as bytes compared exactly. */
export class ContentPattern extends Pattern {
  readonly expected: ValueMatcher | Uint8Array;

  constructor(expected: ValueMatcher | Uint8Array) {
    super();
    this.expected = expected;
  }

  match(view: RequestView): Captures | undefined {
    if (!(this.expected instanceof Uint8Array)) return this.expected.test(view.text);
    return sameBytes(this.expected, view.request.content) ? NO_CAPTURES : undefined;
  }

  explain(view: RequestView): string[] {
    if (this.match(view) !== undefined) return [];
    return [`body: expected ${this.describe().slice(5)}, got ${describeValue(view.text)}`];
  }

  describe(): string {
    if (this.expected instanceof Uint8Array) return `body ${this.expected.byteLength} bytes`;
    return `body ${this.expected.describe()}`;
  }

  override get readsBody(): boolean {
    return true;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let index = 0; index < a.byteLength; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** The body parsed as JSON, compared with a value (exactly, or partly inside `M.partial()`) or tested by a function. */
export class JsonPattern extends Pattern {
  readonly expected: unknown;
  readonly #predicate: ((body: unknown) => boolean) | null;

  constructor(expected: unknown) {
    super();
    this.expected = expected;
    this.#predicate = typeof expected === "function" ? (expected as (body: unknown) => boolean) : null;
  }

  #difference(view: RequestView): string | undefined {
    const body = view.json;
    if (body === RequestView.NOT_JSON) return "is not JSON";
    if (this.#predicate !== null) return this.#predicate(body) ? undefined : "does not pass the predicate";
    return jsonDifference(this.expected, body, false);
  }

  match(view: RequestView): Captures | undefined {
    return this.#difference(view) === undefined ? NO_CAPTURES : undefined;
  }

  explain(view: RequestView): string[] {
    const difference = this.#difference(view);
    return difference === undefined ? [] : [`json body ${difference}`];
  }

  describe(): string {
    return this.#predicate === null ? `json ${describeValue(this.expected)}` : "json passing a predicate";
  }

  override get readsBody(): boolean {
    return true;
  }
}

/** Any test on the request, as a function. */
export class PredicatePattern extends Pattern {
  readonly #test: (request: Request) => boolean;
  readonly #description: string;

  constructor(test: (request: Request) => boolean, description?: string) {
    super();
    this.#test = test;
    this.#description = description ?? (test.name ? `${test.name}()` : "a predicate");
  }

  match(view: RequestView): Captures | undefined {
    return this.#test(view.request) ? NO_CAPTURES : undefined;
  }

  explain(view: RequestView): string[] {
    return this.#test(view.request) ? [] : [`${this.#description} returned false`];
  }

  describe(): string {
    return this.#description;
  }
}

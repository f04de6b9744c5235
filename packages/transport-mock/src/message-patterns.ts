/**
 * Patterns on what a request carries: query parameters, form fields, headers, cookies, the body as text, bytes or
 * JSON, and any predicate.
 *
 * @module
 */
import type { QueryParams, Request } from "@ferry/core";
import { jsonDifference } from "./json-match.js";
import { mergeCaptures, Pattern } from "./patterns.js";
import { RequestView } from "./request-view.js";
import { type Captures, describeValue, NO_CAPTURES, type ValueMatcher } from "./value-matchers.js";

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

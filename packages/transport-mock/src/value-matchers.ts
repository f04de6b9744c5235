/**
 * Tests on one value of a request (a path, a host, a header value): exact strings, path templates, prefixes, globs,
 * regular expressions, predicates and asymmetric matchers such as vitest's `expect.any(String)`.
 *
 * @module
 */

/** Values a test captured: named groups of a RegExp, `:name` segments of a path template. */
export type Captures = Readonly<Record<string, string>>;

/** An object that matches values by its own rule, as vitest's and jest's `expect.any()` or `expect.stringMatching()`. */
export interface AsymmetricMatcher {
  asymmetricMatch(actual: unknown): boolean;
}

/**
 * A test on one string value. Build one with {@link M.startsWith}, {@link M.glob} and friends, or let a route turn a
 * string, a RegExp or a function into one.
 */
export abstract class ValueMatcher {
  /** Returns what the test captured when `value` passes, `undefined` when it fails. */
  abstract test(value: string): Captures | undefined;

  /** How the test reads in an error message: `"/users/:id"`, `starts with "/api"`. */
  abstract describe(): string;
}

/** Anything a route accepts as a test on a string value. */
export type ValueLike = string | RegExp | ValueMatcher | AsymmetricMatcher | ((value: string) => boolean);

/** How a plain string is read: as a template with wildcards (paths, hosts), and whether case counts. */
export interface StringReading {
  /** `:name` segments capture one path segment and `*` matches anything. */
  readonly template?: boolean;
  /** Compared without regard to case (methods, schemes, hosts). */
  readonly caseless?: boolean;
}

const LITERAL: StringReading = Object.freeze({});

/** The result of a passing test that captured nothing, shared to keep the hot path free of allocations. */
export const NO_CAPTURES: Captures = Object.freeze({});

class Equals extends ValueMatcher {
  readonly #text: string;
  readonly #expected: string;
  readonly #caseless: boolean;

  constructor(expected: string, caseless: boolean) {
    super();
    this.#text = expected;
    this.#caseless = caseless;
    this.#expected = caseless ? expected.toLowerCase() : expected;
  }

  test(value: string): Captures | undefined {
    if (value === this.#text) return NO_CAPTURES;
    if (!this.#caseless) return undefined;
    return value.toLowerCase() === this.#expected ? NO_CAPTURES : undefined;
  }

  describe(): string {
    return JSON.stringify(this.#text);
  }
}

class RegExpMatcher extends ValueMatcher {
  readonly #regexp: RegExp;

  constructor(regexp: RegExp) {
    super();
    // A global or sticky RegExp keeps state between calls: a copy without those flags answers the same every time.
    this.#regexp =
      regexp.global || regexp.sticky ? new RegExp(regexp.source, regexp.flags.replace(/[gy]/g, "")) : regexp;
  }

  test(value: string): Captures | undefined {
    const match = this.#regexp.exec(value);
    if (match === null) return undefined;
    return match.groups === undefined ? NO_CAPTURES : definedGroups(match.groups);
  }

  describe(): string {
    return String(this.#regexp);
  }
}

function definedGroups(groups: Record<string, string | undefined>): Captures {
  const captures: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) {
    if (value !== undefined) captures[name] = value;
  }
  return captures;
}

/** A compiled template or glob: a RegExp whose named groups are the captures, and the text it was built from. */
class CompiledPattern extends RegExpMatcher {
  readonly #text: string;

  constructor(regexp: RegExp, text: string) {
    super(regexp);
    this.#text = text;
  }

  override describe(): string {
    return JSON.stringify(this.#text);
  }
}

class Predicate extends ValueMatcher {
  readonly #test: (value: string) => boolean;
  readonly #description: string;

  constructor(test: (value: string) => boolean, description: string) {
    super();
    this.#test = test;
    this.#description = description;
  }

  test(value: string): Captures | undefined {
    return this.#test(value) ? NO_CAPTURES : undefined;
  }

  describe(): string {
    return this.#description;
  }
}

class AnyOf extends ValueMatcher {
  readonly #matchers: readonly ValueMatcher[];

  constructor(matchers: readonly ValueMatcher[]) {
    super();
    this.#matchers = matchers;
  }

  test(value: string): Captures | undefined {
    for (const matcher of this.#matchers) {
      const captures = matcher.test(value);
      if (captures !== undefined) return captures;
    }
    return undefined;
  }

  describe(): string {
    return `one of ${this.#matchers.map((matcher) => matcher.describe()).join(", ")}`;
  }
}

const REGEXP_SPECIALS = /[\\^$.*+?()[\]{}|/]/g;

function escapeRegExp(text: string): string {
  return text.replace(REGEXP_SPECIALS, "\\$&");
}

// A `:name` segment of a path template: the name is a JavaScript identifier, so it can be a RegExp group name.
const TEMPLATE_PART = /:([A-Za-z_$][\w$]*)|\*/g;

/**
 * A template: literal text where `:name` (after a "/") matches one path segment and captures it, and `*` matches
 * any run of characters. Without either it is an exact string.
 */
function template(text: string, caseless: boolean): ValueMatcher {
  if (!text.includes("*") && !/(^|\/):[A-Za-z_$]/.test(text)) return new Equals(text, caseless);
  let source = "^";
  let last = 0;
  for (const part of text.matchAll(TEMPLATE_PART)) {
    const index = part.index;
    const isParam = part[1] !== undefined;
    if (isParam && index > 0 && text[index - 1] !== "/") continue;
    source += escapeRegExp(text.slice(last, index));
    source += isParam ? `(?<${part[1]}>[^/]+)` : ".*";
    last = index + part[0].length;
  }
  source += `${escapeRegExp(text.slice(last))}$`;
  return new CompiledPattern(new RegExp(source, caseless ? "i" : ""), text);
}

/**
 * A glob: `*` matches within one path segment, `**` across segments, `?` one character, `{a,b}` either word.
 */
export function compileGlob(glob: string): ValueMatcher {
  let source = "^";
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === "*" && glob[index + 1] === "*") {
      source += ".*";
      index++;
    } else if (char === "*") {
      source += "[^/]*";
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "{") {
      const end = glob.indexOf("}", index);
      if (end === -1) throw new TypeError(`The glob ${JSON.stringify(glob)} has a "{" without its "}".`);
      source += `(?:${glob
        .slice(index + 1, end)
        .split(",")
        .map(escapeRegExp)
        .join("|")})`;
      index = end;
    } else {
      source += escapeRegExp(char);
    }
  }
  return new CompiledPattern(new RegExp(`${source}$`), glob);
}

/** Whether `value` is an asymmetric matcher (vitest's `expect.any(Number)`, `expect.stringContaining("x")`...). */
export function isAsymmetricMatcher(value: unknown): value is AsymmetricMatcher {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Partial<AsymmetricMatcher>).asymmetricMatch === "function"
  );
}

/**
 * Turns what a route was given into a {@link ValueMatcher}; `reading` says how a plain string reads.
 *
 * @throws TypeError naming `option` when `value` is none of the accepted kinds.
 */
export function toValueMatcher(
  value: unknown,
  option: string,
  reading: StringReading = LITERAL,
): ValueMatcher {
  if (value instanceof ValueMatcher) return value;
  if (typeof value === "string") {
    const caseless = reading.caseless === true;
    return reading.template === true ? template(value, caseless) : new Equals(value, caseless);
  }
  if (value instanceof RegExp) return new RegExpMatcher(value);
  if (typeof value === "function") {
    const test = value as (value: string) => unknown;
    return new Predicate((actual) => Boolean(test(actual)), test.name ? `${test.name}()` : "a predicate");
  }
  if (isAsymmetricMatcher(value)) {
    return new Predicate((actual) => value.asymmetricMatch(actual), describeAsymmetric(value));
  }
  if (Array.isArray(value)) return new AnyOf(value.map((item) => toValueMatcher(item, option, reading)));
  throw new TypeError(
    `${option} must be a string, a RegExp, a function or a matcher such as M.startsWith(), got ${describeValue(value)}.`,
  );
}

/** Builders of value tests, also reachable as `M.equals()`, `M.startsWith()`... */
export const valueMatchers = {
  /** Exactly `text`: no `:name` or `*` wildcards even in a path. */
  equals(text: string): ValueMatcher {
    return new Equals(checkText(text, "M.equals()"), false);
  },
  /** Values that start with `prefix`. */
  startsWith(prefix: string): ValueMatcher {
    checkText(prefix, "M.startsWith()");
    return new Predicate((value) => value.startsWith(prefix), `starts with ${JSON.stringify(prefix)}`);
  },
  /** Values that end with `suffix`. */
  endsWith(suffix: string): ValueMatcher {
    checkText(suffix, "M.endsWith()");
    return new Predicate((value) => value.endsWith(suffix), `ends with ${JSON.stringify(suffix)}`);
  },
  /** Values that contain `text`. */
  contains(text: string): ValueMatcher {
    checkText(text, "M.contains()");
    return new Predicate((value) => value.includes(text), `contains ${JSON.stringify(text)}`);
  },
  /** Values that match the glob: `*` within a segment, `**` across segments, `?` one character, `{a,b}`. */
  glob(glob: string): ValueMatcher {
    return compileGlob(checkText(glob, "M.glob()"));
  },
  /** Values that pass any of the tests. */
  oneOf(...values: readonly ValueLike[]): ValueMatcher {
    return new AnyOf(values.map((value) => toValueMatcher(value, "M.oneOf()")));
  },
};

function checkText(text: unknown, option: string): string {
  if (typeof text !== "string") throw new TypeError(`${option} needs a string, got ${describeValue(text)}.`);
  return text;
}

function describeAsymmetric(matcher: AsymmetricMatcher): string {
  const described = (matcher as { toAsymmetricMatcher?: () => string }).toAsymmetricMatcher?.();
  return described ?? String(matcher);
}

/** A short description of any value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string")
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === "function") return "a function";
  if (isAsymmetricMatcher(value)) return describeAsymmetric(value);
  if (value instanceof RegExp) return String(value);
  if (typeof value === "object") {
    try {
      const json = JSON.stringify(value);
      if (json !== undefined) return json.length > 80 ? `${json.slice(0, 77)}...` : json;
    } catch {
      // A cyclic object: its type name is the best description left.
    }
    return `a ${value.constructor?.name ?? "object"}`;
  }
  return String(value);
}

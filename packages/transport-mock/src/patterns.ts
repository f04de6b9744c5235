/**
 * Request patterns: tests on a request that combine with `and`, `or` and `not`, and explain why a request does not
 * match. The tests on each part of a request are in location-patterns.ts and message-patterns.ts.
 *
 * @module
 */
import type { RequestView } from "./request-view.js";
import { type Captures, NO_CAPTURES } from "./value-matchers.js";

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
export function mergeCaptures(into: Captures, from: Captures): Captures {
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

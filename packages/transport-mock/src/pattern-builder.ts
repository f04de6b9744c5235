/**
 * `M`: builds request patterns and value tests, for routes that need more than an object of parts, such as
 * `M.host("api.example.com").and(M.path("/health").not())`.
 *
 * @module
 */
import type { Request } from "@ferry/core";
import { PartialJson } from "./json-match.js";
import { PathPattern, PortPattern, ValuePattern } from "./location-patterns.js";
import { JsonPattern, NamedValuePattern } from "./message-patterns.js";
import { AndPattern, NotPattern, OrPattern, Pattern } from "./patterns.js";
import {
  compileSpec,
  ExactFields,
  type FieldsLike,
  fieldsPattern,
  predicatePattern,
  type RouteSpec,
} from "./route-spec.js";
import { toValueMatcher, type ValueLike, valueMatchers } from "./value-matchers.js";

function checkPatterns(patterns: readonly Pattern[], option: string): readonly Pattern[] {
  if (patterns.length === 0) throw new TypeError(`${option} needs at least one pattern.`);
  for (const pattern of patterns) {
    if (!(pattern instanceof Pattern))
      throw new TypeError(`${option} takes patterns built with M, got ${String(pattern)}.`);
  }
  return patterns;
}

const patternBuilders = {
  /** The method: `M.method("GET")`, `M.method(["GET", "HEAD"])`. Case does not count. */
  method(method: ValueLike | readonly string[]): Pattern {
    return new ValuePattern("method", toValueMatcher(method, "M.method()", { caseless: true }));
  },
  /** The scheme: `M.scheme("https")`. */
  scheme(scheme: ValueLike): Pattern {
    return new ValuePattern("scheme", toValueMatcher(scheme, "M.scheme()", { caseless: true }));
  },
  /** The host: `M.host("api.example.com")`, `M.host("*.example.com")`, `M.host(/^api\./)`. */
  host(host: ValueLike): Pattern {
    return new ValuePattern("host", toValueMatcher(host, "M.host()", { template: true, caseless: true }));
  },
  /** The port, the scheme's default counting. */
  port(...ports: readonly number[]): Pattern {
    return new PortPattern(ports);
  },
  /** The path: exact with `:name` segments and `*`, or a RegExp, `M.startsWith()`, `M.glob()`, a function. */
  path(path: ValueLike): Pattern {
    return new PathPattern("", toValueMatcher(path, "M.path()", { template: true }));
  },
  /** The whole URL as a string, tested by a RegExp or another value test. */
  url(url: ValueLike): Pattern {
    return new ValuePattern("url", toValueMatcher(url, "M.url()"));
  },
  /** Query parameters that must be present; inside `M.exactly()`, all there is. */
  params(params: FieldsLike | ExactFields): Pattern {
    return fieldsPattern("params", params);
  },
  /** Fields of a URL-encoded form body that must be present; inside `M.exactly()`, all there is. */
  data(fields: FieldsLike | ExactFields): Pattern {
    return fieldsPattern("data", fields);
  },
  /** One header with a value passing the test, or absent when the test is `null`. */
  header(name: string, value: ValueLike | null): Pattern {
    return new NamedValuePattern(
      "header",
      name,
      value === null ? null : toValueMatcher(value, `M.header("${name}")`),
    );
  },
  /** One cookie of the `Cookie` header, or its absence when the test is `null`. */
  cookie(name: string, value: ValueLike | null): Pattern {
    return new NamedValuePattern(
      "cookie",
      name,
      value === null ? null : toValueMatcher(value, `M.cookie("${name}")`),
    );
  },
  /** The body as text or bytes. */
  content(content: ValueLike | Uint8Array): Pattern {
    return compileSpec({ content }, null).pattern;
  },
  /** The body as JSON: equal to the value (containing it, inside `M.partial()`), or passing the function. */
  json(value: unknown): Pattern {
    return new JsonPattern(value);
  },
  /** Any test on the request; `description` names it in messages. */
  when(test: (request: Request) => boolean, description?: string): Pattern {
    return predicatePattern(test, "M.when()", description);
  },
  /** Matches when every pattern matches. */
  and(...patterns: readonly Pattern[]): Pattern {
    return new AndPattern(checkPatterns(patterns, "M.and()"));
  },
  /** Matches when any pattern matches. */
  or(...patterns: readonly Pattern[]): Pattern {
    return new OrPattern(checkPatterns(patterns, "M.or()"));
  },
  /** Matches when the pattern does not. */
  not(pattern: Pattern): Pattern {
    return new NotPattern(checkPatterns([pattern], "M.not()")[0]!);
  },
  /** A JSON value the body needs only to contain: extra keys in the body's objects are allowed. */
  partial(value: unknown): PartialJson {
    return new PartialJson(value);
  },
  /** Query parameters or form fields that must be all there is. */
  exactly(fields: FieldsLike): ExactFields {
    return new ExactFields(fields);
  },
};

/** The builder of request patterns and value tests. */
export type PatternBuilder = ((spec: RouteSpec) => Pattern) & typeof patternBuilders & typeof valueMatchers;

/**
 * Builds request patterns: `M({ method: "GET", host: "api.example.com" })` from an object of parts, or one part at
 * a time (`M.method()`, `M.host()`, `M.path()`, `M.params()`, `M.header()`, `M.cookie()`, `M.content()`,
 * `M.json()`, `M.data()`, `M.when()`), combined with `M.and()`, `M.or()`, `M.not()` or the methods of the
 * patterns. Also builds value tests usable in any part: `M.startsWith()`, `M.endsWith()`, `M.contains()`,
 * `M.glob()`, `M.equals()`, `M.oneOf()`; and the markers `M.partial()` (JSON) and `M.exactly()` (params, data).
 *
 * ```ts
 * router.route(M.or(M.host("a.example.com"), M.host("b.example.com")).and(M.path(M.startsWith("/v2/"))));
 * ```
 */
export const M: PatternBuilder = Object.assign(
  (spec: RouteSpec) => compileSpec(spec, null).pattern,
  patternBuilders,
  valueMatchers,
);

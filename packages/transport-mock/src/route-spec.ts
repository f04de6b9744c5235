/**
 * What a route matches, written as an object (`{ method: "POST", path: "/users", json: { name: "Ada" } }`), and its
 * compilation, once, into a {@link Pattern}; the router's base URL fills in what a route leaves out.
 *
 * @module
 */
import { QueryParams, type QueryParamTypes, type Request, URL } from "@ferry/core";
import { PathPattern, PortPattern, ValuePattern } from "./location-patterns.js";
import {
  ContentPattern,
  type FieldExpectation,
  FieldsPattern,
  JsonPattern,
  NamedValuePattern,
  PredicatePattern,
} from "./message-patterns.js";
import { AndPattern, AnyPattern, type Pattern } from "./patterns.js";
import { describeValue, toValueMatcher, type ValueLike, type ValueMatcher } from "./value-matchers.js";

/** A query parameter's or form field's expected value(s); `null` when it must be absent. */
export type FieldValueLike = ValueLike | number | boolean | null | readonly (ValueLike | number | boolean)[];

/** Expected query parameters or form fields: a record of tests, or any query (`"a=1&b=2"`, `QueryParams`, pairs). */
export type FieldsLike = Readonly<Record<string, FieldValueLike>> | QueryParamTypes;

/** Fields that must be all there is: see {@link M.exactly}. */
export class ExactFields {
  /** The expected fields. */
  readonly fields: FieldsLike;

  constructor(fields: FieldsLike) {
    this.fields = fields;
  }
}

/** What a route matches. Every part given must match; a part left out matches anything (or the router's base URL). */
export interface RouteSpec {
  /** A name shown in messages and accepted by `router.getRoute(name)`. */
  name?: string | undefined;
  /** `"GET"`, `["GET", "HEAD"]`, or any value test. Case does not count. */
  method?: ValueLike | readonly string[] | undefined;
  /**
   * A URL (`"https://api.example.com/users/:id?active=1"`) or, relative to the router's base URL, a path with an
   * optional query (`"/users?page=2"`); its query parameters must be present. A RegExp tests the whole URL.
   */
  url?: string | RegExp | ValueMatcher | undefined;
  /** The scheme: `"https"`. */
  scheme?: ValueLike | undefined;
  /** The host, lower case, IPv6 without brackets: `"api.example.com"`, `"*.example.com"`. */
  host?: ValueLike | undefined;
  /** The port or ports; the scheme's default port counts (`443` matches `https://example.com/`). */
  port?: number | readonly number[] | undefined;
  /**
   * The path, below the base URL's path: exact, with `:name` segments captured and `*` matching anything
   * (`"/users/:id"`); or a RegExp (named groups captured), `M.startsWith()`, `M.glob()`, a function.
   */
  path?: ValueLike | undefined;
  /** Query parameters that must be present (all there is, inside `M.exactly()`); `null` for "absent". */
  params?: FieldsLike | ExactFields | undefined;
  /** Headers that must be present with these values, `null` for "absent". Names ignore case. */
  headers?: Readonly<Record<string, ValueLike | null>> | undefined;
  /** Cookies of the `Cookie` header that must be present with these values, `null` for "absent". */
  cookies?: Readonly<Record<string, ValueLike | null>> | undefined;
  /** The body: text (UTF-8) compared or tested, or bytes compared. */
  content?: ValueLike | Uint8Array | undefined;
  /** The body as JSON: equal to this value (or containing it, inside `M.partial()`), or passing this function. */
  json?: unknown;
  /** Fields of a URL-encoded form body that must be present (all there is, inside `M.exactly()`). */
  data?: FieldsLike | ExactFields | undefined;
  /** Any other test on the request. */
  when?: ((request: Request) => boolean) | undefined;
  /** A pattern built with `M`, which must match too. */
  pattern?: Pattern | undefined;
}

/** The parts of a router's base URL that its routes inherit. */
export interface BaseUrl {
  readonly scheme: string;
  readonly host: string;
  readonly port: number | null;
  readonly path: string;
  readonly text: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };
const SPEC_KEYS: ReadonlySet<string> = new Set([
  "name",
  "method",
  "url",
  "scheme",
  "host",
  "port",
  "path",
  "params",
  "headers",
  "cookies",
  "content",
  "json",
  "data",
  "when",
  "pattern",
]);
const CASELESS = { caseless: true } as const;
const TEMPLATE = { template: true } as const;
const HOST = { template: true, caseless: true } as const;

/** Parses a router's `baseUrl` once. */
export function parseBaseUrl(baseUrl: string | URL): BaseUrl {
  const url = new URL(baseUrl);
  if (!url.isAbsoluteUrl) {
    throw new TypeError(
      `baseUrl must be an absolute URL such as "https://api.example.com", got ${describeValue(String(baseUrl))}.`,
    );
  }
  const port = url.port ?? DEFAULT_PORTS[url.scheme] ?? null;
  return { scheme: url.scheme, host: url.host, port, path: url.path, text: String(url) };
}

/** The parts of a URL template, split without validating wildcards (`*.example.com`, `/users/:id`). */
interface UrlTemplate {
  readonly scheme: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly path: string;
  readonly query: string | undefined;
}

const URL_TEMPLATE =
  /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/(\[[^\]]*\]|[^/?#:]*)(?::(\d+))?)?([^?#]*)(?:\?([^#]*))?/;

function parseUrlTemplate(text: string): UrlTemplate {
  const match = URL_TEMPLATE.exec(text);
  if (match === null) throw new TypeError(`Cannot read the route URL ${JSON.stringify(text)}.`);
  const [, scheme, host, port, path = "", query] = match;
  const relativePath = path === "" || path.startsWith("/") ? path : `/${path}`;
  return {
    scheme: scheme?.toLowerCase(),
    host: host === undefined ? undefined : host.replace(/^\[|\]$/g, "").toLowerCase(),
    port: port === undefined ? undefined : Number(port),
    path: decodePath(relativePath),
    query,
  };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A route spec compiled: its pattern, and how the route reads in messages (`GET https://api.example.com/users`). */
export interface CompiledSpec {
  readonly pattern: Pattern;
  readonly label: string;
}

/**
 * Compiles a route spec into one pattern, filling the scheme, host, port and path prefix from `base` unless the
 * spec gives an absolute URL.
 *
 * @throws TypeError naming the option when a part has the wrong type.
 */
export function compileSpec(spec: RouteSpec, base: BaseUrl | null): CompiledSpec {
  checkSpecKeys(spec);
  const target = typeof spec.url === "string" ? parseUrlTemplate(spec.url) : undefined;
  const absolute = target !== undefined && (target.scheme !== undefined || target.host !== undefined);
  const origin = absolute ? target : base;
  const location = [
    ...originPatterns(spec, origin, absolute && target.scheme !== undefined ? target.scheme : undefined),
    ...optional(compilePath(spec, target, absolute ? "" : (base?.path ?? ""))),
  ];
  if (spec.url !== undefined && typeof spec.url !== "string") {
    location.push(new ValuePattern("url", toValueMatcher(spec.url, "url")));
  }
  const extras: Pattern[] = [];
  if (target?.query !== undefined && target.query !== "") extras.push(fieldsPattern("params", target.query));
  if (spec.params !== undefined) extras.push(fieldsPattern("params", spec.params));
  extras.push(...namedValues("header", spec.headers), ...namedValues("cookie", spec.cookies));
  if (spec.content !== undefined) extras.push(contentPattern(spec.content));
  if (spec.json !== undefined) extras.push(new JsonPattern(spec.json));
  if (spec.data !== undefined) extras.push(fieldsPattern("data", spec.data));
  if (spec.when !== undefined) extras.push(predicatePattern(spec.when, "when"));
  if (spec.pattern !== undefined) extras.push(spec.pattern);
  const method =
    spec.method === undefined
      ? []
      : [new ValuePattern("method", toValueMatcher(spec.method, "method", CASELESS))];
  const patterns = [...method, ...location, ...extras];
  const pattern =
    patterns.length === 0
      ? new AnyPattern()
      : patterns.length === 1
        ? patterns[0]!
        : new AndPattern(patterns);
  return { pattern, label: label(spec, location, extras) };
}

function optional<T>(value: T | null): T[] {
  return value === null ? [] : [value];
}

function originPatterns(
  spec: RouteSpec,
  origin: UrlTemplate | BaseUrl | null | undefined,
  scheme?: string,
): Pattern[] {
  const patterns: Pattern[] = [];
  const schemeTest = spec.scheme ?? origin?.scheme;
  if (schemeTest !== undefined)
    patterns.push(new ValuePattern("scheme", toValueMatcher(schemeTest, "scheme", CASELESS)));
  const host = spec.host ?? origin?.host;
  if (host !== undefined) patterns.push(new ValuePattern("host", toValueMatcher(host, "host", HOST)));
  const port = spec.port ?? origin?.port ?? (scheme === undefined ? undefined : DEFAULT_PORTS[scheme]);
  if (port !== undefined && port !== null) patterns.push(new PortPattern(checkPorts(port)));
  return patterns;
}

/** `GET https://api.example.com/users/:id with header authorization "Bearer x"`. */
function label(spec: RouteSpec, location: readonly Pattern[], extras: readonly Pattern[]): string {
  const method = spec.method === undefined ? "*" : methodLabel(spec.method);
  const where = location.map((pattern) => pattern.describe()).join(" ") || "any URL";
  const url = locationLabel(location) ?? where;
  const rest = extras.map((pattern) => pattern.describe());
  return `${method} ${url}${rest.length > 0 ? ` with ${rest.join(", ")}` : ""}`;
}

function methodLabel(method: NonNullable<RouteSpec["method"]>): string {
  if (typeof method === "string") return method.toUpperCase();
  if (Array.isArray(method) && method.every((item) => typeof item === "string"))
    return method.join("|").toUpperCase();
  return toValueMatcher(method, "method").describe();
}

/** The location as a URL when every part of it is a plain string, else `undefined`. */
function locationLabel(location: readonly Pattern[]): string | undefined {
  let scheme = "";
  let host = "";
  let port = "";
  let path = "";
  for (const pattern of location) {
    const text = pattern.describe();
    const quoted = /^\w+ "(.*)"$/.exec(text)?.[1];
    if (pattern instanceof PortPattern && pattern.ports.length === 1) port = `:${pattern.ports[0]}`;
    else if (pattern instanceof PathPattern && pattern.matcher === null) path = `${pattern.base}/*`;
    else if (quoted === undefined) return undefined;
    else if (text.startsWith("scheme")) scheme = quoted;
    else if (text.startsWith("host")) host = quoted;
    else if (text.startsWith("path")) path = quoted;
    else return undefined;
  }
  if (host === "") return path === "" ? undefined : path;
  const defaultPort = DEFAULT_PORTS[scheme];
  if (defaultPort !== undefined && port === `:${defaultPort}`) port = "";
  return `${scheme === "" ? "*" : scheme}://${host.includes(":") ? `[${host}]` : host}${port}${path}`;
}

function checkSpecKeys(spec: RouteSpec): void {
  if (spec === null || typeof spec !== "object") {
    throw new TypeError(`A route must be described by an object, got ${describeValue(spec)}.`);
  }
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.has(key)) {
      throw new TypeError(
        `Unknown route option ${JSON.stringify(key)}: expected one of ${[...SPEC_KEYS].join(", ")}.`,
      );
    }
  }
}

function compilePath(spec: RouteSpec, target: UrlTemplate | undefined, basePath: string): Pattern | null {
  const relative = spec.path ?? (target !== undefined && target.path !== "" ? target.path : undefined);
  if (relative !== undefined) {
    const matcher = toValueMatcher(
      typeof relative === "string" ? withSlash(relative) : relative,
      "path",
      TEMPLATE,
    );
    return new PathPattern(basePath, matcher);
  }
  return basePath === "" || basePath === "/" ? null : new PathPattern(basePath, null);
}

function withSlash(path: string): string {
  return path.startsWith("/") || path.startsWith("*") ? path : `/${path}`;
}

function checkPorts(port: number | readonly number[]): readonly number[] {
  const ports = typeof port === "number" ? [port] : port;
  if (
    !Array.isArray(ports) ||
    !ports.every((value) => Number.isInteger(value) && value >= 0 && value <= 65535)
  ) {
    throw new TypeError(`port must be a port number or an array of them, got ${describeValue(port)}.`);
  }
  return ports;
}

/** A pattern on query parameters or form fields. */
export function fieldsPattern(source: "params" | "data", given: FieldsLike | ExactFields): Pattern {
  const exact = given instanceof ExactFields;
  const fields = exact ? given.fields : given;
  return new FieldsPattern(source, fieldExpectations(source, fields), exact);
}

function fieldExpectations(option: string, fields: FieldsLike): FieldExpectation[] {
  if (typeof fields === "string" || fields instanceof QueryParams || Array.isArray(fields)) {
    const params = new QueryParams(fields as QueryParamTypes);
    return params
      .keys()
      .map((key) => [key, params.getList(key).map((value) => toValueMatcher(value, option))]);
  }
  if (fields === null || typeof fields !== "object") {
    throw new TypeError(
      `${option} must be an object, a query string or a QueryParams, got ${describeValue(fields)}.`,
    );
  }
  return Object.entries(fields as Record<string, FieldValueLike>).map(([name, value]) => {
    if (value === null) return [name, null];
    const values = Array.isArray(value) ? value : [value];
    return [name, values.map((item) => toValueMatcher(fieldText(item), `${option}.${name}`))];
  });
}

function fieldText(value: unknown): unknown {
  return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
}

function namedValues(
  source: "header" | "cookie",
  record: Readonly<Record<string, ValueLike | null>> | undefined,
): Pattern[] {
  if (record === undefined) return [];
  if (record === null || typeof record !== "object") {
    throw new TypeError(`${source}s must be an object of names to values, got ${describeValue(record)}.`);
  }
  return Object.entries(record).map(
    ([name, value]) =>
      new NamedValuePattern(
        source,
        name,
        value === null ? null : toValueMatcher(value, `${source}s.${name}`),
      ),
  );
}

function contentPattern(content: ValueLike | Uint8Array): Pattern {
  return new ContentPattern(content instanceof Uint8Array ? content : toValueMatcher(content, "content"));
}

/** A pattern from a function on the request. */
export function predicatePattern(
  test: (request: Request) => boolean,
  option: string,
  description?: string,
): Pattern {
  if (typeof test !== "function")
    throw new TypeError(`${option} must be a function, got ${describeValue(test)}.`);
  return new PredicatePattern(test, description);
}

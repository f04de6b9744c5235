/**
 * The URL model: an immutable, parsed and normalised URL with httpx's semantics.
 *
 * @module
 */
import { idnaToUnicode } from "./idna.js";
import { quote, USERNAME_SAFE, unquote } from "./percent-encoding.js";
import { type PrimitiveData, QueryParams, type QueryParamTypes } from "./query-params.js";
import {
  type ComponentOverrides,
  formatAuthority,
  formatNetloc,
  formatURL,
  parseURL,
  pyRepr,
  type URLComponents,
  withFormQuery,
  withPathAndQuery,
  withQuery,
} from "./url-parse.js";

/**
 * Components given to `new URL(url, options)` or `url.copyWith(options)`, each replacing that part of the URL.
 * Strings are taken as they are written in a URL: already-escaped sequences are kept, other characters are
 * percent-encoded as the component requires (`username`/`password` are escaped fully, being decoded values).
 */
export interface URLOptions {
  scheme?: string;
  /** The decoded username; replaces the userinfo (and drops the password unless `password` is also given). */
  username?: string;
  /** The decoded password. */
  password?: string;
  /** The encoded "user:password". */
  userinfo?: string;
  /** The host; an IPv6 address may be given with or without brackets. */
  host?: string;
  /** The port; null removes it. A scheme's default port is normalised away. */
  port?: number | null;
  /** "host" or "host:port". */
  netloc?: string;
  path?: string;
  /** The encoded query, without "?"; null removes it (no trailing "?"). */
  query?: string | null;
  /** The encoded "path?query"; wins over `path`, `query` and `params`. */
  rawPath?: string;
  /** The fragment, without "#"; null removes it. */
  fragment?: string | null;
  /** Query parameters to encode as the query, replacing it; empty parameters remove it. */
  params?: QueryParamTypes | null;
}

type OptionName = keyof URLOptions;

const OPTION_TYPES: Readonly<Record<OptionName, "string" | "number" | "params">> = {
  scheme: "string",
  username: "string",
  password: "string",
  userinfo: "string",
  host: "string",
  port: "number",
  netloc: "string",
  path: "string",
  query: "string",
  rawPath: "string",
  fragment: "string",
  params: "params",
};

function checkOption(key: string, value: unknown): void {
  const expected = OPTION_TYPES[key as OptionName];
  if (expected === undefined) throw new TypeError(`'${key}' is an invalid option for URL()`);
  if (value === null || value === undefined || expected === "params") return;
  const seen = typeof value;
  if (seen !== expected) throw new TypeError(`URL option '${key}' must be a ${expected}, got ${seen}`);
  if (expected === "number" && !Number.isInteger(value)) {
    throw new TypeError(`URL option '${key}' must be an integer, got ${String(value)}`);
  }
}

function defined<T>(value: T | null | undefined): value is T | null {
  return value !== undefined;
}

/** Translates validated options into parser overrides, in httpx's order of precedence. */
function toOverrides(options: URLOptions): ComponentOverrides {
  for (const [key, value] of Object.entries(options)) checkOption(key, value);
  const overrides: ComponentOverrides = {};
  const o = options;
  if (defined(o.scheme)) overrides.scheme = o.scheme ?? "";
  if (defined(o.userinfo)) overrides.userinfo = o.userinfo ?? "";
  if (defined(o.path)) overrides.path = o.path ?? "";
  if (defined(o.query)) overrides.query = o.query;
  if (defined(o.fragment)) overrides.fragment = o.fragment;
  if (defined(o.port)) overrides.port = o.port === null ? null : String(o.port);
  if (defined(o.params)) {
    const params = new QueryParams(o.params);
    overrides.query = params.size === 0 ? null : params.toString();
  }
  if (defined(o.netloc)) {
    const netloc = o.netloc ?? "";
    const colon = netloc.indexOf(":");
    overrides.host = colon === -1 ? netloc : netloc.slice(0, colon);
    overrides.port = colon === -1 ? "" : netloc.slice(colon + 1);
  }
  if (defined(o.username) || defined(o.password)) {
    const username = quote(o.username ?? "", USERNAME_SAFE);
    const password = quote(o.password ?? "", USERNAME_SAFE);
    overrides.userinfo = password === "" ? username : `${username}:${password}`;
  }
  if (defined(o.rawPath)) {
    const rawPath = o.rawPath ?? "";
    const mark = rawPath.indexOf("?");
    overrides.path = mark === -1 ? rawPath : rawPath.slice(0, mark);
    overrides.query = mark === -1 ? null : rawPath.slice(mark + 1);
  }
  if (defined(o.host)) {
    const host = o.host ?? "";
    overrides.host = host.includes(":") && !(host.startsWith("[") && host.endsWith("]")) ? `[${host}]` : host;
  }
  return overrides;
}

/** Parsed components plus values derived from them on first use; shared by URLs built from one another. */
interface URLState {
  readonly components: URLComponents;
  href?: string;
  host?: string;
  netloc?: string;
  path?: string;
  rawPath?: string;
  params?: QueryParams;
}

function stateOf(components: URLComponents): URLState {
  return { components };
}

// A client sends to the same few URLs again and again: the state parsed from each recent string is kept, so a
// string is parsed once, however many requests name it. States only ever gain caches of values derived from
// their components, so sharing one between URLs is safe. Long strings are not kept, to bound the memory held.
const parsedStates = new Map<string, URLState>();
const PARSED_CACHE_SIZE = 256;
const PARSED_CACHE_MAX_LENGTH = 2048;

function parsedState(url: string): URLState {
  let state = parsedStates.get(url);
  if (state === undefined) {
    state = stateOf(parseURL(url));
    if (url.length > PARSED_CACHE_MAX_LENGTH) return state;
    if (parsedStates.size >= PARSED_CACHE_SIZE) parsedStates.delete(parsedStates.keys().next().value!);
    parsedStates.set(url, state);
  }
  return state;
}

/**
 * A URL, parsed and normalised once at construction: scheme and host lower-cased, international hosts encoded
 * with IDNA, default ports dropped, "." and ".." segments resolved, and each component percent-encoded as httpx
 * does. Immutable: the `copy*` methods and {@link URL.join} return new URLs.
 *
 * ```ts
 * const url = new URL("HTTPS://jo%40email.com:a%20secret@müller.de:1234/pa%20th?search=ab#anchorlink");
 * url.scheme;   // "https"
 * url.username; // "jo@email.com"
 * url.host;     // "müller.de"
 * url.rawHost;  // "xn--mller-kva.de"
 * url.port;     // 1234
 * url.path;     // "/pa th"
 * url.rawPath;  // "/pa%20th?search=ab"
 * ```
 *
 * Throws {@link InvalidURL} for a URL that cannot be parsed, and `TypeError` for an unknown or mistyped option.
 */
export class URL {
  #state: URLState;

  constructor(url: string | URL | globalThis.URL = "", options?: URLOptions) {
    const overrides = options === undefined ? undefined : toOverrides(options);
    if (typeof url === "string") {
      this.#state = overrides === undefined ? parsedState(url) : stateOf(parseURL(url, overrides));
    } else if (url instanceof URL) {
      this.#state =
        overrides === undefined ? url.#state : stateOf(withOverrides(url.#state.components, overrides));
    } else if (typeof globalThis.URL === "function" && url instanceof globalThis.URL) {
      this.#state = stateOf(parseURL(url.href, overrides));
    } else {
      throw new TypeError(`Invalid type for url: expected a string or URL, got ${describe(url)}`);
    }
  }

  /** The scheme, lower-cased: "https". "" for a relative URL. */
  get scheme(): string {
    return this.#state.components.scheme;
  }

  /** The percent-encoded "user:password", or "". */
  get userinfo(): string {
    return this.#state.components.userinfo;
  }

  /** The decoded username, or "". */
  get username(): string {
    const { userinfo } = this.#state.components;
    const colon = userinfo.indexOf(":");
    return unquote(colon === -1 ? userinfo : userinfo.slice(0, colon));
  }

  /** The decoded password, or "". */
  get password(): string {
    const { userinfo } = this.#state.components;
    const colon = userinfo.indexOf(":");
    return colon === -1 ? "" : unquote(userinfo.slice(colon + 1));
  }

  /** The host, lower-cased, international names in Unicode ("中国.icom.museum"), IPv6 without brackets. */
  get host(): string {
    const state = this.#state;
    state.host ??= idnaToUnicode(state.components.host);
    return state.host;
  }

  /** The host as sent on the wire: lower-cased ASCII, international names in punycode. */
  get rawHost(): string {
    return this.#state.components.host;
  }

  /** The port, or null when absent or the default of the scheme (80 for http, 443 for https...). */
  get port(): number | null {
    return this.#state.components.port;
  }

  /** "rawHost" or "rawHost:port", IPv6 addresses bracketed: the value of a `Host` header. */
  get netloc(): string {
    const state = this.#state;
    state.netloc ??= formatNetloc(state.components.host, state.components.port);
    return state.netloc;
  }

  /** The decoded path, "/" when empty. */
  get path(): string {
    const state = this.#state;
    state.path ??= unquote(state.components.path || "/");
    return state.path;
  }

  /** The encoded query string without "?", or "". */
  get query(): string {
    return this.#state.components.query ?? "";
  }

  /** The query parsed into {@link QueryParams}. */
  get params(): QueryParams {
    const state = this.#state;
    state.params ??= new QueryParams(state.components.query ?? "");
    return state.params;
  }

  /** The encoded "path?query" (the path "/" when empty; "?" kept when the query is empty): a request target. */
  get rawPath(): string {
    const state = this.#state;
    if (state.rawPath === undefined) {
      const { path, query } = state.components;
      state.rawPath = query === null ? path || "/" : `${path || "/"}?${query}`;
    }
    return state.rawPath;
  }

  /** The decoded fragment, without "#", or "". */
  get fragment(): string {
    return unquote(this.#state.components.fragment ?? "");
  }

  /** Whether the URL has both a scheme and a host, so a request can be sent to it. */
  get isAbsoluteUrl(): boolean {
    const { scheme, host } = this.#state.components;
    return scheme !== "" && host !== "";
  }

  /** Whether the URL lacks a scheme or a host. */
  get isRelativeUrl(): boolean {
    return !this.isAbsoluteUrl;
  }

  /** A copy with some components replaced (see {@link URLOptions}). */
  copyWith(options: URLOptions = {}): URL {
    return new URL(this, options);
  }

  /** A copy with the query parameter `key` set to `value`, replacing its values. */
  copySetParam(key: string, value: PrimitiveData = null): URL {
    return this.#withParams(this.params.set(key, value));
  }

  /** A copy with `value` appended to the query parameter `key`. */
  copyAddParam(key: string, value: PrimitiveData = null): URL {
    return this.#withParams(this.params.add(key, value));
  }

  /** A copy without the query parameter `key`. */
  copyRemoveParam(key: string): URL {
    return this.#withParams(this.params.remove(key));
  }

  /** A copy whose query merges `params` in, each of their keys replacing the same key here. */
  copyMergeParams(params: QueryParamTypes): URL {
    return this.#withParams(this.params.merge(params));
  }

  /**
   * A copy with the query of `params`, as `copyWith({ params })` gives, without its checks of options and of an
   * already form-encoded query: requests with `params` come here each time. The host and netloc derived from this
   * URL still hold for the copy.
   */
  #withParams(params: QueryParams): URL {
    const state = this.#state;
    const copy = new URL(this);
    copy.#state = stateOf(withFormQuery(state.components, params.size === 0 ? null : params.toString()));
    // Derived once here, in this URL's state (which the URLs parsed from the same string share).
    copy.#state.netloc = this.netloc;
    if (state.host !== undefined) copy.#state.host = state.host;
    return copy;
  }

  /** Resolves `url` against this URL as a base, per RFC 3986 section 5.2: `base.join("../other")`. */
  join(url: string | URL): URL {
    const reference = url instanceof URL ? url : new URL(url);
    if (reference.toString() === "") return this;
    return new URL(formatURL(resolveReference(this.#state.components, reference.#state.components)));
  }

  /** Whether `other` (a URL or a URL string) serialises to the same URL. Never throws. */
  equals(other: unknown): boolean {
    if (other instanceof URL) return other.#state === this.#state || other.toString() === this.toString();
    if (typeof other !== "string") return false;
    try {
      return new URL(other).toString() === this.toString();
    } catch {
      return false;
    }
  }

  /** The full URL, userinfo included. */
  toString(): string {
    const state = this.#state;
    state.href ??= formatURL(state.components);
    return state.href;
  }

  /** The full URL, for `JSON.stringify`. */
  toJSON(): string {
    return this.toString();
  }

  /** How Node's `util.inspect` (and so `console.log`) shows a URL: with any password masked. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    const components = this.#state.components;
    const colon = components.userinfo.indexOf(":");
    const userinfo = colon === -1 ? components.userinfo : `${components.userinfo.slice(0, colon)}:[secure]`;
    return `URL(${pyRepr(formatURL({ ...components, userinfo }))})`;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

/** Re-parses `components` with `overrides` applied; the unchanged parts pass validation again unchanged. */
function withOverrides(components: URLComponents, overrides: ComponentOverrides): URLComponents {
  const keys = Object.keys(overrides);
  if (keys.length === 1 && keys[0] === "query") return withQuery(components, overrides.query ?? null);
  if (keys.every((key) => key === "path" || key === "query")) {
    // Only the path and the query change (`rawPath`, `path`): the authority need not be parsed again.
    const query = "query" in overrides ? (overrides.query ?? null) : components.query;
    return withPathAndQuery(components, overrides.path ?? components.path, query);
  }
  return parseURL("", {
    scheme: components.scheme,
    authority: formatAuthority(components),
    path: components.path,
    query: components.query,
    fragment: components.fragment,
    ...overrides,
  });
}

function hasAuthority(components: URLComponents): boolean {
  return components.userinfo !== "" || components.host !== "" || components.port !== null;
}

/** RFC 3986 section 5.2.2: the target of `reference` resolved against `base`. */
function resolveReference(base: URLComponents, reference: URLComponents): URLComponents {
  // As Python's urljoin (and so httpx) does, "http:g" against an http base is read as the relative "g".
  const sameScheme = reference.scheme === base.scheme && !hasAuthority(reference);
  if (reference.scheme !== "" && !sameScheme) {
    return { ...reference, path: removeDotSegments(reference.path) };
  }
  if (hasAuthority(reference)) {
    return { ...reference, scheme: base.scheme, path: removeDotSegments(reference.path) };
  }
  const { fragment } = reference;
  if (reference.path === "") {
    return { ...base, query: reference.query ?? base.query, fragment };
  }
  const path = reference.path.startsWith("/")
    ? removeDotSegments(reference.path)
    : removeDotSegments(mergePaths(base, reference.path));
  return { ...base, path, query: reference.query, fragment };
}

function mergePaths(base: URLComponents, path: string): string {
  if (hasAuthority(base) && base.path === "") return "/" + path;
  return base.path.slice(0, base.path.lastIndexOf("/") + 1) + path;
}

/** RFC 3986 section 5.2.4, which (unlike normalisation at parse time) keeps the "/" after a final dot segment. */
function removeDotSegments(path: string): string {
  if (!path.includes(".")) return path;
  const input = path.split("/");
  const output: string[] = [];
  input.forEach((segment, index) => {
    const last = index === input.length - 1;
    if (segment === "." || segment === "..") {
      if (segment === ".." && output.length > (output[0] === "" ? 1 : 0)) output.pop();
      if (last) output.push("");
    } else {
      output.push(segment);
    }
  });
  const joined = output.join("/");
  return path.startsWith("/") && !joined.startsWith("/") ? "/" + joined : joined;
}

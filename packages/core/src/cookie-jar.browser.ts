/**
 * The cookie jar of browser builds: the part of tough-cookie's API that `Cookies` uses (`Cookie`,
 * `CookieJar`, `MemoryCookieStore`, `cookieCompare`, `pathMatch`), without tough-cookie's public-suffix list
 * (tldts, about 120 KB minified). `@ferry/core` maps `#cookie-jar` here under the `browser` export condition and
 * to tough-cookie everywhere else (Node, Deno, Bun, workerd and other workers).
 *
 * A browser keeps its own cookies: `Set-Cookie` is hidden from scripts and `fetch` drops a `Cookie` header set by
 * a script, so in a page this jar serves only code that reads and writes `Cookies` itself and responses made in
 * the page (a mock transport). It stores and matches cookies as tough-cookie does (RFC 6265: host-only and
 * domain cookies, default paths, Expires and Max-Age, Secure, the `__Secure-` and `__Host-` prefixes), with one
 * difference: without the public-suffix list it cannot tell that a `Domain` such as `co.uk` is a public suffix,
 * so it refuses only a single-label `Domain` (`Domain=com`) that is not the request's own host. A Max-Age is
 * counted from when the cookie was stored (tough-cookie counts it from the last time the cookie was read).
 *
 * @module
 */

type Callback<T> = (error: Error | null, result?: T) => void;
type SameSite = "strict" | "lax" | "none";

/** The part of a URL the jar reads; a WHATWG `URL` has these fields. */
export interface CookieURL {
  protocol: string;
  hostname: string;
  pathname: string;
}

function toURL(url: string | CookieURL): CookieURL {
  return typeof url === "string" ? new globalThis.URL(url) : url;
}

/** Attributes of a new {@link Cookie}. */
export interface CookieOptions {
  key?: string;
  value?: string;
  domain?: string | null;
  path?: string | null;
  expires?: Date | "Infinity";
  maxAge?: number | null;
  secure?: boolean;
  httpOnly?: boolean;
  hostOnly?: boolean | null;
  sameSite?: SameSite | undefined;
  creation?: Date;
}

let cookiesCreated = 0;

/** One cookie: its name, value and attributes, as a `Set-Cookie` header or the jar gave them. */
export class Cookie {
  /** The cookie's name. */
  key: string;
  /** The cookie's value. */
  value: string;
  /** The domain it belongs to (lower-case, no leading dot), or `null` before it is stored. */
  domain: string | null;
  /** The path it applies to and below, or `null` before it is stored. */
  path: string | null;
  /** When it expires, or `"Infinity"` for a session cookie. */
  expires: Date | "Infinity";
  /** Its lifetime in seconds from when it was stored, or `null`; zero or less means already expired. */
  maxAge: number | null;
  /** Whether it is sent over secure connections only. */
  secure: boolean;
  /** Whether scripts may not read it (kept, not enforced: a jar is an HTTP API). */
  httpOnly: boolean;
  /** Whether it is sent to its exact host only (no `Domain` attribute), or `null` before it is stored. */
  hostOnly: boolean | null;
  /** Whether its path was taken from the request URL, having no valid `Path` attribute. */
  pathIsDefault: boolean | null = null;
  /** Its `SameSite` attribute (kept, not enforced). */
  sameSite: SameSite | undefined;
  /** When it was first stored (kept when a cookie replaces it). */
  creation: Date;
  /** When it was last stored. */
  lastAccessed: Date | null = null;
  /** Orders cookies created in the same millisecond. */
  creationIndex: number;

  /** Builds a cookie from its attributes. */
  constructor(options: CookieOptions = {}) {
    this.key = options.key ?? "";
    this.value = options.value ?? "";
    this.domain = options.domain ?? null;
    this.path = options.path ?? null;
    this.expires = options.expires ?? "Infinity";
    this.maxAge = options.maxAge ?? null;
    this.secure = options.secure ?? false;
    this.httpOnly = options.httpOnly ?? false;
    this.hostOnly = options.hostOnly ?? null;
    this.sameSite = options.sameSite;
    this.creation = options.creation ?? new Date();
    this.creationIndex = ++cookiesCreated;
  }

  /** Parses a `Set-Cookie` header value; `undefined` when it has no `name=` or holds control characters. */
  static parse(header: string): Cookie | undefined {
    return parseSetCookie(header);
  }

  /** When the cookie expires, in epoch milliseconds: `Infinity` for a session cookie, `-Infinity` when expired. */
  expiryTime(): number {
    if (this.maxAge !== null) {
      return this.maxAge <= 0 ? -Infinity : (this.lastAccessed ?? new Date()).getTime() + this.maxAge * 1000;
    }
    return this.expires === "Infinity" ? Infinity : this.expires.getTime();
  }

  /** The cookie as it appears in a `Cookie` header: `name=value`. */
  cookieString(): string {
    return this.key ? `${this.key}=${this.value}` : this.value;
  }

  /** A copy with the same attributes and creation time. */
  clone(): Cookie {
    const copy = new Cookie(this);
    copy.pathIsDefault = this.pathIsDefault;
    copy.lastAccessed = this.lastAccessed;
    return copy;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: a name or value with control characters is refused.
const CONTROL = /[\x00-\x1F]/;
// RFC 6265 section 5.1.1: the date grammar of an Expires attribute. Its tokens are octets: a non-digit is any
// octet but a digit, and nothing above U+00FF matches.
const DATE_DELIMITER = /[\t\x20-\x2F\x3B-\x40\x5B-\x60\x7B-\x7E]/;
const DATE_TIME = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[^\d\u0100-\uffff][^\u0100-\uffff]*)?$/;
const DATE_DAY = /^\d{1,2}(?:[^\d\u0100-\uffff][^\u0100-\uffff]*)?$/;
const DATE_MONTH = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[^\u0100-\uffff]*$/i;
const DATE_YEAR = /^\d{2,4}(?:[^\d\u0100-\uffff][^\u0100-\uffff]*)?$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Parses a cookie date (RFC 6265 section 5.1.1); `undefined` when it is not one. */
export function parseDate(text: string): Date | undefined {
  let time: number[] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  for (const token of text.split(DATE_DELIMITER)) {
    if (token === "") continue;
    const clock = time === undefined ? DATE_TIME.exec(token) : null;
    if (clock !== null) time = [Number(clock[1]), Number(clock[2]), Number(clock[3])];
    else if (day === undefined && DATE_DAY.test(token)) day = Number.parseInt(token, 10);
    else if (month === undefined && DATE_MONTH.test(token))
      month = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
    else if (year === undefined && DATE_YEAR.test(token)) year = Number.parseInt(token, 10);
  }
  if (year !== undefined && year <= 99) year += year >= 70 ? 1900 : 2000;
  if (time === undefined || day === undefined || month === undefined || year === undefined) return undefined;
  const [hours = 0, minutes = 0, seconds = 0] = time;
  if (day < 1 || day > 31 || year < 1601 || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const date = new Date(Date.UTC(year, month, day, hours, minutes, seconds));
  // Date.UTC rolls a day past the month's end over into the next month: refuse it.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day)
    return undefined;
  return date;
}

function parseSetCookie(header: string): Cookie | undefined {
  const text = header.trim();
  const semicolon = text.indexOf(";");
  // A CR, LF or NUL ends the name=value pair.
  const pair = (semicolon === -1 ? text : text.slice(0, semicolon)).split(/[\n\r\0]/)[0] ?? "";
  const equals = pair.indexOf("=");
  if (equals <= 0) return undefined;
  const key = pair.slice(0, equals).trim();
  const value = pair.slice(equals + 1).trim();
  if (CONTROL.test(key) || CONTROL.test(value)) return undefined;
  const cookie = new Cookie({ key, value });
  if (semicolon !== -1) {
    for (const attribute of text.slice(semicolon + 1).split(";")) applyAttribute(cookie, attribute);
  }
  return cookie;
}

function applyAttribute(cookie: Cookie, attribute: string): void {
  const equals = attribute.indexOf("=");
  const name = (equals === -1 ? attribute : attribute.slice(0, equals)).trim().toLowerCase();
  const value = equals === -1 ? "" : attribute.slice(equals + 1).trim();
  if (name === "expires") {
    const date = value ? parseDate(value) : undefined;
    if (date !== undefined) cookie.expires = date;
  } else if (name === "max-age") {
    if (/^-?\d+$/.test(value)) cookie.maxAge = Number.parseInt(value, 10);
  } else if (name === "domain") {
    const domain = value.replace(/^\./, "").toLowerCase();
    if (domain) cookie.domain = domain;
  } else if (name === "path") {
    cookie.path = value.startsWith("/") ? value : null;
  } else if (name === "secure") {
    cookie.secure = true;
  } else if (name === "httponly") {
    cookie.httpOnly = true;
  } else if (name === "samesite") {
    const sameSite = value.toLowerCase();
    cookie.sameSite =
      sameSite === "strict" || sameSite === "lax" || sameSite === "none" ? sameSite : undefined;
  }
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function isIP(host: string): boolean {
  return host.includes(":") || IPV4.test(host);
}

function canonicalDomain(domain: string): string {
  const name = domain
    .trim()
    .replace(/^\./, "")
    .replace(/^\[(.*)\]$/, "$1");
  if (!/[\u0080-\uffff]/.test(name)) return name.toLowerCase();
  try {
    // The browser's URL parser applies IDNA, as tough-cookie does through Node's.
    return new globalThis.URL(`http://${name}`).hostname;
  } catch {
    return name.toLowerCase();
  }
}

/** Whether `host` is `domain` or one of its subdomains (RFC 6265 section 5.1.3); IP addresses match exactly. */
export function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true;
  return domain !== "" && host.endsWith(`.${domain}`) && !isIP(host);
}

/** Whether a request path is within a cookie's path (RFC 6265 section 5.1.4). */
export function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/** The directory of a request path, where a cookie without a Path attribute applies (RFC 6265 section 5.1.4). */
export function defaultPath(path: string): string {
  const slash = path.startsWith("/") ? path.lastIndexOf("/") : 0;
  return slash <= 0 ? "/" : path.slice(0, slash);
}

/** Orders cookies for a `Cookie` header: longer paths first, then older cookies first. */
export function cookieCompare(a: Cookie, b: Cookie): number {
  return (
    (b.path?.length ?? 0) - (a.path?.length ?? 0) ||
    a.creation.getTime() - b.creation.getTime() ||
    a.creationIndex - b.creationIndex
  );
}

/** Where a {@link CookieJar} keeps its cookies; operations call back before returning when it is synchronous. */
export interface Store {
  /** Whether every operation completes before it returns. */
  readonly synchronous: boolean;
  /** The cookie with this domain, path and name, if any. */
  findCookie(domain: string, path: string, key: string, callback: Callback<Cookie | undefined>): void;
  /** Every cookie whose domain matches `host` (host-only or not) and whose path matches `path`. */
  findCookies(host: string, path: string, callback: Callback<Cookie[]>): void;
  /** Stores a cookie, replacing the one with the same domain, path and name. */
  putCookie(cookie: Cookie, callback: Callback<void>): void;
  /** Removes the cookie with this domain, path and name. */
  removeCookie(domain: string, path: string, key: string, callback: Callback<void>): void;
  /** Removes every cookie. */
  removeAllCookies(callback: Callback<void>): void;
  /** Every cookie, oldest first. */
  getAllCookies(callback: Callback<Cookie[]>): void;
}

type Index = Record<string, Record<string, Record<string, Cookie>>>;

/** A synchronous, in-memory {@link Store}, indexed by domain, then path, then name. */
export class MemoryCookieStore implements Store {
  /** Always `true`: every operation completes before it returns. */
  readonly synchronous = true;
  /** The cookies by domain, path and name. */
  idx: Index = Object.create(null) as Index;

  findCookie(domain: string, path: string, key: string, callback: Callback<Cookie | undefined>): void {
    callback(null, this.idx[domain]?.[path]?.[key]);
  }

  findCookies(host: string, path: string, callback: Callback<Cookie[]>): void {
    const found: Cookie[] = [];
    for (const domain in this.idx) {
      if (!domainMatch(host, domain)) continue;
      const byPath = this.idx[domain] ?? {};
      for (const cookiePath in byPath) {
        if (pathMatch(path, cookiePath)) found.push(...Object.values(byPath[cookiePath] ?? {}));
      }
    }
    callback(null, found);
  }

  putCookie(cookie: Cookie, callback: Callback<void>): void {
    const { domain, path, key } = cookie;
    if (domain !== null && path !== null) {
      const byPath = this.idx[domain] ?? (Object.create(null) as Index[string]);
      const byKey = byPath[path] ?? (Object.create(null) as Index[string][string]);
      byKey[key] = cookie;
      byPath[path] = byKey;
      this.idx[domain] = byPath;
    }
    callback(null);
  }

  removeCookie(domain: string, path: string, key: string, callback: Callback<void>): void {
    delete this.idx[domain]?.[path]?.[key];
    callback(null);
  }

  removeAllCookies(callback: Callback<void>): void {
    this.idx = Object.create(null) as Index;
    callback(null);
  }

  getAllCookies(callback: Callback<Cookie[]>): void {
    const all = Object.values(this.idx).flatMap((byPath) => Object.values(byPath).flatMap(Object.values));
    callback(
      null,
      all.sort((a, b) => a.creationIndex - b.creationIndex),
    );
  }
}

/** Options of a {@link CookieJar}, as tough-cookie names them. */
export interface CookieJarOptions {
  /** Whether `http://localhost` and loopback addresses count as secure (default `true`). */
  allowSecureOnLocal?: boolean;
  /** Whether a Secure cookie set over an insecure connection is refused (default `true`). */
  enforceSecureOriginOnStorage?: boolean;
}

function runSync<T>(operation: (done: Callback<T>) => void): T {
  let outcome: { error: Error | null; result: T | undefined } | undefined;
  operation((error, result) => {
    outcome = { error, result };
  });
  if (outcome === undefined) throw new Error("CookieJar store is not synchronous.");
  if (outcome.error !== null) throw outcome.error;
  return outcome.result as T;
}

function requestPath(url: CookieURL): string {
  try {
    return decodeURI(url.pathname) || "/";
  } catch {
    return url.pathname || "/";
  }
}

/** A cookie jar over a synchronous {@link Store}: stores `Set-Cookie` headers and finds the cookies for a URL. */
export class CookieJar {
  /** Where the cookies are kept. */
  readonly store: Store;
  readonly #allowSecureOnLocal: boolean;
  readonly #enforceSecureOrigin: boolean;

  /** Builds a jar on `store` (a new {@link MemoryCookieStore} by default). */
  constructor(store: Store = new MemoryCookieStore(), options: CookieJarOptions = {}) {
    this.store = store;
    this.#allowSecureOnLocal = options.allowSecureOnLocal ?? true;
    this.#enforceSecureOrigin = options.enforceSecureOriginOnStorage ?? true;
  }

  #isSecure(url: CookieURL): boolean {
    const scheme = url.protocol.toLowerCase();
    if (scheme === "https:" || scheme === "wss:") return true;
    if (!this.#allowSecureOnLocal) return false;
    const host = canonicalDomain(url.hostname).replace(/\.+$/, "");
    if (IPV4.test(host)) return host.startsWith("127.");
    return host === "::1" || host === "localhost" || host.endsWith(".localhost");
  }

  /**
   * Stores a cookie received from `url`, returning it, or `undefined` when a `__Secure-` or `__Host-` cookie
   * breaks its prefix's rules.
   *
   * @throws Error when the cookie cannot be parsed or is not for `url`'s host, unless `ignoreError` is set.
   */
  setCookieSync(
    cookie: string | Cookie,
    url: string | CookieURL,
    options: { ignoreError?: boolean } = {},
  ): Cookie | undefined {
    try {
      return this.#store(typeof cookie === "string" ? Cookie.parse(cookie) : cookie, toURL(url));
    } catch (error) {
      if (options.ignoreError) return undefined;
      throw error;
    }
  }

  #store(cookie: Cookie | undefined, url: CookieURL): Cookie | undefined {
    if (cookie === undefined) throw new Error("Cookie failed to parse");
    const host = canonicalDomain(url.hostname);
    if (cookie.domain) {
      const domain = canonicalDomain(cookie.domain);
      if (!domain.includes(".") && domain !== host && !isIP(domain)) {
        throw new Error("Cookie has domain set to a public suffix");
      }
      if (!domainMatch(host, domain)) throw new Error("Cookie not in this host's domain");
      cookie.domain = domain;
      cookie.hostOnly ??= false;
    } else {
      cookie.domain = host;
      cookie.hostOnly = true;
    }
    if (!cookie.path?.startsWith("/")) {
      cookie.path = defaultPath(requestPath(url));
      cookie.pathIsDefault = true;
    }
    if (cookie.secure && this.#enforceSecureOrigin && !this.#isSecure(url)) {
      throw new Error("Cookie is Secure but this is not a secure connection");
    }
    if (!meetsPrefixRules(cookie)) return undefined;
    const { domain, path, key } = cookie;
    const old = runSync<Cookie | undefined>((done) => this.store.findCookie(domain, path, key, done));
    if (old !== undefined) {
      cookie.creation = old.creation;
      cookie.creationIndex = old.creationIndex;
    } else {
      cookie.creation = new Date();
    }
    cookie.lastAccessed = new Date();
    runSync<void>((done) => this.store.putCookie(cookie, done));
    return cookie;
  }

  /**
   * The cookies to send to `url`, sorted by {@link cookieCompare} unless `sort` is `false`. Expired cookies met
   * on the way are removed.
   */
  getCookiesSync(target: string | CookieURL, options: { sort?: boolean } = {}): Cookie[] {
    const url = toURL(target);
    const host = canonicalDomain(url.hostname);
    const secure = this.#isSecure(url);
    const now = Date.now();
    const found = runSync<Cookie[]>((done) => this.store.findCookies(host, requestPath(url), done));
    const cookies = found.filter((cookie) => {
      if (cookie.hostOnly ? cookie.domain !== host : !domainMatch(host, cookie.domain ?? "")) return false;
      if (cookie.secure && !secure) return false;
      if (cookie.expiryTime() > now) return true;
      runSync<void>((done) =>
        this.store.removeCookie(cookie.domain ?? "", cookie.path ?? "", cookie.key, done),
      );
      return false;
    });
    return options.sort === false ? cookies : cookies.sort(cookieCompare);
  }
}

/** The rules of the `__Secure-` and `__Host-` name prefixes, which tough-cookie enforces by default. */
function meetsPrefixRules(cookie: Cookie): boolean {
  if (cookie.key.startsWith("__Secure-")) return cookie.secure;
  if (cookie.key.startsWith("__Host-")) {
    return cookie.secure && cookie.hostOnly === true && cookie.path === "/" && !cookie.pathIsDefault;
  }
  return true;
}

/**
 * Cookie persistence on a tough-cookie `CookieJar`: the jar a Client fills from `Set-Cookie` headers and reads
 * the `Cookie` header of each request from.
 *
 * @module
 */
// tough-cookie, or in browser builds a small jar without the public-suffix list: see cookie-jar.browser.ts.
import { Cookie, CookieJar, cookieCompare, MemoryCookieStore, pathMatch, type Store } from "#cookie-jar";
import { CookieConflict } from "./errors.js";
import type { Request } from "./request.js";
import type { Response } from "./response.js";
import type { URL } from "./url.js";

/**
 * What a `cookies` option accepts: a {@link Cookies}, a tough-cookie `CookieJar` (with a synchronous store), a
 * record of names to values, or a list of `[name, value]` pairs. Cookies given by name alone are sent to every
 * host.
 */
export type CookieTypes =
  | Cookies
  | CookieJar
  | Readonly<Record<string, string>>
  | ReadonlyArray<readonly [string, string]>;

/** Where a cookie applies: its domain (`""` for every host) and path. */
export interface CookieScope {
  /** The domain the cookie belongs to, such as `"example.com"`; `""` sends it to every host. */
  domain?: string | undefined;
  /** The path the cookie applies to and below. */
  path?: string | undefined;
}

/** The part of a URL tough-cookie reads: it takes any object with these fields in place of a WHATWG URL. */
interface CookieContext {
  protocol: string;
  hostname: string;
  pathname: string;
}

// Like httpx: a Secure cookie is only sent over https (also to localhost), but one set over http is kept.
const JAR_OPTIONS = { allowSecureOnLocal: false, enforceSecureOriginOnStorage: false } as const;
const FORBIDDEN_IN_COOKIE = /[;\r\n\0]/;

function newJar(): CookieJar {
  return new CookieJar(new MemoryCookieStore(), JAR_OPTIONS);
}

/** Runs a callback-style store operation that a synchronous store completes before returning. */
function runSync<T>(operation: (done: (error: Error | null, result?: T) => void) => void): T {
  let finished = false;
  let failure: Error | null = null;
  let value: T | undefined;
  operation((error, result) => {
    finished = true;
    failure = error;
    value = result;
  });
  if (!finished) throw new TypeError("Cookies needs a synchronous cookie store, such as MemoryCookieStore.");
  if (failure !== null) throw failure;
  return value as T;
}

function hasEntries(record: object | undefined): boolean {
  for (const _key in record) return true;
  return false;
}

function canonicalDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^\.+/, "");
}

function toContext(url: URL): CookieContext {
  const rawPath = url.rawPath;
  const query = rawPath.indexOf("?");
  const pathname = (query === -1 ? rawPath : rawPath.slice(0, query)) || "/";
  const host = url.rawHost;
  return { protocol: `${url.scheme}:`, hostname: host.includes(":") ? `[${host}]` : host, pathname };
}

function checkCookie(name: unknown, value: unknown): void {
  if (typeof name !== "string" || typeof value !== "string") {
    throw new TypeError(`Cookie ${JSON.stringify(String(name))} must have a string name and value.`);
  }
  if (name.includes("=") || FORBIDDEN_IN_COOKIE.test(name) || FORBIDDEN_IN_COOKIE.test(value)) {
    throw new TypeError(`Cookie ${JSON.stringify(name)} has a character not allowed in a Cookie header.`);
  }
}

/** Whether a cookie set for every host goes with a request to `pathname`, over a secure scheme or not, at `now`. */
function applies(cookie: Cookie, secure: boolean, pathname: string, now: number): boolean {
  return (secure || !cookie.secure) && pathMatch(pathname, cookie.path ?? "/") && !isExpired(cookie, now);
}

function isExpired(cookie: Cookie, now: number): boolean {
  const expiry = cookie.expiryTime();
  return expiry !== undefined && expiry <= now;
}

/**
 * HTTP cookies, stored in a tough-cookie `CookieJar` and matched by domain and path. A Client keeps one: it
 * stores every `Set-Cookie` it receives and sends the matching cookies with each request.
 *
 * ```ts
 * const cookies = new Cookies({ session: "abc" });          // sent to every host
 * cookies.set("theme", "dark", { domain: "example.com" });  // example.com and its subdomains
 * cookies.get("theme");                                     // "dark"
 * ```
 */
export class Cookies implements Iterable<string> {
  /** The tough-cookie jar holding the cookies. Its store must be synchronous. */
  readonly jar: CookieJar;

  /**
   * Builds a cookie collection. A `Cookies` is copied; a `CookieJar` is used as is (not copied); names and
   * values become cookies for every host on path `/`.
   */
  constructor(cookies?: CookieTypes | null) {
    if (cookies instanceof CookieJar) {
      if (!cookies.store.synchronous) {
        throw new TypeError("Cookies needs a CookieJar with a synchronous store, such as MemoryCookieStore.");
      }
      this.jar = cookies;
      return;
    }
    this.jar = newJar();
    if (cookies !== undefined && cookies !== null) this.update(cookies);
  }

  get #store(): Store {
    return this.jar.store;
  }

  /** Every stored cookie, oldest first, dropping those that have expired. */
  #all(): Cookie[] {
    const cookies = runSync<Cookie[]>((done) => this.#store.getAllCookies(done));
    const now = Date.now();
    const live: Cookie[] = [];
    for (const cookie of cookies) {
      if (isExpired(cookie, now)) this.#remove(cookie);
      else live.push(cookie);
    }
    return live;
  }

  #put(cookie: Cookie): void {
    runSync<void>((done) => this.#store.putCookie(cookie, done));
  }

  #remove(cookie: Cookie): void {
    runSync<void>((done) => this.#store.removeCookie(cookie.domain, cookie.path, cookie.key, done));
  }

  #isEmpty(): boolean {
    const store = this.#store;
    if (!(store instanceof MemoryCookieStore)) return this.#all().length === 0;
    // Removal leaves empty domain and path entries behind, so look for an actual cookie. `for...in` rather than
    // Object.values(): this runs for every request, and an empty jar should cost no allocation.
    const index = store.idx;
    for (const domain in index) {
      const paths = index[domain];
      for (const path in paths) if (hasEntries(paths[path])) return false;
    }
    return true;
  }

  #matching(name: string, scope: CookieScope): Cookie[] {
    const domain = scope.domain === undefined ? undefined : canonicalDomain(scope.domain);
    return this.#all().filter(
      (cookie) =>
        cookie.key === name &&
        (domain === undefined || cookie.domain === domain) &&
        (scope.path === undefined || cookie.path === scope.path),
    );
  }

  /**
   * Sets a cookie. Without a domain it is sent to every host (as httpx does for `cookies={"a": "b"}`); with one,
   * to that domain and its subdomains. `path` defaults to `/`.
   *
   * @throws TypeError when the name or value is not a string, or holds `;`, CR, LF or NUL (or `=` in the name).
   */
  set(name: string, value: string, options: CookieScope = {}): void {
    checkCookie(name, value);
    const { domain = "", path = "/" } = options;
    this.#put(new Cookie({ key: name, value, domain: canonicalDomain(domain), path, hostOnly: false }));
  }

  /**
   * The value of the cookie `name`, narrowed to a domain and path when given; `undefined` when none matches.
   *
   * @throws CookieConflict when several cookies match: give a domain and path to choose one.
   */
  get(name: string, scope: CookieScope = {}): string | undefined {
    const found = this.#matching(name, scope);
    if (found.length > 1) {
      const where = found.map((cookie) => `${cookie.domain || "any host"} ${cookie.path}`).join(", ");
      throw new CookieConflict(
        `Multiple cookies exist with name=${name} (${where}): pass a domain and path to choose one.`,
      );
    }
    return found[0]?.value;
  }

  /** Deletes every cookie called `name`, narrowed to a domain and path when given. */
  delete(name: string, scope: CookieScope = {}): void {
    for (const cookie of this.#matching(name, scope)) this.#remove(cookie);
  }

  /**
   * Deletes every cookie, or only those of a domain (and path within it).
   *
   * @throws TypeError when a path is given without a domain.
   */
  clear(scope: CookieScope = {}): void {
    if (scope.domain === undefined) {
      if (scope.path !== undefined)
        throw new TypeError("Cookies.clear: a path needs a domain to go with it.");
      runSync<void>((done) => this.#store.removeAllCookies(done));
      return;
    }
    const domain = canonicalDomain(scope.domain);
    for (const cookie of this.#all()) {
      if (cookie.domain === domain && (scope.path === undefined || cookie.path === scope.path))
        this.#remove(cookie);
    }
  }

  /** Adds every cookie of `cookies`, replacing those with the same name, domain and path. */
  update(cookies: CookieTypes | null | undefined): void {
    if (cookies === undefined || cookies === null) return;
    if (cookies instanceof Cookies || cookies instanceof CookieJar) {
      const source = cookies instanceof Cookies ? cookies : new Cookies(cookies);
      for (const cookie of source.#all()) {
        const copy = cookie.clone();
        if (copy !== undefined) this.#put(copy);
      }
      return;
    }
    const pairs = Array.isArray(cookies) ? cookies : Object.entries(cookies);
    for (const pair of pairs as Iterable<readonly [string, string]>) this.set(pair[0], pair[1]);
  }

  /** Stores every `Set-Cookie` of `response`, scoped to the URL of its request. Invalid cookies are ignored. */
  extractCookies(response: Response): void {
    const setCookies = response.headers.getList("set-cookie");
    if (setCookies.length === 0) return;
    const context = toContext(response.request.url) as unknown as globalThis.URL;
    for (const setCookie of setCookies) this.jar.setCookieSync(setCookie, context, { ignoreError: true });
  }

  /**
   * Sets the `Cookie` header of `request` from the cookies matching its URL, most specific path first. Leaves a
   * `Cookie` header the request already has untouched, and adds none when no cookie matches.
   */
  setCookieHeader(request: Request): void {
    if (request.headers.has("cookie") || this.#isEmpty()) return;
    const context = toContext(request.url);
    const cookies = this.jar.getCookiesSync(context as unknown as globalThis.URL, { sort: false });
    this.#addAnyHostCookies(context, cookies);
    if (cookies.length === 0) return;
    if (cookies.length > 1) cookies.sort(cookieCompare);
    let header = cookies[0]!.cookieString();
    for (let index = 1; index < cookies.length; index++) header += `; ${cookies[index]!.cookieString()}`;
    request.headers.set("Cookie", header);
  }

  /**
   * Adds to `cookies` those set without a domain that apply to the context's path and scheme, which tough-cookie
   * never returns. Written as loops over the store's index: this runs for every request while the jar holds a cookie.
   */
  #addAnyHostCookies(context: CookieContext, cookies: Cookie[]): void {
    const store = this.#store;
    const secure = context.protocol === "https:" || context.protocol === "wss:";
    const now = Date.now();
    if (store instanceof MemoryCookieStore) {
      const paths = store.idx[""];
      for (const path in paths) {
        const byKey = paths[path];
        for (const key in byKey) {
          const cookie = byKey[key]!;
          if (applies(cookie, secure, context.pathname, now)) cookies.push(cookie);
        }
      }
      return;
    }
    for (const cookie of this.#all()) {
      if (cookie.domain === "" && applies(cookie, secure, context.pathname, now)) cookies.push(cookie);
    }
  }

  /** How many cookies are stored. */
  get size(): number {
    return this.#all().length;
  }

  /** The name of every cookie, oldest first (a name repeats when it is set for several domains or paths). */
  keys(): string[] {
    return this.#all().map((cookie) => cookie.key);
  }

  /** The value of every cookie, in the order of {@link Cookies.keys}. */
  values(): string[] {
    return this.#all().map((cookie) => cookie.value);
  }

  /** Every cookie as `[name, value]`, oldest first. */
  items(): [string, string][] {
    return this.#all().map((cookie) => [cookie.key, cookie.value]);
  }

  /** Iterates the cookie names, as {@link Cookies.keys}. */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  /** A readable form: `<Cookies[<Cookie a=b for example.com />]>`. */
  toString(): string {
    const cookies = this.#all().map(
      (cookie) => `<Cookie ${cookie.key}=${cookie.value} for ${cookie.domain} />`,
    );
    return `<Cookies[${cookies.join(", ")}]>`;
  }
}

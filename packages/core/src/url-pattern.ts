/**
 * Mount patterns: which transport a Client uses for which URL.
 *
 * A pattern is `scheme://host:port`, each part optional: `all://` matches every URL, `https://` every https URL,
 * `all://example.com` that host only, `all://*.example.com` its subdomains only, `all://*example.com` the domain
 * and its subdomains, `http://localhost:8000` one origin. Ferry also reads an IP address or CIDR range as the host
 * (`all://10.0.0.0/8`, `all://[fe80::/10]`), which is what `NO_PROXY` entries become.
 *
 * @module
 */
import { type IPAddress, type IPRange, parseIPAddress, parseIPRange, rangeContains } from "./ip-address.js";

/** The parts of a URL a pattern looks at; a Ferry `URL` has them. */
export interface PatternTarget {
  readonly scheme: string;
  /** Lower-case host, IPv6 without brackets. */
  readonly host: string;
  /** The port, `null` when it is the scheme's default. */
  readonly port: number | null;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { ftp: 21, http: 80, https: 443, ws: 80, wss: 443 };
// The authority may hold a bracketed IPv6 host, itself holding a "/" ("[fe80::/10]").
const PATTERN = /^([a-z][a-z0-9+.-]*):\/\/((?:[^@/?#[]*@)?(?:\[[^\]]*\])?[^/?#]*)(.*)$/i;
const IPV4_CIDR = /^\/\d{1,3}$/;

/**
 * A mount pattern (`"all://*.example.com"`), parsed once, with httpx's matching rules and priority.
 *
 * ```ts
 * new URLPattern("all://*example.com").matches(new URL("https://www.example.com")); // true
 * ```
 */
export class URLPattern {
  /** The pattern as written. */
  readonly pattern: string;
  /** The scheme it requires, `""` for any (`all://`). */
  readonly scheme: string;
  /** The host part as written (lower case), `""` for any host. */
  readonly host: string;
  /** The port it requires, `null` for any. */
  readonly port: number | null;
  readonly #matchHost: ((host: string) => boolean) | null;

  constructor(pattern: string) {
    if (typeof pattern !== "string") {
      throw new TypeError(`A mount pattern must be a string such as "https://", got ${String(pattern)}.`);
    }
    this.pattern = pattern;
    if (pattern === "") {
      this.scheme = "";
      this.host = "";
      this.port = null;
      this.#matchHost = null;
      return;
    }
    const match = PATTERN.exec(pattern);
    if (match === null) throw invalidPattern(pattern);
    const scheme = (match[1] ?? "").toLowerCase();
    const [host, port] = splitHostPort(pattern, match[2] ?? "", match[3] ?? "");
    this.scheme = scheme === "all" ? "" : scheme;
    this.host = host === "*" ? "" : host;
    this.port = port === DEFAULT_PORTS[scheme] ? null : port;
    this.#matchHost = this.host === "" ? null : hostMatcher(this.host);
  }

  /** Whether `url` falls under this pattern. */
  matches(url: PatternTarget): boolean {
    if (this.scheme !== "" && this.scheme !== url.scheme) return false;
    if (this.#matchHost !== null && !this.#matchHost(url.host)) return false;
    return this.port === null || this.port === url.port;
  }

  /**
   * Sort key, most specific first: patterns with a port, then longer hosts, then longer schemes. Compare with
   * {@link URLPattern.compare}.
   */
  get priority(): readonly [number, number, number] {
    return [this.port === null ? 1 : 0, -this.host.length, -this.scheme.length];
  }

  /** Orders patterns from the most to the least specific, for `Array.prototype.sort` (which is stable). */
  static compare(a: URLPattern, b: URLPattern): number {
    const [pa, pb] = [a.priority, b.priority];
    return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
  }

  /** The pattern as written. */
  toString(): string {
    return this.pattern;
  }
}

function invalidPattern(pattern: string): TypeError {
  const hint = /^[a-z][a-z0-9+.-]*$/i.test(pattern) ? ` Instead of "${pattern}", use "${pattern}://".` : "";
  return new TypeError(
    `Invalid mount pattern "${pattern}": expected "scheme://host:port" with each part optional, ` +
      `such as "all://", "https://" or "all://*.example.com".${hint}`,
  );
}

/** Splits the authority into a lower-case host and a port; an IPv4 CIDR suffix stays with the host. */
function splitHostPort(pattern: string, authority: string, rest: string): [string, number | null] {
  let host = authority.slice(authority.lastIndexOf("@") + 1).toLowerCase();
  let port: number | null = null;
  const colon = host.lastIndexOf(":");
  if (colon !== -1 && colon > host.lastIndexOf("]")) {
    const digits = host.slice(colon + 1);
    port = /^\d{1,5}$/.test(digits) ? Number(digits) : Number.NaN;
    if (!(port <= 65_535)) throw new TypeError(`Invalid port in mount pattern "${pattern}".`);
    host = host.slice(0, colon);
  }
  if (port === null && IPV4_CIDR.test(rest)) host += rest;
  return [host, port];
}

function hostMatcher(host: string): (candidate: string) => boolean {
  const range = ipRange(host);
  if (range !== null) return (candidate) => matchesRange(range, candidate);
  if (host.startsWith("*.")) {
    const suffix = host.slice(1);
    return (candidate) => candidate.length > suffix.length && candidate.endsWith(suffix);
  }
  if (host.startsWith("*")) {
    const domain = host.slice(1);
    const suffix = `.${domain}`;
    return (candidate) => candidate === domain || candidate.endsWith(suffix);
  }
  return (candidate) => candidate === host;
}

function ipRange(host: string): IPRange | null {
  if (!/^[\d[]/.test(host) && !host.includes(":")) return null;
  // "[fe80::/10]" and "[fe80::]/10" both name an IPv6 range.
  const text = host.startsWith("[") ? host.replace(/^\[([^\]]*)\](.*)$/, "$1$2") : host;
  return parseIPRange(text);
}

function matchesRange(range: IPRange, candidate: string): boolean {
  const address: IPAddress | null = parseIPAddress(candidate);
  return address !== null && rangeContains(range, address);
}

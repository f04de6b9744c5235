/**
 * The RFC 3986 parser behind {@link URL}: splits a URL into its components, validates them and normalises them to
 * their canonical ASCII form (lower-case scheme and host, IDNA hosts in punycode, default ports dropped, dot
 * segments removed, characters outside each component's safe set percent-encoded).
 *
 * @module
 */
import { InvalidURL } from "./errors.js";
import { idnaToASCII } from "./idna.js";
import { FRAGMENT_SAFE, HOST_SAFE, PATH_SAFE, QUERY_SAFE, quote, USERINFO_SAFE } from "./percent-encoding.js";

/** The longest URL (and URL component) accepted, in characters. */
export const MAX_URL_LENGTH = 65536;

/** A URL broken into its canonical components; `query`/`fragment` are null when the URL has no `?`/`#`. */
export interface URLComponents {
  readonly scheme: string;
  /** Percent-encoded "user:password", or "" when absent. */
  readonly userinfo: string;
  /** Lower-case ASCII host: punycode for IDNA names, IPv6 addresses without brackets. */
  readonly host: string;
  /** The port, null when absent or the scheme's default. */
  readonly port: number | null;
  readonly path: string;
  readonly query: string | null;
  readonly fragment: string | null;
}

/** Components that replace the ones parsed from the URL string; `null` removes an optional component. */
export interface ComponentOverrides {
  scheme?: string;
  authority?: string;
  userinfo?: string;
  host?: string;
  port?: string | null;
  path?: string;
  query?: string | null;
  fragment?: string | null;
}

type ComponentName = keyof ComponentOverrides;

const COMPONENT_PATTERNS: Readonly<Record<ComponentName, RegExp>> = {
  scheme: /^(?:[a-zA-Z][a-zA-Z0-9+.-]*)?$/,
  authority: /^[^/?#]*$/,
  userinfo: /^[^@]*$/,
  host: /^(?:\[.*\]|[^:]*)$/s,
  port: /^.*$/s,
  path: /^[^?#]*$/,
  query: /^[^#]*$/,
  fragment: /^.*$/s,
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const NON_PRINTABLE = /[\x00-\x1f\x7f]/;
const IPV4_STYLE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const DIGITS = /^[0-9]+$/;
const LOWER_ESCAPE = /%[0-9a-f][0-9a-f]|%[0-9A-F][a-f]|%[a-f][0-9A-F]/g;
const ASCII = /^\p{ASCII}*$/u;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { ftp: 21, http: 80, https: 443, ws: 80, wss: 443 };

// What Python's `str.isprintable()` rejects (the ASCII space aside): `repr` escapes these.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function escapeUnprintable(char: string): string {
  const cp = char.codePointAt(0)!;
  if (char === "\n") return "\\n";
  if (char === "\r") return "\\r";
  if (char === "\t") return "\\t";
  if (cp <= 0xff) return "\\x" + cp.toString(16).padStart(2, "0");
  if (cp <= 0xffff) return "\\u" + cp.toString(16).padStart(4, "0");
  return "\\U" + cp.toString(16).padStart(8, "0");
}

/** Formats a string as Python's `repr` would, so error messages read like httpx's. */
export function pyRepr(value: string): string {
  const quoteChar = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = "";
  for (const char of value) {
    if (char === "\\" || char === quoteChar) out += "\\" + char;
    else if (char !== " " && UNPRINTABLE.test(char)) out += escapeUnprintable(char);
    else out += char;
  }
  return quoteChar + out + quoteChar;
}

function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

function isTooLong(value: string): boolean {
  // UTF-16 length is an upper bound of the code point count, so most strings need no counting.
  return value.length > MAX_URL_LENGTH && codePointLength(value) > MAX_URL_LENGTH;
}

function nonPrintableMessage(value: string, where: string): string | null {
  const match = NON_PRINTABLE.exec(value);
  if (match === null) return null;
  const position = codePointLength(value.slice(0, match.index));
  return `Invalid non-printable ASCII character in URL${where}, ${pyRepr(match[0])} at position ${position}.`;
}

function checkOverrides(overrides: ComponentOverrides): void {
  for (const key of Object.keys(overrides) as ComponentName[]) {
    const value = overrides[key];
    if (value === undefined || value === null) continue;
    if (isTooLong(value)) throw new InvalidURL(`URL component '${key}' too long`);
    const message = nonPrintableMessage(value, ` ${key} component`);
    if (message !== null) throw new InvalidURL(message);
    if (!COMPONENT_PATTERNS[key].test(value)) throw new InvalidURL(`Invalid URL component '${key}'`);
  }
}

function pick<T>(override: T | undefined, parsed: T): T {
  return override === undefined ? parsed : override;
}

/** The raw parts of a URL string; `authority`, `query` and `fragment` are null when their delimiter is absent. */
interface RawParts {
  scheme: string;
  authority: string;
  path: string;
  query: string | null;
  fragment: string | null;
}

function isSchemeChar(code: number): boolean {
  // a-z, A-Z, 0-9, "+", "-", "."
  const lower = code | 0x20;
  return (
    (lower >= 0x61 && lower <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2d ||
    code === 0x2e
  );
}

/**
 * Splits a URL into scheme, authority, path, query and fragment in one scan (RFC 3986 appendix B, with httpx's
 * reading of a leading ":" as an empty scheme), rejecting control characters on the way.
 */
function splitURL(url: string): RawParts {
  const length = url.length;
  let question = -1;
  let hash = -1;
  for (let index = 0; index < length; index++) {
    const code = url.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) throw new InvalidURL(nonPrintableMessage(url, "")!);
    if (code === 0x23 && hash === -1) hash = index;
    else if (code === 0x3f && question === -1 && hash === -1) question = index;
  }
  const end = hash === -1 ? length : hash;
  const pathEnd = question === -1 ? end : question;
  let start = 0;
  let scheme = "";
  const first = url.charCodeAt(0);
  if (first === 0x3a) {
    start = 1;
  } else if ((first | 0x20) >= 0x61 && (first | 0x20) <= 0x7a) {
    let index = 1;
    while (index < pathEnd && isSchemeChar(url.charCodeAt(index))) index++;
    if (index < pathEnd && url.charCodeAt(index) === 0x3a) {
      scheme = url.slice(0, index);
      start = index + 1;
    }
  }
  let authority = "";
  if (url.startsWith("//", start) && start + 2 <= pathEnd) {
    const slash = url.indexOf("/", start + 2);
    const authorityEnd = slash === -1 || slash > pathEnd ? pathEnd : slash;
    authority = url.slice(start + 2, authorityEnd);
    start = authorityEnd;
  }
  return {
    scheme,
    authority,
    path: url.slice(start, pathEnd),
    query: question === -1 ? null : url.slice(question + 1, end),
    fragment: hash === -1 ? null : url.slice(hash + 1),
  };
}

/** Splits an authority into userinfo (up to the last "@"), host (a bracketed literal, or up to ":") and port. */
function splitAuthority(authority: string): [userinfo: string, host: string, port: string | null] {
  const at = authority.lastIndexOf("@");
  const userinfo = at === -1 ? "" : authority.slice(0, at);
  const rest = at === -1 ? authority : authority.slice(at + 1);
  let hostEnd = rest.startsWith("[") ? rest.lastIndexOf("]") + 1 : 0;
  if (hostEnd === 0) {
    const colon = rest.indexOf(":");
    hostEnd = colon === -1 ? rest.length : colon;
  }
  const remainder = rest.slice(hostEnd);
  const port = remainder.startsWith(":") ? remainder.slice(1) : remainder;
  return [userinfo, rest.slice(0, hostEnd), port === "" ? null : port];
}

/**
 * Parses `url` (absolute or relative), replaces any components given in `overrides`, then validates and
 * normalises the result. Throws {@link InvalidURL} for anything httpx would reject.
 */
export function parseURL(url: string, overrides?: ComponentOverrides): URLComponents {
  if (isTooLong(url)) throw new InvalidURL("URL too long");
  const parts = splitURL(url);
  if (overrides === undefined) {
    const [userinfo, host, port] = splitAuthority(parts.authority);
    return normalize(parts.scheme, userinfo, host, port, parts.path, parts.query, parts.fragment);
  }
  checkOverrides(overrides);
  const [userinfo, host, port] = splitAuthority(pick(overrides.authority, parts.authority));
  return normalize(
    pick(overrides.scheme, parts.scheme),
    pick(overrides.userinfo, userinfo),
    pick(overrides.host, host),
    pick(overrides.port, port),
    pick(overrides.path, parts.path),
    pick(overrides.query, parts.query),
    pick(overrides.fragment, parts.fragment),
  );
}

/**
 * The components with the query of `QueryParams.toString()`, taken as it is: form encoding leaves only unreserved
 * characters, `+`, `=`, `&` and percent escapes, which the checks and the encoding of {@link withQuery} would keep.
 */
export function withFormQuery(components: URLComponents, query: string | null): URLComponents {
  return { ...components, query };
}

/**
 * Components with the query replaced: the cheap path for `copyWith({ params })`, which leaves the rest of an
 * already-normalised URL untouched.
 */
export function withQuery(components: URLComponents, query: string | null): URLComponents {
  if (query !== null) checkOverrides({ query });
  return { ...components, query: query === null ? null : quote(query, QUERY_SAFE) };
}

/**
 * Components with the path and the query replaced (`copyWith({ rawPath })`, `copyWith({ path })`): both
 * normalised as {@link parseURL} would, while the scheme and the authority, already normalised, are kept as they
 * are instead of being parsed again (with IDNA for the host).
 */
export function withPathAndQuery(
  components: URLComponents,
  path: string,
  query: string | null,
): URLComponents {
  checkOverrides(query === null ? { path } : { path, query });
  const hasAuthority = components.userinfo !== "" || components.host !== "" || components.port !== null;
  validatePath(path, components.scheme !== "", hasAuthority);
  const resolved = components.scheme !== "" || hasAuthority ? removeDotSegments(path) : path;
  return {
    ...components,
    path: quote(resolved, PATH_SAFE),
    query: query === null ? null : quote(query, QUERY_SAFE),
  };
}

function normalize(
  rawScheme: string,
  rawUserinfo: string,
  rawHost: string,
  rawPort: string | null,
  rawPath: string,
  rawQuery: string | null,
  rawFragment: string | null,
): URLComponents {
  const scheme = rawScheme.toLowerCase();
  const userinfo = quote(rawUserinfo, USERINFO_SAFE);
  const host = encodeHost(rawHost);
  const port = normalizePort(rawPort, scheme);
  const hasAuthority = userinfo !== "" || host !== "" || port !== null;
  validatePath(rawPath, scheme !== "", hasAuthority);
  const path = scheme !== "" || hasAuthority ? removeDotSegments(rawPath) : rawPath;
  return {
    scheme,
    userinfo,
    host,
    port,
    path: quote(path, PATH_SAFE),
    query: rawQuery === null ? null : quote(rawQuery, QUERY_SAFE),
    fragment: rawFragment === null ? null : quote(rawFragment, FRAGMENT_SAFE),
  };
}

/** Whether a host is plain lower-case letters, digits, "-" and "." with a letter or "-": the common case. */
function isPlainHostName(host: string): boolean {
  let letters = false;
  for (let index = 0; index < host.length; index++) {
    const code = host.charCodeAt(index);
    if ((code >= 0x61 && code <= 0x7a) || code === 0x2d) letters = true;
    else if (!((code >= 0x30 && code <= 0x39) || code === 0x2e)) return false;
  }
  return letters;
}

// IDNA encoding is costly and a client talks to few hosts, so recent results are remembered.
const idnaCache = new Map<string, string>();
const IDNA_CACHE_SIZE = 256;

function encodeIDNAHost(host: string): string {
  let encoded = idnaCache.get(host);
  if (encoded === undefined) {
    try {
      encoded = idnaToASCII(host.toLowerCase());
    } catch {
      throw new InvalidURL(`Invalid IDNA hostname: ${pyRepr(host)}`);
    }
    if (idnaCache.size >= IDNA_CACHE_SIZE) idnaCache.delete(idnaCache.keys().next().value!);
    idnaCache.set(host, encoded);
  }
  return encoded;
}

/** Validates and normalises a host: IPv4 and IPv6 literals are checked, names lower-cased, IDNA names encoded. */
export function encodeHost(host: string): string {
  if (host === "" || isPlainHostName(host)) return host;
  if (IPV4_STYLE.test(host)) {
    if (!isIPv4(host)) throw new InvalidURL(`Invalid IPv4 address: ${pyRepr(host)}`);
    return host;
  }
  if (host.startsWith("[") && host.endsWith("]")) {
    const address = host.slice(1, -1);
    if (!isIPv6(address)) throw new InvalidURL(`Invalid IPv6 address: ${pyRepr(host)}`);
    const zone = address.indexOf("%");
    return zone === -1 ? address.toLowerCase() : address.slice(0, zone).toLowerCase() + address.slice(zone);
  }
  if (ASCII.test(host)) {
    // A space cannot be part of a host name; escaping it would only defer the failure to name resolution.
    if (host.includes(" ")) throw new InvalidURL(`Invalid host: ${pyRepr(host)}`);
    const escaped = quote(host.toLowerCase(), HOST_SAFE);
    // Escapes are upper-cased after lower-casing the name, so parsing the result again gives it back unchanged.
    return escaped.includes("%")
      ? escaped.replace(LOWER_ESCAPE, (sequence) => sequence.toUpperCase())
      : escaped;
  }
  return encodeIDNAHost(host);
}

/** Whether `value` is a dotted-quad IPv4 address: four decimal octets up to 255, without leading zeros. */
export function isIPv4(value: string): boolean {
  // One scan without splitting: every request to an IP literal checks its host.
  let octets = 0;
  let digits = 0;
  let octet = 0;
  for (let index = 0; index <= value.length; index++) {
    const code = index === value.length ? 0x2e : value.charCodeAt(index);
    if (code === 0x2e) {
      if (digits === 0 || octet > 255 || ++octets > 4) return false;
      digits = 0;
      octet = 0;
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits === 1 && octet === 0) return false;
      if (++digits > 3) return false;
      octet = octet * 10 + (code - 0x30);
    } else {
      return false;
    }
  }
  return octets === 4;
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** Whether `value` is an IPv6 address (optionally with an embedded IPv4 tail and a `%zone` suffix). */
export function isIPv6(value: string): boolean {
  const zone = value.indexOf("%");
  const address = zone === -1 ? value : value.slice(0, zone);
  if (zone !== -1 && zone === value.length - 1) return false;
  const halves = address.split("::");
  if (halves.length > 2) return false;
  const groups = (part: string): string[] => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...head, ...tail];
  let width = all.length;
  const last = all[all.length - 1];
  if (last?.includes(".")) {
    if (!isIPv4(last)) return false;
    all.pop();
    width++;
  }
  if (!all.every((group) => HEXTET.test(group))) return false;
  return halves.length === 2 ? width <= 7 : width === 8;
}

function normalizePort(port: string | null, scheme: string): number | null {
  if (port === null || port === "") return null;
  const value = DIGITS.test(port) ? Number(port) : Number.NaN;
  if (!(value <= 65535)) throw new InvalidURL(`Invalid port: ${pyRepr(port)}`);
  return value === DEFAULT_PORTS[scheme] ? null : value;
}

/** A first path segment that would read as a scheme: "a:b", not "1a:b" nor "a/b:c". */
const SCHEME_LIKE_SEGMENT = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function validatePath(path: string, hasScheme: boolean, hasAuthority: boolean): void {
  if (hasAuthority && path !== "" && !path.startsWith("/")) {
    throw new InvalidURL("For absolute URLs, path must be empty or begin with '/'");
  }
  if (!hasScheme && !hasAuthority) {
    if (path.startsWith("//")) throw new InvalidURL("Relative URLs cannot have a path starting with '//'");
    if (path.startsWith(":")) throw new InvalidURL("Relative URLs cannot have a path starting with ':'");
    // "a:b" would be read back as scheme "a" (RFC 3986 section 4.2): reachable only through an empty scheme
    // (":a:b") or a path given as an option, and refused so that every URL re-parses to itself.
    if (SCHEME_LIKE_SEGMENT.test(path)) {
      throw new InvalidURL("Relative URLs cannot have a ':' in the first path segment");
    }
  }
}

/** Removes "." and ".." segments from a path (RFC 3986 section 5.2.4); ".." never climbs above the root. */
export function removeDotSegments(path: string): string {
  if (!path.includes(".")) return path;
  const segments = path.split("/");
  if (!segments.includes(".") && !segments.includes("..")) return path;
  const output: string[] = [];
  for (const segment of segments) {
    if (segment === ".") continue;
    if (segment === "..") {
      if (output.length > 0 && !(output.length === 1 && output[0] === "")) output.pop();
    } else {
      output.push(segment);
    }
  }
  return output.join("/");
}

/** The "host[:port]" of a URL, with IPv6 hosts bracketed. */
export function formatNetloc(host: string, port: number | null): string {
  const bracketed = host.includes(":") ? `[${host}]` : host;
  return port === null ? bracketed : `${bracketed}:${port}`;
}

/** The "userinfo@host:port" authority of a URL, or "" when it has none. */
export function formatAuthority(components: URLComponents): string {
  const netloc = formatNetloc(components.host, components.port);
  return components.userinfo === "" ? netloc : `${components.userinfo}@${netloc}`;
}

/** Serialises components back into a URL string. */
export function formatURL(components: URLComponents): string {
  const { scheme, path, query, fragment } = components;
  const authority = formatAuthority(components);
  let out = scheme === "" ? "" : scheme + ":";
  // A path starting with "//" needs an explicit (empty) authority, or it would read back as one.
  if (authority !== "" || path.startsWith("//")) out += "//" + authority;
  out += path;
  if (query !== null) out += "?" + query;
  if (fragment !== null) out += "#" + fragment;
  return out;
}

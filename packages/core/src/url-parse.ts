/**
 * The RFC 3986 parser behind {@link URL}: splits a URL into its components, validates them and normalises them to
 * their canonical ASCII form (lower-case scheme and host, IDNA hosts in punycode, default ports dropped, dot
 * segments removed, characters outside each component's safe set percent-encoded).
 *
 * @module
 */
import { InvalidURL } from "./errors.js";
import { idnaToASCII } from "./idna.js";

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

// One regex per URL: every part is optional, so it always matches. The `s` flag lets `.` cross U+2028/U+2029.
const URL_PATTERN = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*)?:)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;
// userinfo runs to the last "@"; the host is a bracketed IPv6 literal or stops at ":".
const AUTHORITY_PATTERN = /^(?:(.*)@)?(\[.*\]|[^:@]*):?(.*)$/s;

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
const ASCII = /^\p{ASCII}*$/u;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { ftp: 21, http: 80, https: 443, ws: 80, wss: 443 };

/** Builds a lookup table of the ASCII characters left as they are: RFC 3986 unreserved ones plus `extra`. */
function safeTable(predicate: (code: number) => boolean): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const char = String.fromCharCode(code);
    if (/[A-Za-z0-9\-._~]/.test(char) || predicate(code)) table[code] = 1;
  }
  return table;
}

const printableExcept =
  (...excluded: string[]) =>
  (code: number): boolean =>
    code > 0x20 && code < 0x7f && !excluded.includes(String.fromCharCode(code));

// The WHATWG percent-encode sets, as httpx uses them. "%" is safe everywhere, so escapes are never doubled.
const QUERY_EXCLUDED = [" ", '"', "#", "<", ">"];
const PATH_EXCLUDED = [...QUERY_EXCLUDED, "?", "`", "{", "}"];
const USERINFO_EXCLUDED = [...PATH_EXCLUDED, "/", ";", "=", "@", "[", "\\", "]", "^", "|"];

/** Characters kept as they are in a path. */
export const PATH_SAFE = safeTable(printableExcept(...PATH_EXCLUDED));
/** Characters kept as they are in a query. */
export const QUERY_SAFE = safeTable(printableExcept(...QUERY_EXCLUDED));
/** Characters kept as they are in a fragment. */
export const FRAGMENT_SAFE = safeTable(printableExcept(" ", '"', "<", ">", "`"));
/** Characters kept as they are in the joint "user:password" userinfo. */
export const USERINFO_SAFE = safeTable(printableExcept(...USERINFO_EXCLUDED));
/** Characters kept as they are in a username or a password on its own (":" separates them, so it is escaped). */
export const USERNAME_SAFE = safeTable(printableExcept(...USERINFO_EXCLUDED, ":"));
// RFC 3986 reg-name (unreserved and sub-delims) plus the characters WHATWG tolerates in hosts.
const HOST_SAFE = safeTable((code) => "!$&'()*+,;=\"`{}%|\\".includes(String.fromCharCode(code)));

const HEX = "0123456789ABCDEF";
const utf8 = new TextEncoder();

function percentEncode(char: string): string {
  let out = "";
  for (const byte of utf8.encode(char)) out += "%" + HEX[byte >> 4] + HEX[byte & 15];
  return out;
}

/**
 * Percent-encodes every character of `value` outside `safe` (UTF-8 bytes, upper-case hex). Returns `value` itself
 * when nothing needs escaping, which is the common case.
 */
export function quote(value: string, safe: Uint8Array): string {
  let index = 0;
  while (index < value.length) {
    const code = value.charCodeAt(index);
    if (code >= 128 || safe[code] !== 1) break;
    index++;
  }
  if (index === value.length) return value;
  let out = value.slice(0, index);
  for (const char of value.slice(index)) {
    const code = char.charCodeAt(0);
    out += code < 128 && safe[code] === 1 ? char : percentEncode(char);
  }
  return out;
}

/** Formats a string as Python's `repr` would, so error messages read like httpx's. */
export function pyRepr(value: string): string {
  const quoteChar = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = "";
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === "\\" || char === quoteChar) out += "\\" + char;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
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

/**
 * Parses `url` (absolute or relative), replaces any components given in `overrides`, then validates and
 * normalises the result. Throws {@link InvalidURL} for anything httpx would reject.
 */
export function parseURL(url: string, overrides?: ComponentOverrides): URLComponents {
  if (isTooLong(url)) throw new InvalidURL("URL too long");
  const message = nonPrintableMessage(url, "");
  if (message !== null) throw new InvalidURL(message);
  if (overrides !== undefined) checkOverrides(overrides);

  const match = URL_PATTERN.exec(url)!;
  const scheme = pick(overrides?.scheme, match[1] ?? "");
  const authority = pick(overrides?.authority, match[2] ?? "");
  const authorityMatch = authority === "" ? null : AUTHORITY_PATTERN.exec(authority)!;
  const userinfo = pick(overrides?.userinfo, authorityMatch?.[1] ?? "");
  const host = pick(overrides?.host, authorityMatch?.[2] ?? "");
  const port = pick(overrides?.port, authorityMatch?.[3] || null);
  return normalize(
    scheme,
    userinfo,
    host,
    port,
    pick(overrides?.path, match[3] ?? ""),
    pick(overrides?.query, match[4] ?? null),
    pick(overrides?.fragment, match[5] ?? null),
  );
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

/** Validates and normalises a host: IPv4 and IPv6 literals are checked, names lower-cased, IDNA names encoded. */
export function encodeHost(host: string): string {
  if (host === "") return "";
  if (IPV4_STYLE.test(host)) {
    if (!isIPv4(host)) throw new InvalidURL(`Invalid IPv4 address: ${pyRepr(host)}`);
    return host;
  }
  if (host.startsWith("[") && host.endsWith("]")) {
    const address = host.slice(1, -1);
    if (!isIPv6(address)) throw new InvalidURL(`Invalid IPv6 address: ${pyRepr(host)}`);
    return address.toLowerCase();
  }
  if (host.includes(" ")) throw new InvalidURL(`Invalid host: ${pyRepr(host)}`);
  // Lower-cased after escaping, so escapes are lower-case too and parsing the result again gives it back.
  if (ASCII.test(host)) return quote(host, HOST_SAFE).toLowerCase();
  try {
    return idnaToASCII(host.toLowerCase());
  } catch {
    throw new InvalidURL(`Invalid IDNA hostname: ${pyRepr(host)}`);
  }
}

/** Whether `value` is a dotted-quad IPv4 address: four decimal octets up to 255, without leading zeros. */
export function isIPv4(value: string): boolean {
  const octets = value.split(".");
  if (octets.length !== 4) return false;
  for (const octet of octets) {
    if (!DIGITS.test(octet) || octet.length > 3 || (octet.length > 1 && octet[0] === "0")) return false;
    if (Number(octet) > 255) return false;
  }
  return true;
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

function validatePath(path: string, hasScheme: boolean, hasAuthority: boolean): void {
  if (hasAuthority && path !== "" && !path.startsWith("/")) {
    throw new InvalidURL("For absolute URLs, path must be empty or begin with '/'");
  }
  if (!hasScheme && !hasAuthority) {
    if (path.startsWith("//")) throw new InvalidURL("Relative URLs cannot have a path starting with '//'");
    if (path.startsWith(":")) throw new InvalidURL("Relative URLs cannot have a path starting with ':'");
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

const ESCAPE_RUNS = /(?:%[0-9A-Fa-f]{2})+/g;
const utf8Decoder = new TextDecoder();

function decodeEscapeRun(run: string): string {
  const bytes = new Uint8Array(run.length / 3);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(run.slice(index * 3 + 1, index * 3 + 3), 16);
  }
  return utf8Decoder.decode(bytes);
}

/**
 * Decodes "%XX" escapes as UTF-8, replacing invalid sequences with U+FFFD and leaving a "%" that starts no
 * escape as it is.
 */
export function unquote(value: string): string {
  return value.includes("%") ? value.replace(ESCAPE_RUNS, decodeEscapeRun) : value;
}

/**
 * Percent-encoding (RFC 3986 section 2.1): the safe character set of each URL component, escaping with UTF-8
 * bytes, and decoding.
 *
 * @module
 */

/** Builds a lookup table of the ASCII characters left as they are: RFC 3986 unreserved ones, plus `predicate`'s. */
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
/** Characters kept as they are in a host name: RFC 3986 sub-delimiters, and what WHATWG tolerates in hosts. */
export const HOST_SAFE = safeTable((code) => "!$&'()*+,;=\"`{}%|\\".includes(String.fromCharCode(code)));

// "%XX" for every byte value, so escaping never formats numbers.
const ESCAPES = Array.from(
  { length: 256 },
  (_, byte) => "%" + byte.toString(16).toUpperCase().padStart(2, "0"),
);

/** The UTF-8 escapes of one code point; a lone surrogate is encoded as U+FFFD, as `TextEncoder` would. */
export function percentEncodeCodePoint(cp: number): string {
  if (cp < 0x80) return ESCAPES[cp]!;
  if (cp < 0x800) return ESCAPES[0xc0 | (cp >> 6)]! + ESCAPES[0x80 | (cp & 63)]!;
  if (cp >= 0xd800 && cp <= 0xdfff) return "%EF%BF%BD";
  if (cp < 0x10000) {
    return ESCAPES[0xe0 | (cp >> 12)]! + ESCAPES[0x80 | ((cp >> 6) & 63)]! + ESCAPES[0x80 | (cp & 63)]!;
  }
  return (
    ESCAPES[0xf0 | (cp >> 18)]! +
    ESCAPES[0x80 | ((cp >> 12) & 63)]! +
    ESCAPES[0x80 | ((cp >> 6) & 63)]! +
    ESCAPES[0x80 | (cp & 63)]!
  );
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
  while (index < value.length) {
    const cp = value.codePointAt(index)!;
    if (cp < 128 && safe[cp] === 1) out += value[index];
    else out += percentEncodeCodePoint(cp);
    index += cp > 0xffff ? 2 : 1;
  }
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

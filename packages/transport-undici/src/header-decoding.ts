/**
 * Response headers from undici's raw list of name and value bytes to the `[name, value]` strings a `Response`
 * takes.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";

const NON_ASCII = /[\u0080-\uffff]/;
/** Names longer than this are decoded every time: the common names are all shorter. */
const MAX_CACHED_LENGTH = 40;
/** How many distinct names are kept; the cache stops growing when full, and keeps serving what it holds. */
const MAX_CACHED_NAMES = 256;

interface CachedName {
  readonly bytes: Uint8Array;
  readonly name: string;
}

/**
 * The header names a process has seen, by their bytes. Nearly every response repeats a few names
 * (`Content-Type`, `Content-Length`, `Date`...): comparing a name's bytes with a cached one is cheaper than a call
 * into Node to decode it. Names are kept byte for byte, so their casing is kept as the server sent it.
 */
class NameCache {
  readonly #buckets = new Map<number, CachedName[]>();
  #size = 0;

  name(bytes: Buffer): string {
    const length = bytes.length;
    if (length === 0 || length > MAX_CACHED_LENGTH) return bytes.toString("latin1");
    const key = (length << 16) | (bytes[0]! << 8) | bytes[length - 1]!;
    const bucket = this.#buckets.get(key);
    if (bucket !== undefined) {
      for (const cached of bucket) if (sameBytes(cached.bytes, bytes)) return cached.name;
    }
    const name = bytes.toString("latin1");
    if (this.#size < MAX_CACHED_NAMES) {
      // A copy: `bytes` is a view of a socket chunk, which the cache must not keep alive.
      const cached = { bytes: Uint8Array.from(bytes), name };
      if (bucket === undefined) this.#buckets.set(key, [cached]);
      else bucket.push(cached);
      this.#size += 1;
    }
    return name;
  }
}

/** Whether `a` and `b` hold the same bytes; they have the same length, as their cache key says. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

const names = new NameCache();

/** Header value bytes as text: ASCII, else UTF-8 when valid (as httpx), else Latin-1. */
function decodeValue(raw: Buffer): string {
  const text = raw.toString("latin1");
  return NON_ASCII.test(text) && isUtf8(raw) ? raw.toString("utf8") : text;
}

/** undici's raw header list (bytes over HTTP/1.1, strings over HTTP/2) as `[name, value]` pairs, in order. */
export function toHeaderPairs(raw: Buffer[] | string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    pairs.push([
      typeof name === "string" ? name : names.name(name),
      typeof value === "string" ? value : decodeValue(value),
    ]);
  }
  return pairs;
}

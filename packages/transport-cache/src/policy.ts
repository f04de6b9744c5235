/**
 * Ferry's requests and responses in the shapes `http-cache-semantics` reads, and back.
 *
 * @module
 */
import type { Headers, Request, Response } from "@ferry/core";
import type CachePolicy from "http-cache-semantics";

/** Headers as `http-cache-semantics` takes them: lower-case names, repeats joined, `Set-Cookie` kept apart. */
export function policyHeaders(headers: Headers): CachePolicy.Headers {
  const result: CachePolicy.Headers = {};
  for (const [name, value] of headers.items()) {
    const lower = name.toLowerCase();
    result[lower] = lower === "set-cookie" ? headers.getList(lower) : value;
  }
  return result;
}

/** A request as `http-cache-semantics` takes it. */
export function policyRequest(request: Request, url: string): CachePolicy.Request {
  return { url, method: request.method, headers: policyHeaders(request.headers) };
}

/** A response as `http-cache-semantics` takes it. */
export function policyResponse(response: Response): CachePolicy.Response {
  return { status: response.statusCode, headers: policyHeaders(response.headers) };
}

/**
 * Headers from `http-cache-semantics` as pairs: names in the order and casing of `original`, repeated lines kept
 * where the value did not change, new names after.
 */
export function headerPairs(
  updated: CachePolicy.Headers,
  original: ReadonlyArray<readonly [string, string]> = [],
): [string, string][] {
  const originals = new Map<string, [string, string][]>();
  for (const [name, value] of original) {
    const lower = name.toLowerCase();
    const list = originals.get(lower) ?? [];
    list.push([name, value]);
    originals.set(lower, list);
  }
  const pairs: [string, string][] = [];
  const emit = (lower: string, name: string): void => {
    const value = updated[lower];
    if (value === undefined) return;
    const before = originals.get(lower);
    const values = Array.isArray(value) ? value : [value];
    if (before !== undefined && before.map(([, v]) => v).join(", ") === values.join(", "))
      pairs.push(...before);
    else for (const one of values) pairs.push([name, one]);
  };
  for (const [lower, list] of originals) emit(lower, list[0]![0]);
  for (const name of Object.keys(updated)) if (!originals.has(name)) emit(name, name);
  return pairs;
}

/** The cache key of a URL: the URL without its fragment, which never reaches the server. */
export function cacheKey(url: { toString(): string }): string {
  const text = url.toString();
  const hash = text.indexOf("#");
  return hash === -1 ? text : text.slice(0, hash);
}

/**
 * The caching transport: serves fresh responses from storage, revalidates stale ones, stores what may be stored.
 *
 * @module
 */
import { BaseTransport, BytesStream, Headers, Request, Response } from "@ferry/core";
import CachePolicy from "http-cache-semantics";
import { MemoryStorage } from "./memory-storage.js";
import { cacheKey, headerPairs, policyRequest, policyResponse } from "./policy.js";
import type { CacheEntry, CacheEntryMeta, CacheStorage } from "./storage.js";
import { StoringStream } from "./storing-stream.js";

/** How the cache reads responses. */
export interface CacheOptions {
  /**
   * Cache as a shared cache (a proxy, a gateway serving many users): `private` responses and responses to requests
   * with `Authorization` are then not stored, and `s-maxage` applies. Default `false`: a private cache.
   */
  shared?: boolean;
  /** The share of a response's age since `Last-Modified` it stays fresh when it states no lifetime. Default 0.1. */
  cacheHeuristic?: number;
  /** How long a `Cache-Control: immutable` response stays fresh without `max-age`, in ms. Default 24 hours. */
  immutableMinTimeToLive?: number;
}

/** Options of {@link CacheTransport}. */
export interface CacheTransportOptions {
  /** The transport that sends what the cache cannot answer. */
  transport: BaseTransport;
  /** Where entries are kept; a `MemoryStorage` of its own by default. */
  storage?: CacheStorage | undefined;
  /** How responses are read. */
  options?: CacheOptions | undefined;
}

/** What `extensions.cache_status` says of a response. */
export type CacheStatus = "hit" | "revalidated" | "miss" | "stored" | "uncacheable";

/** Transport details stored with a response; `decoded_content` keeps a body a `fetch` decoded from being decoded twice. */
const KEPT_EXTENSIONS = ["http_version", "reason_phrase", "decoded_content"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
const CONDITIONALS = ["if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range"];

function checkOptions(options: CacheOptions): Required<CacheOptions> {
  const { shared = false, cacheHeuristic = 0.1, immutableMinTimeToLive = 24 * 3600 * 1000 } = options;
  if (typeof shared !== "boolean")
    throw new TypeError(`Cache option 'shared' must be a boolean, got ${shared}.`);
  if (typeof cacheHeuristic !== "number" || !(cacheHeuristic >= 0 && cacheHeuristic <= 1)) {
    throw new RangeError(`Cache option 'cacheHeuristic' must be a number in [0, 1], got ${cacheHeuristic}.`);
  }
  if (typeof immutableMinTimeToLive !== "number" || !(immutableMinTimeToLive >= 0)) {
    throw new RangeError(`Cache option 'immutableMinTimeToLive' must be ≥ 0, got ${immutableMinTimeToLive}.`);
  }
  return { shared, cacheHeuristic, immutableMinTimeToLive };
}

/**
 * A transport that keeps an HTTP cache (RFC 9111) in front of another one, as hishel's `CacheTransport` does for
 * httpx. Freshness, validation and `Vary` follow `http-cache-semantics`:
 *
 * - a fresh stored response is served without a request (`extensions.cache_status = "hit"`);
 * - a stale one is revalidated with `If-None-Match` / `If-Modified-Since`, and a `304` turns into the stored
 *   response with its headers refreshed (`"revalidated"`);
 * - a response that may be stored is written to the storage as its body is read (`"stored"`), else passed on
 *   (`"miss"`, or `"uncacheable"` for methods and requests the cache never answers);
 * - `no-store` is honoured both ways; `private` and `Authorization` as a private cache may (`shared: false`,
 *   the default) or as a shared one must;
 * - a successful `POST`, `PUT`, `PATCH` or `DELETE` removes the stored response of its URL (and of its
 *   `Location` and `Content-Location` on the same origin).
 *
 * Every response says whether it came from the cache in `extensions.from_cache`.
 *
 * ```ts
 * const transport = new CacheTransport({ transport: new UndiciTransport(), storage: new FileStorage({ directory }) });
 * ```
 */
export class CacheTransport extends BaseTransport {
  /** The transport that sends what the cache cannot answer. */
  readonly transport: BaseTransport;
  /** Where entries are kept. */
  readonly storage: CacheStorage;
  readonly #policyOptions: CachePolicy.Options;

  constructor(options: CacheTransportOptions) {
    super();
    if (typeof options !== "object" || options === null || !(options.transport instanceof BaseTransport)) {
      throw new TypeError(
        "CacheTransport needs { transport }: the BaseTransport that sends what the cache cannot answer.",
      );
    }
    this.transport = options.transport;
    this.storage = options.storage ?? new MemoryStorage();
    this.#policyOptions = { ...checkOptions(options.options ?? {}), trustServerDate: true };
  }

  /** Answers from the cache when it can, else sends through the wrapped transport (storing what may be stored). */
  override async handleRequest(request: Request): Promise<Response> {
    if (!SAFE_METHODS.has(request.method)) return this.#unsafe(request);
    if (request.method !== "GET" || CONDITIONALS.some((name) => request.headers.has(name))) {
      // The caller's own conditional request, or a method the cache does not store: the server answers.
      return mark(await this.transport.handleRequest(request), "uncacheable");
    }
    const key = cacheKey(request.url);
    const asked = policyRequest(request, key);
    const entry = await this.storage.get(key);
    if (entry === undefined) return this.#fetch(request, key, asked);
    const policy = CachePolicy.fromObject(entry.meta.policy);
    if (policy.satisfiesWithoutRevalidation(asked)) {
      return this.#serve(entry, policy.responseHeaders(), request, "hit");
    }
    return this.#revalidate(request, key, asked, entry, policy);
  }

  async #revalidate(
    request: Request,
    key: string,
    asked: CachePolicy.Request,
    entry: CacheEntry,
    policy: CachePolicy,
  ): Promise<Response> {
    const conditional = policy.revalidationHeaders(asked);
    const headers = request.headers.copy();
    let validated = false;
    for (const name of ["if-none-match", "if-modified-since"]) {
      const value = conditional[name];
      if (typeof value === "string") {
        headers.set(name, value);
        validated = true;
      }
    }
    if (!validated) return this.#fetch(request, key, asked);
    const revalidation = new Request(request.method, request.url, {
      headers,
      stream: request.stream,
      extensions: request.extensions,
    });
    const response = await this.transport.handleRequest(revalidation);
    const update = policy.revalidatedPolicy(asked, policyResponse(response));
    if (update.modified || response.statusCode !== 304)
      return this.#store(response, key, update.policy, true);
    await response.close();
    const meta: CacheEntryMeta = {
      ...entry.meta,
      headers: headerPairs(update.policy.responseHeaders(), entry.meta.headers),
      policy: update.policy.toObject(),
    };
    await this.storage.update(key, meta);
    return this.#serve({ meta, body: entry.body }, update.policy.responseHeaders(), request, "revalidated");
  }

  async #fetch(request: Request, key: string, asked: CachePolicy.Request): Promise<Response> {
    const response = await this.transport.handleRequest(request);
    const policy = new CachePolicy(asked, policyResponse(response), this.#policyOptions);
    return this.#store(response, key, policy, false);
  }

  /**
   * Stores `response` as its body is read, when the policy allows it and a later request could use it. `replacing`
   * says a stored entry was just found stale: a new response that cannot be stored makes it useless.
   */
  async #store(response: Response, key: string, policy: CachePolicy, replacing: boolean): Promise<Response> {
    if (!policy.storable() || !worthStoring(policy, response)) {
      if (replacing) await this.storage.delete(key);
      return mark(response, "miss");
    }
    const extensions: Record<string, string | boolean> = {};
    for (const name of KEPT_EXTENSIONS) {
      const value = response.extensions[name];
      if (typeof value === "string" || typeof value === "boolean") extensions[name] = value;
    }
    const writer = await this.storage.open(key, {
      url: key,
      status: response.statusCode,
      headers: response.headers.raw.map(([name, value]) => [name, value] as const),
      extensions,
      policy: policy.toObject(),
    });
    if (response.stream instanceof BytesStream) {
      // A body already in memory (a mock's, an app's) will not stream past: store it now.
      await writer.write(response.stream.content);
      await writer.commit();
    } else {
      response.stream = new StoringStream(response.stream, writer);
    }
    return mark(response, "stored");
  }

  #serve(
    entry: CacheEntry,
    updated: CachePolicy.Headers,
    request: Request,
    status: "hit" | "revalidated",
  ): Response {
    const meta = entry.meta;
    return new Response(meta.status, {
      headers: new Headers(headerPairs(updated, meta.headers)),
      stream: entry.body(),
      request,
      extensions: { ...meta.extensions, from_cache: true, cache_status: status },
    });
  }

  /** Sends an unsafe request; when it succeeds, the stored responses it may have changed are removed. */
  async #unsafe(request: Request): Promise<Response> {
    const response = await this.transport.handleRequest(request);
    if (response.statusCode < 400) {
      const origin = `${request.url.scheme}://${request.url.netloc}`;
      const keys = [cacheKey(request.url)];
      for (const name of ["location", "content-location"]) {
        const value = response.headers.get(name);
        if (value === undefined) continue;
        const target = cacheKey(request.url.join(value));
        if (target.startsWith(`${origin}/`)) keys.push(target);
      }
      await Promise.all(keys.map((key) => this.storage.delete(key)));
    }
    return mark(response, "uncacheable");
  }

  /** Closes the wrapped transport. The storage stays as it is, to be used again. */
  override async close(): Promise<void> {
    await this.transport.close();
  }
}

/** Whether a later request could use a stored copy: it stays fresh for a while, or it can be revalidated. */
function worthStoring(policy: CachePolicy, response: Response): boolean {
  return policy.timeToLive() > 0 || response.headers.has("etag") || response.headers.has("last-modified");
}

function mark(response: Response, status: CacheStatus): Response {
  response.extensions["from_cache"] = false;
  response.extensions["cache_status"] = status;
  return response;
}

/**
 * Top-level request functions: `ferry.get(url)` and friends, each sending one request with a short-lived Client
 * that is closed before the function returns (or, for a streaming response, when the response is closed).
 *
 * @module
 */
import {
  type BodilessRequestOptions,
  type ByteStream,
  Client,
  type ClientOptions,
  type RequestMethodOptions,
  type Response,
  type StreamCallback,
  type URL,
} from "@ferry/core";

/** The Client options a top-level function takes, next to the request's own. */
export interface TopLevelClientOptions {
  /** A proxy for the request. */
  proxy?: ClientOptions["proxy"];
  /** Server certificate verification; default `true`. */
  verify?: ClientOptions["verify"];
  /** A client certificate. */
  cert?: ClientOptions["cert"];
  /** Read proxies and other settings from the environment; default `true`. */
  trustEnv?: ClientOptions["trustEnv"];
}

/** Options of {@link request}, {@link post}, {@link put}, {@link patch} and {@link stream}. */
export interface TopLevelRequestOptions extends RequestMethodOptions, TopLevelClientOptions {}

/** Options of {@link get}, {@link head}, {@link options} and {@link del}, which send no body. */
export interface TopLevelBodilessOptions extends BodilessRequestOptions, TopLevelClientOptions {}

function split(options: TopLevelRequestOptions): [ClientOptions, RequestMethodOptions] {
  const { proxy, verify, cert, trustEnv, ...request } = options;
  const client: ClientOptions = {};
  if (proxy !== undefined) client.proxy = proxy;
  if (verify !== undefined) client.verify = verify;
  if (cert !== undefined) client.cert = cert;
  if (trustEnv !== undefined) client.trustEnv = trustEnv;
  return [client, request];
}

/**
 * Sends one request with a Client made for it, and returns the response with its body read.
 *
 * ```ts
 * const response = await ferry.request("GET", "https://example.org", { params: { q: "ferry" } });
 * ```
 */
export async function request(
  method: string,
  url: string | URL,
  options: TopLevelRequestOptions = {},
): Promise<Response> {
  const [clientOptions, requestOptions] = split(options);
  await using client = new Client(clientOptions);
  // Awaited here, so the client is closed only after the response has arrived and been read.
  return await client.request(method, url, requestOptions);
}

/** Sends a `GET` request; see {@link request}. */
export function get(url: string | URL, options: TopLevelBodilessOptions = {}): Promise<Response> {
  return request("GET", url, options);
}

/** Sends a `HEAD` request; see {@link request}. */
export function head(url: string | URL, options: TopLevelBodilessOptions = {}): Promise<Response> {
  return request("HEAD", url, options);
}

/** Sends an `OPTIONS` request; see {@link request}. */
export function options(url: string | URL, options: TopLevelBodilessOptions = {}): Promise<Response> {
  return request("OPTIONS", url, options);
}

/** Sends a `DELETE` request; see {@link request}. Also exported as `delete`. */
export function del(url: string | URL, options: TopLevelBodilessOptions = {}): Promise<Response> {
  return request("DELETE", url, options);
}

/** Sends a `POST` request; see {@link request}. */
export function post(url: string | URL, options: TopLevelRequestOptions = {}): Promise<Response> {
  return request("POST", url, options);
}

/** Sends a `PUT` request; see {@link request}. */
export function put(url: string | URL, options: TopLevelRequestOptions = {}): Promise<Response> {
  return request("PUT", url, options);
}

/** Sends a `PATCH` request; see {@link request}. */
export function patch(url: string | URL, options: TopLevelRequestOptions = {}): Promise<Response> {
  return request("PATCH", url, options);
}

/**
 * Sends a request and resolves with the response as soon as its headers are in, the body left to stream. Closing
 * the response (`await using response = await ferry.stream(...)`) also closes the Client made for it.
 */
export function stream(
  method: string,
  url: string | URL,
  options?: TopLevelRequestOptions,
): Promise<Response>;
/** Sends a request, calls `callback` with the streaming response, then closes both; resolves with its result. */
export function stream<T>(method: string, url: string | URL, callback: StreamCallback<T>): Promise<T>;
export function stream<T>(
  method: string,
  url: string | URL,
  options: TopLevelRequestOptions,
  callback: StreamCallback<T>,
): Promise<T>;
export async function stream<T>(
  method: string,
  url: string | URL,
  optionsOrCallback?: TopLevelRequestOptions | StreamCallback<T>,
  callback?: StreamCallback<T>,
): Promise<Response | T> {
  const [options, use] =
    typeof optionsOrCallback === "function" ? [{}, optionsOrCallback] : [optionsOrCallback ?? {}, callback];
  const [clientOptions, requestOptions] = split(options);
  const client = new Client(clientOptions);
  if (use !== undefined) {
    try {
      return await client.stream(method, url, requestOptions, use);
    } finally {
      await client.close();
    }
  }
  let response: Response;
  try {
    response = await client.stream(method, url, requestOptions);
  } catch (error) {
    await client.close();
    throw error;
  }
  // A body that was in memory from the start leaves nothing to close later.
  if (response.isClosed) await client.close();
  else response.stream = closingAlso(response.stream, () => client.close());
  return response;
}

/** `source`, whose `close()` then runs `after` (which closes the Client that sent it). */
function closingAlso(source: ByteStream, after: () => Promise<void>): ByteStream {
  const wrapped: Partial<AsyncIterable<Uint8Array> & Iterable<Uint8Array>> & { close(): Promise<void> } = {
    close: async () => {
      try {
        await source.close?.();
      } finally {
        await after();
      }
    },
  };
  if (Symbol.asyncIterator in source) wrapped[Symbol.asyncIterator] = () => source[Symbol.asyncIterator]();
  if (Symbol.iterator in source) wrapped[Symbol.iterator] = () => source[Symbol.iterator]();
  return wrapped as ByteStream;
}

/**
 * The blocking HTTP client.
 *
 * @module
 */
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import { runtime, type TransportFactory } from "../runtime.js";
import type { URL } from "../url.js";
import { BaseClient } from "./base-client.js";
import { BODILESS_OPTIONS, checkKeys, REQUEST_OPTIONS, SEND_OPTIONS } from "./client.js";
import { runSync } from "./drive.js";
import { send } from "./pipeline.js";
import { checkSyncTransports, closeTransportSync, syncTransportFactory } from "./sync-transport.js";
import type { BodilessRequestOptions, ClientOptions, RequestMethodOptions, SendOptions } from "./types.js";

/** The callback of `syncClient.stream()`: gets the streaming response, which is closed once it returns. */
export type SyncStreamCallback<T> = (response: Response) => T;

/**
 * A blocking HTTP client: the same options, methods and behaviour as `Client` (the same request pipeline runs
 * auth, redirects, cookies and event hooks), but every method returns its result directly.
 *
 * ```ts
 * using client = new SyncClient({ baseUrl: "https://api.example.com/v1", auth: ["user", "pass"] });
 * const response = client.get("/users", { params: { page: 2 } });
 * console.log(response.json());
 * ```
 *
 * On Node, `ferry` gives a SyncClient a transport that does the network I/O on a worker thread (one per client,
 * started on the first request and ended by `close()`) while the calling thread blocks. A transport that answers
 * synchronously in the calling thread, such as a `MockTransport` with a synchronous handler, needs no worker.
 * Event hooks, auth flows and stream callbacks must be synchronous: a Promise from one is an error.
 *
 * While it waits, the calling thread runs nothing else: a server on that same thread cannot answer it.
 */
export class SyncClient extends BaseClient {
  /**
   * Validates the options like `Client` does; also refuses a `transport` or mounted transport that cannot send
   * synchronously.
   */
  constructor(options: ClientOptions = {}) {
    checkSyncTransports(options);
    super(options);
  }

  protected override transportFactory(): TransportFactory {
    return syncTransportFactory(runtime.syncTransportFactory);
  }

  /** Builds and sends a request; the response body is read before it returns. */
  request(method: string, url: string | URL, options: RequestMethodOptions = {}): Response {
    return this.#request(method, url, checkKeys(options, REQUEST_OPTIONS, "request"));
  }

  #request(method: string, url: string | URL, options: RequestMethodOptions): Response {
    const request = this.buildRequest(method, url, options);
    return runSync(
      send(this.pipeline, request, this.requestPolicy(request, false, options.auth, options.followRedirects)),
    );
  }

  /** Sends a `GET` request. */
  get(url: string | URL, options: BodilessRequestOptions = {}): Response {
    return this.#request("GET", url, checkKeys(options, BODILESS_OPTIONS, "get"));
  }

  /** Sends a `HEAD` request. */
  head(url: string | URL, options: BodilessRequestOptions = {}): Response {
    return this.#request("HEAD", url, checkKeys(options, BODILESS_OPTIONS, "head"));
  }

  /** Sends an `OPTIONS` request. */
  options(url: string | URL, options: BodilessRequestOptions = {}): Response {
    return this.#request("OPTIONS", url, checkKeys(options, BODILESS_OPTIONS, "options"));
  }

  /** Sends a `DELETE` request. */
  delete(url: string | URL, options: BodilessRequestOptions = {}): Response {
    return this.#request("DELETE", url, checkKeys(options, BODILESS_OPTIONS, "delete"));
  }

  /** Sends a `POST` request. */
  post(url: string | URL, options: RequestMethodOptions = {}): Response {
    return this.#request("POST", url, checkKeys(options, REQUEST_OPTIONS, "post"));
  }

  /** Sends a `PUT` request. */
  put(url: string | URL, options: RequestMethodOptions = {}): Response {
    return this.#request("PUT", url, checkKeys(options, REQUEST_OPTIONS, "put"));
  }

  /** Sends a `PATCH` request. */
  patch(url: string | URL, options: RequestMethodOptions = {}): Response {
    return this.#request("PATCH", url, checkKeys(options, REQUEST_OPTIONS, "patch"));
  }

  /**
   * Sends `request` as it is (build one with {@link BaseClient.buildRequest} to get the client's defaults), with
   * the client's auth, redirects and hooks. The body is read before it returns unless `stream` is set; a
   * streaming response must then be read or closed.
   */
  send(request: Request, options: SendOptions = {}): Response {
    checkKeys(options, SEND_OPTIONS, "send");
    return runSync(send(this.pipeline, request, this.sendPolicy(request, options)));
  }

  /**
   * Sends a request and returns as soon as the response headers are in, leaving the body to be streamed
   * (`iterBytesSync()`, `iterLinesSync()`...). Close the response when done: `using response =
   * client.stream("GET", url)`.
   */
  stream(method: string, url: string | URL, options?: RequestMethodOptions): Response;
  /** Sends a request and calls `callback` with the streaming response, closing it once the callback returns. */
  stream<T>(method: string, url: string | URL, callback: SyncStreamCallback<T>): T;
  stream<T>(
    method: string,
    url: string | URL,
    options: RequestMethodOptions,
    callback: SyncStreamCallback<T>,
  ): T;
  stream<T>(
    method: string,
    url: string | URL,
    optionsOrCallback?: RequestMethodOptions | SyncStreamCallback<T>,
    callback?: SyncStreamCallback<T>,
  ): Response | T {
    const [options, use] =
      typeof optionsOrCallback === "function" ? [{}, optionsOrCallback] : [optionsOrCallback ?? {}, callback];
    checkKeys(options, REQUEST_OPTIONS, "stream");
    const request = this.buildRequest(method, url, options);
    const response = runSync(
      send(this.pipeline, request, this.requestPolicy(request, true, options.auth, options.followRedirects)),
    );
    if (use === undefined) return response;
    try {
      return settled(use(response));
    } finally {
      response.closeSync();
    }
  }

  /**
   * Closes every transport of the client, mounts included (on Node, ending its worker thread). Later requests
   * fail; closing again does nothing.
   */
  close(): void {
    const errors: unknown[] = [];
    for (const transport of this.markClosed()) {
      try {
        closeTransportSync(transport);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "Closing the client's transports failed.");
  }

  /** Closes the client: `using client = new SyncClient()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function settled<T>(result: T): T {
  if (typeof (result as { then?: unknown } | null)?.then === "function") {
    (result as PromiseLike<unknown>).then(undefined, () => {});
    throw new TypeError(
      "The SyncClient.stream() callback returned a Promise, which a SyncClient cannot wait for: the response " +
        "is closed when the callback returns. Use a synchronous callback, or the async Client.",
    );
  }
  return result;
}

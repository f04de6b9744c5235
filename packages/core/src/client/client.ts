/**
 * The asynchronous HTTP client.
 *
 * @module
 */
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import type { URL } from "../url.js";
import { BaseClient } from "./base-client.js";
import { sendAsync } from "./pipeline.js";
import type { BodilessRequestOptions, RequestMethodOptions, SendOptions, StreamCallback } from "./types.js";

const BUILD_OPTIONS = ["params", "headers", "cookies", "timeout", "extensions"];
const BODY_OPTIONS = ["content", "data", "files", "json"];
const POLICY_OPTIONS = ["auth", "followRedirects"];
/** The option names of `request()`, `post()`, `put()`, `patch()` and `stream()` (shared with `SyncClient`). */
export const REQUEST_OPTIONS: ReadonlySet<string> = new Set([
  ...BUILD_OPTIONS,
  ...BODY_OPTIONS,
  ...POLICY_OPTIONS,
]);
/** The option names of `get()`, `head()`, `options()` and `delete()`. */
export const BODILESS_OPTIONS: ReadonlySet<string> = new Set([...BUILD_OPTIONS, ...POLICY_OPTIONS]);
/** The option names of `send()`. */
export const SEND_OPTIONS: ReadonlySet<string> = new Set(["stream", "timeout", ...POLICY_OPTIONS]);

/**
 * An HTTP client: connection pooling through its transport, default headers, params, cookies and auth for every
 * request, redirects, event hooks, and transports mounted per URL pattern.
 *
 * ```ts
 * await using client = new Client({ baseUrl: "https://api.example.com/v1", auth: ["user", "pass"] });
 * const response = await client.get("/users", { params: { page: 2 } });
 * console.log(response.json());
 * ```
 *
 * A client sends requests until it is closed (`close()` or `await using`); it cannot be reopened.
 */
export class Client extends BaseClient {
  /** Builds and sends a request; the response body is read before it resolves. */
  request(method: string, url: string | URL, options: RequestMethodOptions = {}): Promise<Response> {
    return this.#request(method, url, options, REQUEST_OPTIONS, "request");
  }

  /**
   * Checks the options, builds the request and runs the pipeline. Not an `async` function: each `async` layer
   * between the caller and the pipeline's own promise costs a promise and turns of the microtask queue per
   * request. Errors are still reported as a rejected promise, never thrown.
   */
  #request(
    method: string,
    url: string | URL,
    options: RequestMethodOptions,
    known: ReadonlySet<string>,
    name: string,
  ): Promise<Response> {
    try {
      checkKeys(options, known, name);
      // buildRequest() reads only the build options, so `options` is passed as it is rather than copied.
      const request = this.buildRequest(method, url, options);
      return sendAsync(
        this.pipeline,
        request,
        this.requestPolicy(request, false, options.auth, options.followRedirects),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends a `GET` request. */
  get(url: string | URL, options: BodilessRequestOptions = {}): Promise<Response> {
    return this.#request("GET", url, options, BODILESS_OPTIONS, "get");
  }

  /** Sends a `HEAD` request. */
  head(url: string | URL, options: BodilessRequestOptions = {}): Promise<Response> {
    return this.#request("HEAD", url, options, BODILESS_OPTIONS, "head");
  }

  /** Sends an `OPTIONS` request. */
  options(url: string | URL, options: BodilessRequestOptions = {}): Promise<Response> {
    return this.#request("OPTIONS", url, options, BODILESS_OPTIONS, "options");
  }

  /** Sends a `DELETE` request. */
  delete(url: string | URL, options: BodilessRequestOptions = {}): Promise<Response> {
    return this.#request("DELETE", url, options, BODILESS_OPTIONS, "delete");
  }

  /** Sends a `POST` request. */
  post(url: string | URL, options: RequestMethodOptions = {}): Promise<Response> {
    return this.#request("POST", url, options, REQUEST_OPTIONS, "post");
  }

  /** Sends a `PUT` request. */
  put(url: string | URL, options: RequestMethodOptions = {}): Promise<Response> {
    return this.#request("PUT", url, options, REQUEST_OPTIONS, "put");
  }

  /** Sends a `PATCH` request. */
  patch(url: string | URL, options: RequestMethodOptions = {}): Promise<Response> {
    return this.#request("PATCH", url, options, REQUEST_OPTIONS, "patch");
  }

  /**
   * Sends `request` as it is (build one with {@link BaseClient.buildRequest} to get the client's defaults), with
   * the client's auth, redirects and hooks. The body is read before it resolves unless `stream` is set; a
   * streaming response must then be read or closed.
   */
  send(request: Request, options: SendOptions = {}): Promise<Response> {
    try {
      checkKeys(options, SEND_OPTIONS, "send");
      return sendAsync(this.pipeline, request, this.sendPolicy(request, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sends a request and resolves as soon as the response headers are in, leaving the body to be streamed
   * (`iterBytes()`, `iterLines()`...). Close the response when done: `await using response = await
   * client.stream("GET", url)`.
   */
  stream(method: string, url: string | URL, options?: RequestMethodOptions): Promise<Response>;
  /**
   * Sends a request and calls `callback` with the streaming response, closing the response once the callback
   * settles; resolves with the callback's result.
   */
  stream<T>(method: string, url: string | URL, callback: StreamCallback<T>): Promise<T>;
  stream<T>(
    method: string,
    url: string | URL,
    options: RequestMethodOptions,
    callback: StreamCallback<T>,
  ): Promise<T>;
  async stream<T>(
    method: string,
    url: string | URL,
    optionsOrCallback?: RequestMethodOptions | StreamCallback<T>,
    callback?: StreamCallback<T>,
  ): Promise<Response | T> {
    const [options, use] =
      typeof optionsOrCallback === "function" ? [{}, optionsOrCallback] : [optionsOrCallback ?? {}, callback];
    checkKeys(options, REQUEST_OPTIONS, "stream");
    const request = this.buildRequest(method, url, options);
    const policy = this.requestPolicy(request, true, options.auth, options.followRedirects);
    const response = await sendAsync(this.pipeline, request, policy);
    if (use === undefined) return response;
    try {
      return await use(response);
    } finally {
      await response.close();
    }
  }

  /** Closes every transport of the client, mounts included. Later requests fail; closing again does nothing. */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    for (const transport of this.markClosed()) {
      try {
        await transport.close();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "Closing the client's transports failed.");
  }

  /** Closes the client: `await using client = new Client()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Rejects option names a method does not take (a typo would otherwise be ignored silently). */
export function checkKeys<T extends object>(options: T, known: ReadonlySet<string>, method: string): T {
  for (const key in options) {
    if (!known.has(key)) {
      throw new TypeError(
        `client.${method}() got an unknown option "${key}"; it takes ${[...known].join(", ")}.`,
      );
    }
  }
  return options;
}

/**
 * The asynchronous HTTP client.
 *
 * @module
 */
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import type { URL } from "../url.js";
import { BaseClient } from "./base-client.js";
import { runAsync } from "./drive.js";
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
  async request(method: string, url: string | URL, options: RequestMethodOptions = {}): Promise<Response> {
    return this.#request(method, url, checkKeys(options, REQUEST_OPTIONS, "request"));
  }

  async #request(method: string, url: string | URL, options: RequestMethodOptions): Promise<Response> {
    const { auth, followRedirects, ...build } = options;
    const request = this.buildRequest(method, url, build);
    return runAsync(this.sendFlow(request, { auth, followRedirects }));
  }

  /** Sends a `GET` request. */
  async get(url: string | URL, options: BodilessRequestOptions = {}): Promise<Response> {
    return this.#request("GET", url, checkKeys(options, BODILESS_OPTIONS, "get"));
  }

  /** Sends a `HEAD` request. */
  async head(url: string | URL, options: BodilessRequestOptions = {}): Promise<Response> {
    return this.#request("HEAD", url, checkKeys(options, BODILESS_OPTIONS, "head"));
  }

  /** Sends an `OPTIONS` request. */
  async options(url: string | URL, options: BodilessRequestOptions = {}): Promise<Response> {
    return this.#request("OPTIONS", url, checkKeys(options, BODILESS_OPTIONS, "options"));
  }

  /** Sends a `DELETE` request. */
  async delete(url: string | URL, options: BodilessRequestOptions = {}): Promise<Response> {
    return this.#request("DELETE", url, checkKeys(options, BODILESS_OPTIONS, "delete"));
  }

  /** Sends a `POST` request. */
  async post(url: string | URL, options: RequestMethodOptions = {}): Promise<Response> {
    return this.#request("POST", url, checkKeys(options, REQUEST_OPTIONS, "post"));
  }

  /** Sends a `PUT` request. */
  async put(url: string | URL, options: RequestMethodOptions = {}): Promise<Response> {
    return this.#request("PUT", url, checkKeys(options, REQUEST_OPTIONS, "put"));
  }

  /** Sends a `PATCH` request. */
  async patch(url: string | URL, options: RequestMethodOptions = {}): Promise<Response> {
    return this.#request("PATCH", url, checkKeys(options, REQUEST_OPTIONS, "patch"));
  }

  /**
   * Sends `request` as it is (build one with {@link BaseClient.buildRequest} to get the client's defaults), with
   * the client's auth, redirects and hooks. The body is read before it resolves unless `stream` is set; a
   * streaming response must then be read or closed.
   */
  async send(request: Request, options: SendOptions = {}): Promise<Response> {
    checkKeys(options, SEND_OPTIONS, "send");
    return runAsync(this.sendFlow(request, options));
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
    const { auth, followRedirects, ...build } = options;
    const response = await this.send(this.buildRequest(method, url, build), {
      auth,
      followRedirects,
      stream: true,
    });
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

/**
 * What `Client` and `SyncClient` share: options resolved once at construction, the client's properties, request
 * building (merging the client's defaults into each request), and the send pipeline ready for a driver.
 *
 * @module
 */
import { type Auth, type AuthTypes, BasicAuth, buildAuth } from "../auth.js";
import type { BaseTransport } from "../base-transport.js";
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_CONFIG,
  type Timeout,
  type TimeoutExtension,
  type TimeoutTypes,
} from "../config.js";
import { describeType } from "../content.js";
import { Cookies, type CookieTypes } from "../cookies.js";
import { supportedEncodings } from "../decoders.js";
import { Headers, type HeaderTypes } from "../headers.js";
import { QueryParams, type QueryParamTypes } from "../query-params.js";
import { Request, type RequestOptions } from "../request.js";
import { runtime, type TransportFactory } from "../runtime.js";
import type { DefaultEncoding } from "../text-decoding.js";
import { URL } from "../url.js";
import { VERSION } from "../version.js";
import {
  baseUrlOption,
  booleanOption,
  checkOptionNames,
  defaultEncodingOption,
  eventHooksOption,
  limitsOption,
  maxRedirectsOption,
  type ResolvedEventHooks,
  timeoutExtension,
  timeoutOption,
} from "./options.js";
import type { PipelineContext, SendPolicy } from "./pipeline.js";
import { TransportRouter, transportSetup } from "./transports.js";
import {
  type BuildRequestOptions,
  type ClientOptions,
  type EventHooks,
  type SendOptions,
  USE_CLIENT_DEFAULT,
} from "./types.js";

/** The default `User-Agent` header. */
export const USER_AGENT = `ferry/${VERSION}`;
/** How many joined URLs a client keeps, and the longest relative `rawPath` it keeps one for. */
const MAX_JOINED = 256;
const MAX_JOINED_LENGTH = 2048;

type ClientState = "unopened" | "opened" | "closed";

/** The Client logic that does not depend on how effects are run; see `Client`. */
export abstract class BaseClient {
  #state: ClientState = "unopened";
  #auth: Auth | null;
  #params: QueryParams;
  #headers: Headers;
  #cookies: Cookies;
  #timeout: Timeout;
  #timeoutExtension: Readonly<TimeoutExtension>;
  #followRedirects: boolean;
  #maxRedirects: number;
  #eventHooks: ResolvedEventHooks;
  #baseUrl: URL;
  /** Relative URLs already joined to {@link baseUrl}, by their `rawPath`; emptied when `baseUrl` changes. */
  #joined = new Map<string, URL>();
  readonly #trustEnv: boolean;
  readonly #defaultEncoding: DefaultEncoding;
  readonly #router: TransportRouter;
  readonly #context: PipelineContext;

  constructor(options: ClientOptions = {}) {
    checkOptionNames(options);
    this.#auth = buildAuth(options.auth);
    this.#params = new QueryParams(options.params);
    this.#headers = defaultHeaders(options.headers);
    this.#cookies = new Cookies(options.cookies);
    this.#timeout = timeoutOption(options.timeout, DEFAULT_TIMEOUT_CONFIG);
    this.#timeoutExtension = Object.freeze(this.#timeout.asExtension());
    this.#followRedirects = booleanOption("followRedirects", options.followRedirects, false);
    this.#maxRedirects = maxRedirectsOption(options.maxRedirects, DEFAULT_MAX_REDIRECTS);
    this.#eventHooks = eventHooksOption(options.eventHooks);
    this.#baseUrl = baseUrlOption(options.baseUrl);
    this.#trustEnv = booleanOption("trustEnv", options.trustEnv, true);
    this.#defaultEncoding = defaultEncodingOption(options.defaultEncoding);
    const limits = limitsOption(options.limits, DEFAULT_LIMITS);
    this.#router = new TransportRouter(
      transportSetup(options, this.#trustEnv, limits),
      this.transportFactory(),
    );
    this.#context = this.#pipelineContext();
  }

  /**
   * The factory of the client's default transport and proxy mounts, asked once, during construction (so an
   * override must not read fields of the subclass). A `SyncClient` answers with its blocking one.
   */
  protected transportFactory(): TransportFactory | undefined {
    return runtime.transportFactory;
  }

  #pipelineContext(): PipelineContext {
    const client = this;
    return {
      get requestHooks() {
        return client.#eventHooks.request;
      },
      get responseHooks() {
        return client.#eventHooks.response;
      },
      get maxRedirects() {
        return client.#maxRedirects;
      },
      get cookies() {
        return client.#cookies;
      },
      defaultEncoding: this.#defaultEncoding,
      transportFor: (url) => this.#router.transportFor(url),
    };
  }

  /** Whether the client has been closed; a closed client sends no more requests. */
  get isClosed(): boolean {
    return this.#state === "closed";
  }

  /** Whether the environment is read for proxies and other transport settings. */
  get trustEnv(): boolean {
    return this.#trustEnv;
  }

  /** Headers sent with every request: the defaults and the `headers` option. Mutable; assigning replaces them. */
  get headers(): Headers {
    return this.#headers;
  }

  set headers(headers: HeaderTypes | null | undefined) {
    this.#headers = defaultHeaders(headers);
  }

  /** The cookie jar: cookies sent with every request, and every cookie servers set. */
  get cookies(): Cookies {
    return this.#cookies;
  }

  set cookies(cookies: CookieTypes | null | undefined) {
    this.#cookies = new Cookies(cookies);
  }

  /** Query parameters added to every request URL. */
  get params(): QueryParams {
    return this.#params;
  }

  set params(params: QueryParamTypes | null | undefined) {
    this.#params = new QueryParams(params);
  }

  /** Authentication used when a request does not give its own; `null` for none. */
  get auth(): Auth | null {
    return this.#auth;
  }

  set auth(auth: AuthTypes | null | undefined) {
    this.#auth = buildAuth(auth);
  }

  /** Timeouts used when a request does not give its own. */
  get timeout(): Timeout {
    return this.#timeout;
  }

  set timeout(timeout: TimeoutTypes) {
    this.#timeout = timeoutOption(timeout, DEFAULT_TIMEOUT_CONFIG);
    this.#timeoutExtension = Object.freeze(this.#timeout.asExtension());
  }

  /** The URL relative request URLs are appended to; its path always ends with "/". */
  get baseUrl(): URL {
    return this.#baseUrl;
  }

  set baseUrl(url: string | URL) {
    this.#baseUrl = baseUrlOption(url);
    this.#joined = new Map();
  }

  get #hasBaseUrl(): boolean {
    return this.#baseUrl.rawPath !== "/" || this.#baseUrl.scheme !== "" || this.#baseUrl.rawHost !== "";
  }

  /** The event hooks, by event. The lists are live: pushing a hook onto one takes effect at once. */
  get eventHooks(): ResolvedEventHooks {
    return this.#eventHooks;
  }

  set eventHooks(hooks: EventHooks | null | undefined) {
    this.#eventHooks = eventHooksOption(hooks);
  }

  /** Whether redirects are followed when a request does not say. */
  get followRedirects(): boolean {
    return this.#followRedirects;
  }

  set followRedirects(value: boolean) {
    this.#followRedirects = booleanOption("followRedirects", value, false);
  }

  /** The most redirects one request follows before `TooManyRedirects`. */
  get maxRedirects(): number {
    return this.#maxRedirects;
  }

  set maxRedirects(value: number) {
    this.#maxRedirects = maxRedirectsOption(value, DEFAULT_MAX_REDIRECTS);
  }

  /**
   * Builds a request with the client's defaults merged in: the URL joined to `baseUrl`, the client's params,
   * headers and cookies under the request's own, and the timeout in `extensions.timeout`.
   */
  buildRequest(method: string, url: string | URL, options: BuildRequestOptions = {}): Request {
    const init: RequestOptions = {
      // Request copies a Headers it did not build, so the client's own are passed when there is nothing to merge.
      headers: this.#mergeHeaders(options.headers),
      cookies: this.#mergeCookies(options.cookies),
    };
    const params = this.#params.merge(options.params);
    if (params.size !== 0) init.params = params;
    const { content, data, files, json } = options;
    if (content !== undefined) init.content = content;
    if (data !== undefined) init.data = data;
    if (files !== undefined) init.files = files;
    if (json !== undefined) init.json = json;
    const request = new Request(method, this.#mergeUrl(url), init);
    // Set after construction, which would copy them once more.
    request.extensions = this.#mergeExtensions(options.extensions, options.timeout);
    return request;
  }

  #mergeUrl(url: string | URL): URL {
    const merge = url instanceof URL ? url : new URL(url);
    if (!merge.isRelativeUrl || !this.#hasBaseUrl) return merge;
    // A client names the same few paths again and again: each is joined once (building a URL from new parts
    // costs microseconds), then found by its `rawPath`. The result depends on nothing else, and URLs are immutable.
    const rawPath = merge.rawPath;
    let joined = this.#joined.get(rawPath);
    if (joined === undefined) {
      // The base path always ends with "/": the relative path is appended to it, never resolved against it.
      joined = this.#baseUrl.copyWith({ rawPath: this.#baseUrl.rawPath + rawPath.replace(/^\/+/, "") });
      if (rawPath.length <= MAX_JOINED_LENGTH) {
        if (this.#joined.size >= MAX_JOINED) this.#joined.delete(this.#joined.keys().next().value!);
        this.#joined.set(rawPath, joined);
      }
    }
    return joined;
  }

  #mergeHeaders(headers: HeaderTypes | null | undefined): Headers {
    if (headers === undefined || headers === null) return this.#headers;
    const merged = this.#headers.copy();
    merged.update(headers);
    return merged;
  }

  #mergeCookies(cookies: CookieTypes | null | undefined): Cookies {
    if (cookies === undefined || cookies === null) return this.#cookies;
    const merged = new Cookies(this.#cookies);
    merged.update(cookies);
    return merged;
  }

  #mergeExtensions(
    extensions: Record<string, unknown> | null | undefined,
    timeout: BuildRequestOptions["timeout"],
  ): Record<string, unknown> {
    if (extensions !== undefined && extensions !== null) {
      if (typeof extensions !== "object" || Array.isArray(extensions)) {
        throw new TypeError(`extensions must be an object, got ${describeType(extensions)}.`);
      }
      if ("timeout" in extensions) return { ...extensions };
    }
    const resolved =
      timeout === undefined || timeout === USE_CLIENT_DEFAULT
        ? this.#timeoutExtension
        : timeoutExtension(timeout);
    return { ...extensions, timeout: resolved };
  }

  /**
   * How `request` is to be sent, from the options of `send()`: the client's state is checked, the `timeout` option
   * or the client's timeout set, and the auth and redirect options resolved against the client's.
   */
  protected sendPolicy(request: Request, options: SendOptions): SendPolicy {
    const { timeout } = options;
    if (timeout !== undefined && timeout !== USE_CLIENT_DEFAULT) {
      request.extensions = { ...request.extensions, timeout: timeoutExtension(timeout) };
    }
    return this.requestPolicy(request, options.stream ?? false, options.auth, options.followRedirects);
  }

  /**
   * How a request from {@link BaseClient.buildRequest} is to be sent: the client's state is checked, its timeout
   * set when the request has none, and the auth and redirect options resolved against the client's.
   */
  protected requestPolicy(
    request: Request,
    stream: boolean,
    auth: SendOptions["auth"],
    followRedirects: SendOptions["followRedirects"],
  ): SendPolicy {
    if (this.#state === "closed") throw new Error("Cannot send a request, as the client has been closed.");
    this.#state = "opened";
    if (!("timeout" in request.extensions)) {
      request.extensions = { ...request.extensions, timeout: this.#timeoutExtension };
    }
    return {
      stream,
      auth: this.#requestAuth(request, auth),
      followRedirects:
        followRedirects === undefined || followRedirects === USE_CLIENT_DEFAULT
          ? this.#followRedirects
          : booleanOption("followRedirects", followRedirects, false),
    };
  }

  /** What the pipeline reads from this client, for a driver to run it with a {@link SendPolicy}. */
  protected get pipeline(): PipelineContext {
    return this.#context;
  }

  /** The auth of a request: its own, else the client's, else credentials in its URL. */
  #requestAuth(request: Request, auth: SendOptions["auth"]): Auth | null {
    const resolved = auth === undefined || auth === USE_CLIENT_DEFAULT ? this.#auth : buildAuth(auth);
    if (resolved !== null) return resolved;
    const { username, password } = request.url;
    return username !== "" || password !== "" ? new BasicAuth(username, password) : null;
  }

  /** Marks the client closed and returns the transports to close, once; later calls return none. */
  protected markClosed(): BaseTransport[] {
    if (this.#state === "closed") return [];
    this.#state = "closed";
    return this.#router.transports;
  }
}

/** The client's default headers in httpx's order, updated with the `headers` option. */
function defaultHeaders(headers: HeaderTypes | null | undefined): Headers {
  const defaults = new Headers([
    ["Accept", "*/*"],
    ["Accept-Encoding", supportedEncodings().join(", ")],
    ["Connection", "keep-alive"],
    ["User-Agent", USER_AGENT],
  ]);
  defaults.update(headers);
  return defaults;
}

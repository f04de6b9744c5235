/**
 * The option shapes of `Client`: its constructor options and the options of its request methods.
 *
 * @module
 */
import type { AuthTypes } from "../auth.js";
import type { BaseTransport } from "../base-transport.js";
import type { Limits, Proxy as ProxyConfig, TimeoutTypes } from "../config.js";
import type { RequestContent, RequestData } from "../content.js";
import type { CookieTypes } from "../cookies.js";
import type { HeaderTypes } from "../headers.js";
import type { RequestFiles } from "../multipart.js";
import type { QueryParamTypes } from "../query-params.js";
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import type { DefaultEncoding } from "../text-decoding.js";
import type { URL } from "../url.js";

/**
 * Marks a per-request option as "use the client's setting", which is also what leaving it out means. Distinct
 * from `null`, which means "none" (`timeout: null` disables timeouts even when the client has some).
 */
export const USE_CLIENT_DEFAULT: unique symbol = Symbol.for("ferry.USE_CLIENT_DEFAULT");

/** The type of {@link USE_CLIENT_DEFAULT}. */
export type UseClientDefault = typeof USE_CLIENT_DEFAULT;

/** An event hook run with each request before it is sent; may be async. Its errors reach the caller. */
export type RequestHook = (request: Request) => unknown;

/**
 * An event hook run with each response once its headers are in (the body is not read yet); may be async. Its
 * errors reach the caller.
 */
export type ResponseHook = (response: Response) => unknown;

/** Event hooks by event: `request` hooks before each send, `response` hooks after each response, every hop. */
export interface EventHooks {
  request?: readonly RequestHook[] | undefined;
  response?: readonly ResponseHook[] | undefined;
}

/** Where the proxy for every request is: a URL, or a `Proxy` with credentials and headers. */
export type ProxyTypes = string | URL | ProxyConfig;

/** How server certificates are checked: `true` (system CAs), `false` (not at all), a CA bundle path, TLS options. */
export type VerifyTypes = boolean | string | Record<string, unknown>;

/** A client certificate: a path to a PEM file holding both, or `[certFile, keyFile?, password?]`. */
export type CertTypes = string | readonly [certFile: string, keyFile?: string, password?: string];

/** The options of a {@link Client}. Every one is optional; the defaults are httpx's. */
export interface ClientOptions {
  /** Authentication for every request: `[username, password]`, a function of the request, or an `Auth`. */
  auth?: AuthTypes | null | undefined;
  /** Query parameters added to every request URL. */
  params?: QueryParamTypes | null | undefined;
  /** Headers sent with every request, on top of the defaults (`Accept`, `Accept-Encoding`, ...). */
  headers?: HeaderTypes | null | undefined;
  /** Cookies sent with every request; the client's jar also keeps every cookie servers set. */
  cookies?: CookieTypes | null | undefined;
  /** Server certificate verification; default `true`. Passed to the default transport and proxy mounts. */
  verify?: VerifyTypes | undefined;
  /** Client certificate. Passed to the default transport and proxy mounts. */
  cert?: CertTypes | null | undefined;
  /** Read proxies (and transports' other settings) from the environment; default `true`. */
  trustEnv?: boolean | undefined;
  /** Allow HTTP/1.1; default `true`. */
  http1?: boolean | undefined;
  /** Allow HTTP/2; default `false`. */
  http2?: boolean | undefined;
  /** A proxy for every request; replaces proxies from the environment. */
  proxy?: ProxyTypes | null | undefined;
  /** Connection pool limits of the default transport; default 100 connections, 20 kept alive for 5000 ms. */
  limits?: Limits | undefined;
  /** Transports by URL pattern (`"all://"`, `"https://"`, `"all://*.example.com"`); `null` = the default one. */
  mounts?: Readonly<Record<string, BaseTransport | null>> | null | undefined;
  /** Timeouts in milliseconds: one number, `null` for none, a `Timeout`, or per phase; default 5000 ms. */
  timeout?: TimeoutTypes | undefined;
  /** Follow redirects; default `false`. */
  followRedirects?: boolean | undefined;
  /** The most redirects one request may follow; default 20. */
  maxRedirects?: number | undefined;
  /** Functions called with each request and each response. */
  eventHooks?: EventHooks | null | undefined;
  /** The URL that relative request URLs are appended to. */
  baseUrl?: string | URL | undefined;
  /** The transport for every request no mount claims; default: built by the runtime's transport factory. */
  transport?: BaseTransport | null | undefined;
  /** The encoding of response text without a charset; default `"utf-8"`. */
  defaultEncoding?: DefaultEncoding | undefined;
}

/** Options of `client.buildRequest()`: the request's parts, merged with the client's defaults. */
export interface BuildRequestOptions {
  /** The body, sent as is (a string as UTF-8). */
  content?: RequestContent | undefined;
  /** Form fields, sent `application/x-www-form-urlencoded` (or as fields of a multipart body with `files`). */
  data?: RequestData | undefined;
  /** Files, sent as `multipart/form-data`. */
  files?: RequestFiles | undefined;
  /** A value sent as JSON. */
  json?: unknown;
  /** Query parameters; their keys replace the client's. */
  params?: QueryParamTypes | null | undefined;
  /** Headers; each name replaces the client's values of that name. */
  headers?: HeaderTypes | null | undefined;
  /** Cookies sent with this request, on top of the client's. */
  cookies?: CookieTypes | null | undefined;
  /** Timeouts of this request; `null` for none. */
  timeout?: TimeoutTypes | UseClientDefault | undefined;
  /** Extensions passed to the transport (`timeout` set here wins over the `timeout` option). */
  extensions?: Record<string, unknown> | null | undefined;
}

/** Per-request policy of sending: authentication and redirects. */
export interface SendPolicyOptions {
  /** Authentication of this request; `null` for none. */
  auth?: AuthTypes | UseClientDefault | null | undefined;
  /** Whether to follow redirects for this request. */
  followRedirects?: boolean | UseClientDefault | undefined;
}

/** Options of `client.request()`, `post()`, `put()` and `patch()`. */
export interface RequestMethodOptions extends BuildRequestOptions, SendPolicyOptions {}

/** Options of `client.get()`, `head()`, `options()` and `delete()`, which send no body. */
export type BodilessRequestOptions = Omit<RequestMethodOptions, "content" | "data" | "files" | "json">;

/** Options of `client.send()`. */
export interface SendOptions extends SendPolicyOptions {
  /** Return as soon as the headers are in, leaving the body to be streamed; default `false`. */
  stream?: boolean | undefined;
  /** Timeouts of this request, replacing the request's `extensions.timeout`; `null` for none. */
  timeout?: TimeoutTypes | UseClientDefault | undefined;
}

/** The callback of `client.stream()`: gets the streaming response, which is closed once it settles. */
export type StreamCallback<T> = (response: Response) => T | Promise<T>;

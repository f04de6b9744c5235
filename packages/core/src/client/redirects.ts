/**
 * The request that follows a redirect response: its method, URL, headers and body, by httpx's rules.
 *
 * @module
 */
import type { Cookies } from "../cookies.js";
import { InvalidURL, RemoteProtocolError } from "../errors.js";
import { Headers } from "../headers.js";
import { Request } from "../request.js";
import type { Response } from "../response.js";
import type { ByteStream } from "../streams.js";
import { URL } from "../url.js";

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

/**
 * Builds the request that follows `response`, a redirect with a `Location`, to `request`. Its `Cookie` header
 * comes from `cookies`, the client's jar, which holds whatever the redirect response set.
 *
 * @throws RemoteProtocolError when `Location` is not a valid URL.
 */
export function buildRedirectRequest(request: Request, response: Response, cookies: Cookies): Request {
  const method = redirectMethod(request.method, response.statusCode);
  const url = redirectUrl(request, response);
  const bodyDropped = method !== request.method && method === "GET";
  const stream: ByteStream | undefined = bodyDropped ? undefined : request.stream;
  return new Request(method, url, {
    headers: redirectHeaders(request, url, bodyDropped),
    cookies,
    ...(stream === undefined ? {} : { stream }),
    extensions: request.extensions,
  });
}

/**
 * The method after a redirect: 303 and 302 turn anything but HEAD into GET (302 as browsers do, despite RFC 9110),
 * 301 turns POST into GET; 307 and 308 keep the method.
 */
export function redirectMethod(method: string, statusCode: number): string {
  if ((statusCode === 303 || statusCode === 302) && method !== "HEAD") return "GET";
  if (statusCode === 301 && method === "POST") return "GET";
  return method;
}

/**
 * The URL to go to: `Location` resolved against the request's URL, a host-less absolute `Location` given the
 * request's host, and the request's fragment kept when `Location` has none (RFC 9110, section 10.2.2).
 */
export function redirectUrl(request: Request, response: Response): URL {
  const location = response.headers.get("Location") ?? "";
  let url: URL;
  try {
    url = new URL(location);
  } catch (error) {
    if (!(error instanceof InvalidURL)) throw error;
    throw new RemoteProtocolError(`Invalid URL in location header: ${error.message}.`, {
      request,
      cause: error,
    });
  }
  if (url.scheme !== "" && url.host === "") url = url.copyWith({ host: request.url.host });
  if (url.isRelativeUrl) url = request.url.join(url);
  if (request.url.fragment !== "" && url.fragment === "")
    url = url.copyWith({ fragment: request.url.fragment });
  return url;
}

/**
 * The headers of the next request: `Authorization` dropped when the origin changes (unless it is an upgrade from
 * http to https on the same host), `Host` rewritten, body headers dropped with the body, and `Cookie` dropped so
 * that the jar supplies it afresh.
 */
function redirectHeaders(request: Request, url: URL, bodyDropped: boolean): Headers {
  const headers = new Headers(request.headers);
  if (!sameOrigin(url, request.url)) {
    if (!isHttpsUpgrade(request.url, url)) headers.delete("Authorization");
    headers.set("Host", url.netloc);
  }
  if (bodyDropped) {
    headers.delete("Content-Length");
    headers.delete("Transfer-Encoding");
  }
  headers.delete("Cookie");
  return headers;
}

function portOrDefault(url: URL): number | undefined {
  return url.port ?? DEFAULT_PORTS[url.scheme];
}

function sameOrigin(url: URL, other: URL): boolean {
  return (
    url.scheme === other.scheme && url.host === other.host && portOrDefault(url) === portOrDefault(other)
  );
}

function isHttpsUpgrade(from: URL, to: URL): boolean {
  return (
    from.host === to.host &&
    from.scheme === "http" &&
    portOrDefault(from) === 80 &&
    to.scheme === "https" &&
    portOrDefault(to) === 443
  );
}

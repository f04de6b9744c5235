/**
 * The proxy a transport sends everything through, resolved once at construction.
 *
 * @module
 */
import { describe } from "./tls.js";

/**
 * The shape of a proxy the transport accepts: `@ferry/core`'s `Proxy` (its URL carries no credentials; `auth` and
 * `headers` do), or a URL string such as `http://user:pass@proxy:3128` or `socks5h://127.0.0.1:1080`.
 */
export interface ProxyLike {
  readonly url: { toString(): string };
  readonly auth: readonly [string, string] | null;
  readonly headers: { readonly raw: ReadonlyArray<readonly [string, string]> };
}

/** The kinds of proxy a transport speaks. */
export type ProxyKind = "http" | "https" | "socks4" | "socks4a" | "socks5" | "socks5h";

/** A proxy resolved for the connector and the dispatch path. */
export interface ResolvedProxy {
  readonly kind: ProxyKind;
  readonly hostname: string;
  readonly port: number;
  /** The proxy's origin (`http://host:port`), the pool key of absolute-form requests sent to an HTTP proxy. */
  readonly origin: string;
  /** Headers sent to the proxy only (CONNECT requests and absolute-form requests), flat `[name, value, ...]`. */
  readonly headers: readonly string[];
  readonly auth: readonly [string, string] | null;
}

const DEFAULT_PORTS: Record<ProxyKind, number> = {
  http: 80,
  https: 443,
  socks4: 1080,
  socks4a: 1080,
  socks5: 1080,
  socks5h: 1080,
};

function isProxyLike(value: unknown): value is ProxyLike {
  return (
    typeof value === "object" &&
    value !== null &&
    "url" in value &&
    "auth" in value &&
    "headers" in value &&
    typeof (value as ProxyLike).headers === "object"
  );
}

function parseProxyUrl(text: string): globalThis.URL {
  try {
    return new globalThis.URL(text);
  } catch (error) {
    throw new TypeError(`proxy: expected a proxy URL, got ${describe(text)}`, { cause: error });
  }
}

/**
 * Resolves the `proxy` option.
 *
 * @throws TypeError for a value that is neither a URL string nor a Proxy; RangeError for an unsupported scheme.
 */
export function resolveProxy(proxy: string | ProxyLike): ResolvedProxy {
  let url: globalThis.URL;
  let auth: readonly [string, string] | null = null;
  const headers: string[] = [];
  if (typeof proxy === "string") {
    url = parseProxyUrl(proxy);
    if (url.username !== "" || url.password !== "") {
      auth = [decodeURIComponent(url.username), decodeURIComponent(url.password)];
    }
  } else if (isProxyLike(proxy)) {
    url = parseProxyUrl(proxy.url.toString());
    auth = proxy.auth;
    for (const [name, value] of proxy.headers.raw) headers.push(name, value);
  } else {
    throw new TypeError(`proxy: expected a proxy URL or a Proxy, got ${describe(proxy)}`);
  }
  const kind = url.protocol.slice(0, -1) as ProxyKind;
  if (!(kind in DEFAULT_PORTS)) {
    throw new RangeError(
      `proxy: unsupported proxy scheme ${JSON.stringify(url.protocol)} (expected http, https, socks4, socks4a, socks5 or socks5h)`,
    );
  }
  const hasAuthHeader = headers.some(
    (_, i) => i % 2 === 0 && headers[i]!.toLowerCase() === "proxy-authorization",
  );
  if (auth !== null && !hasAuthHeader && (kind === "http" || kind === "https")) {
    headers.push("Proxy-Authorization", `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString("base64")}`);
  }
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === "" ? DEFAULT_PORTS[kind] : Number(url.port);
  return { kind, hostname, port, origin: `${kind}://${url.host}`, headers, auth };
}

/**
 * Proxy settings from the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`), as mount patterns.
 *
 * Read when a Client with `trustEnv` and no `proxy` or `transport` is built. Follows curl and Python's urllib: the
 * lower-case variable wins over the upper-case one (and, when empty, unsets it); `HTTP_PROXY` is ignored when
 * `REQUEST_METHOD` is set, since under CGI a client could set it through a `Proxy:` request header.
 *
 * @module
 */
import { parseIPRange } from "./ip-address.js";
import { runtime } from "./runtime.js";

/** The environment variables proxies are read from, by name. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Mount patterns for the proxies the environment asks for: each pattern maps to a proxy URL, or to `null` for
 * hosts that `NO_PROXY` exempts. Empty when `NO_PROXY` is `*`.
 *
 * ```ts
 * environmentProxies({ HTTPS_PROXY: "proxy:3128", NO_PROXY: ".internal,10.0.0.0/8" });
 * // { "https://": "http://proxy:3128", "all://*.internal": null, "all://10.0.0.0/8": null }
 * ```
 */
export function environmentProxies(env: Environment): Record<string, string | null> {
  const mounts: Record<string, string | null> = {};
  for (const scheme of ["http", "https", "all"] as const) {
    const proxy = readProxyVariable(env, scheme);
    if (proxy !== undefined) mounts[`${scheme}://`] = proxy.includes("://") ? proxy : `http://${proxy}`;
  }
  for (const entry of (readProxyVariable(env, "no") ?? "").split(",")) {
    const host = entry.trim();
    if (host === "*") return {};
    if (host !== "") mounts[noProxyPattern(host)] = null;
  }
  return mounts;
}

/** {@link environmentProxies} of the environment the runtime reports (`{}` where it has none). */
export function getEnvironmentProxies(): Record<string, string | null> {
  return runtime.env === undefined ? {} : environmentProxies(runtime.env());
}

function readProxyVariable(env: Environment, scheme: "http" | "https" | "all" | "no"): string | undefined {
  const lower = env[`${scheme}_proxy`];
  if (lower !== undefined) return lower === "" ? undefined : lower;
  if (scheme === "http" && env["REQUEST_METHOD"] !== undefined) return undefined;
  const upper = env[`${scheme.toUpperCase()}_PROXY`];
  return upper === "" ? undefined : upper;
}

/** The mount pattern a `NO_PROXY` entry exempts (see curl's CURLOPT_NOPROXY). */
function noProxyPattern(host: string): string {
  if (host.includes("://")) return host;
  const range = parseIPRange(host);
  if (range !== null)
    return range.network.bits === 32 || host.startsWith("[") ? `all://${host}` : `all://[${host}]`;
  if (host.toLowerCase() === "localhost") return `all://${host}`;
  // ".example.com" exempts subdomains only ("all://*.example.com"); "example.com" the domain and its subdomains.
  return `all://*${host}`;
}

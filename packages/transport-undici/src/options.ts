/**
 * The options of `UndiciTransport`, validated and resolved once at construction.
 *
 * @module
 */
import { isIP } from "node:net";
import { DEFAULT_LIMITS, Limits, type LimitsOptions } from "@ferry/core";
import type { ConnectorConfig, SocketOptions } from "./connector.js";
import { type ProxyLike, type ResolvedProxy, resolveProxy } from "./proxy.js";
import { buildTlsOptions, type CertTypes, describe, type VerifyTypes } from "./tls.js";

/** Options of `UndiciTransport`, with httpx's `HTTPTransport` vocabulary. Durations are milliseconds. */
export interface UndiciTransportOptions {
  /** TLS verification: `true` (default), `false`, a CA bundle path, or Node TLS options. */
  verify?: VerifyTypes;
  /** A client certificate for mutual TLS: a PEM path, or `[certFile, keyFile?, keyPassword?]`. */
  cert?: CertTypes | null;
  /** Offer HTTP/1.1 (default true). */
  http1?: boolean;
  /** Offer HTTP/2 by ALPN over TLS (default false); with `http1: false`, also over cleartext by prior knowledge. */
  http2?: boolean;
  /** Connection pool limits (default 100 connections, 20 kept alive, 5000 ms expiry). */
  limits?: Limits | LimitsOptions;
  /** Send every request through this proxy: `http://`, `https://`, `socks4://`, `socks4a://`, `socks5://`, `socks5h://`. */
  proxy?: string | ProxyLike | null;
  /** Read `SSL_CERT_FILE` and `SSL_CERT_DIR` for `verify: true` (default true). */
  trustEnv?: boolean;
  /** Connect to this unix domain socket instead of the URL's host and port. */
  uds?: string | null;
  /** The local IP address to connect from (`"0.0.0.0"` forces IPv4, `"::"` IPv6). */
  localAddress?: string | null;
  /** How many times to retry a connection that failed to open (never a request that was sent). Default 0. */
  retries?: number;
  /** Socket options applied to each connection, where Node allows. */
  socketOptions?: SocketOptions | null;
}

/** Everything a transport derives from its options. */
export interface ResolvedOptions {
  readonly connector: ConnectorConfig;
  readonly http2: boolean;
  readonly limits: Limits;
  readonly proxy: ResolvedProxy | null;
}

const KNOWN = new Set([
  "verify",
  "cert",
  "http1",
  "http2",
  "limits",
  "proxy",
  "trustEnv",
  "uds",
  "localAddress",
  "retries",
  "socketOptions",
]);

const SOCKET_OPTIONS: Record<keyof SocketOptions, (value: unknown) => boolean> = {
  keepAlive: (value) => typeof value === "boolean",
  keepAliveInitialDelay: (value) => Number.isInteger(value) && (value as number) >= 0,
  noDelay: (value) => typeof value === "boolean",
  family: (value) => value === 0 || value === 4 || value === 6,
  autoSelectFamily: (value) => typeof value === "boolean",
  autoSelectFamilyAttemptTimeout: (value) => Number.isInteger(value) && (value as number) > 0,
};

function boolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean")
    throw new TypeError(`${name}: expected true or false, got ${describe(value)}`);
  return value;
}

function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`${name}: expected a non-empty string or null, got ${describe(value)}`);
  }
  return value;
}

function resolveLimits(value: unknown): Limits {
  if (value === undefined) return DEFAULT_LIMITS;
  if (value instanceof Limits) return value;
  if (typeof value === "object" && value !== null) return new Limits(value as LimitsOptions);
  throw new TypeError(`limits: expected a Limits, got ${describe(value)}`);
}

function resolveSocketOptions(value: unknown): SocketOptions {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`socketOptions: expected an object, got ${describe(value)}`);
  }
  for (const [key, option] of Object.entries(value)) {
    const check = SOCKET_OPTIONS[key as keyof SocketOptions];
    if (check === undefined) throw new TypeError(`socketOptions: unknown option ${JSON.stringify(key)}`);
    if (!check(option)) throw new RangeError(`socketOptions.${key}: invalid value ${describe(option)}`);
  }
  return { ...(value as SocketOptions) };
}

function resolveRetries(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== "number") throw new TypeError(`retries: expected a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`retries: expected a non-negative whole number, got ${describe(value)}`);
  }
  return value;
}

/**
 * Validates `options` and resolves everything the transport needs: TLS options (files read now), ALPN protocols,
 * the proxy, the limits.
 *
 * @throws TypeError naming the option for a value of the wrong type or an unknown option; RangeError for a value
 *   out of range (negative retries, both HTTP versions disabled, unknown proxy scheme).
 */
export function resolveOptions(options: UndiciTransportOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`UndiciTransport: expected an options object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`UndiciTransport: unknown option ${JSON.stringify(key)}`);
  }
  const http1 = boolean(options.http1, "http1", true);
  const http2 = boolean(options.http2, "http2", false);
  if (!http1 && !http2) throw new RangeError("http1, http2: at least one HTTP version must be enabled");
  const trustEnv = boolean(options.trustEnv, "trustEnv", true);
  const localAddress = optionalString(options.localAddress, "localAddress");
  if (localAddress !== null && isIP(localAddress) === 0) {
    throw new TypeError(`localAddress: expected an IP address, got ${describe(localAddress)}`);
  }
  const proxyOption = options.proxy ?? null;
  const proxy = proxyOption === null ? null : resolveProxy(proxyOption);
  const tls = buildTlsOptions(options.verify ?? true, options.cert ?? null, trustEnv ? process.env : null);
  const connector: ConnectorConfig = {
    tls,
    alpn: http2 ? (http1 ? ["h2", "http/1.1"] : ["h2"]) : ["http/1.1"],
    h2c: http2 && !http1,
    proxy,
    uds: optionalString(options.uds, "uds"),
    localAddress,
    retries: resolveRetries(options.retries),
    socket: resolveSocketOptions(options.socketOptions),
  };
  return { connector, http2, limits: resolveLimits(options.limits), proxy };
}

/**
 * A Client's network options on their way to the worker thread, where its transports are built. `Limits` and
 * `Proxy` travel as plain data and are rebuilt there; `verify` and `cert` go as they are (paths, booleans, TLS
 * options made of strings and buffers).
 *
 * @module
 */
import { Limits, Proxy as ProxyConfig, type TransportFactoryOptions } from "@ferry/core";

/** {@link TransportFactoryOptions} as plain data. */
export interface WireNetworkOptions {
  readonly verify: TransportFactoryOptions["verify"];
  readonly cert: TransportFactoryOptions["cert"];
  readonly http1: boolean;
  readonly http2: boolean;
  readonly limits: {
    readonly maxConnections: number | null;
    readonly maxKeepaliveConnections: number | null;
    readonly keepaliveExpiry: number | null;
  };
  readonly proxy: {
    readonly url: string;
    readonly auth: readonly [string, string] | null;
    readonly headers: ReadonlyArray<readonly [string, string]>;
  } | null;
  readonly trustEnv: boolean;
}

/** The network options as plain data. */
export function toWireOptions(options: TransportFactoryOptions): WireNetworkOptions {
  const { limits, proxy } = options;
  return {
    verify: options.verify,
    cert: options.cert,
    http1: options.http1,
    http2: options.http2,
    limits: {
      maxConnections: limits.maxConnections,
      maxKeepaliveConnections: limits.maxKeepaliveConnections,
      keepaliveExpiry: limits.keepaliveExpiry,
    },
    proxy:
      proxy === null
        ? null
        : {
            url: String(proxy.url),
            auth: proxy.auth === null ? null : [proxy.auth[0], proxy.auth[1]],
            // Proxy-Authorization is derived from `auth` again when the Proxy is rebuilt.
            headers: proxy.headers.raw.filter(([name]) => name.toLowerCase() !== "proxy-authorization"),
          },
    trustEnv: options.trustEnv,
  };
}

/** The network options rebuilt from plain data. */
export function fromWireOptions(wire: WireNetworkOptions): TransportFactoryOptions {
  const { proxy } = wire;
  return {
    verify: wire.verify,
    cert: wire.cert,
    http1: wire.http1,
    http2: wire.http2,
    limits: new Limits(wire.limits),
    proxy:
      proxy === null
        ? null
        : new ProxyConfig(proxy.url, {
            ...(proxy.auth === null ? {} : { auth: [proxy.auth[0], proxy.auth[1]] }),
            headers: proxy.headers.map(([name, value]) => [name, value] as [string, string]),
          }),
    trustEnv: wire.trustEnv,
  };
}

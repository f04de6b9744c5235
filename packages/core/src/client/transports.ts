/**
 * A Client's transports: the default one, proxy mounts (from `proxy` or the environment) and user mounts, and
 * which of them carries a given URL.
 *
 * @module
 */
import { BaseTransport } from "../base-transport.js";
import { type Limits, Proxy as ProxyConfig } from "../config.js";
import { getEnvironmentProxies } from "../env-proxies.js";
import { LocalProtocolError, UnsupportedProtocol } from "../errors.js";
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import { runtime, type TransportFactory, type TransportFactoryOptions } from "../runtime.js";
import { URL } from "../url.js";
import { URLPattern } from "../url-pattern.js";
import { booleanOption, invalidOption } from "./options.js";
import type { CertTypes, ClientOptions, ProxyTypes } from "./types.js";

/**
 * Stands in for a transport the runtime cannot build (`@ferry/core` alone has no network code, and only some
 * runtimes have a blocking transport). Fails on use with `explain(request)`, so that a client whose requests all go
 * to mounted transports still works.
 */
export class MissingTransport extends BaseTransport {
  readonly #explain: (request: Request) => string;

  constructor(explain: (request: Request) => string) {
    super();
    this.#explain = explain;
  }

  async handleRequest(request: Request): Promise<Response> {
    throw new Error(this.#explain(request));
  }

  handleRequestSync(request: Request): Response {
    throw new Error(this.#explain(request));
  }
}

function missingTransport(request: Request): string {
  return (
    `No transport to send ${request.method} ${request.url} with: @ferry/core has no network code of its own. ` +
    'Import the Client from the "ferry" package (it installs the default transport for your runtime), or ' +
    "pass one: new Client({ transport })."
  );
}

/** What the Client's transports are built from. */
export interface TransportSetup {
  readonly transport: BaseTransport | null;
  readonly proxy: ProxyConfig | null;
  readonly mounts: Readonly<Record<string, BaseTransport | null>> | null;
  readonly network: Omit<TransportFactoryOptions, "proxy">;
}

/** Routes each URL to its transport: the most specific matching mount, else the default transport. */
export class TransportRouter {
  readonly #default: BaseTransport;
  readonly #mounts: ReadonlyArray<readonly [URLPattern, BaseTransport | null]>;

  /** `factory` builds the default transport and proxy mounts' transports (a `SyncClient` gives a blocking one). */
  constructor(setup: TransportSetup, factory: TransportFactory | undefined = runtime.transportFactory) {
    const network: TransportFactoryOptions = { ...setup.network, proxy: null };
    this.#default = setup.transport ?? buildTransport(network, factory);
    const mounts = new Map<string, BaseTransport | null>();
    for (const [pattern, proxy] of proxyMap(setup)) {
      mounts.set(pattern, proxy === null ? null : buildTransport({ ...network, proxy }, factory));
    }
    for (const [pattern, transport] of Object.entries(setup.mounts ?? {})) {
      if (transport !== null && !isTransport(transport)) {
        invalidOption(`mounts["${pattern}"]`, transport, "a transport or null");
      }
      mounts.set(pattern, transport);
    }
    this.#mounts = [...mounts]
      .map(([pattern, transport]) => [new URLPattern(pattern), transport] as const)
      .sort(([a], [b]) => URLPattern.compare(a, b));
  }

  /**
   * The transport for `url`. A mount claims any scheme; the default transport takes http and https only.
   *
   * @throws UnsupportedProtocol when no mount claims a URL of another scheme, or one without a scheme.
   */
  transportFor(url: URL): BaseTransport {
    for (const [pattern, transport] of this.#mounts) {
      if (!pattern.matches(url)) continue;
      if (transport !== null) return transport;
      break;
    }
    checkDefaultScheme(url);
    return this.#default;
  }

  /** Every distinct transport, the default first: what closing the Client closes. */
  get transports(): BaseTransport[] {
    const mounted = this.#mounts.map(([, transport]) => transport).filter((transport) => transport !== null);
    return [...new Set([this.#default, ...mounted])];
  }
}

/** Whether `value` can serve as a transport: it has the one method a transport needs. */
export function isTransport(value: unknown): value is BaseTransport {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Partial<BaseTransport>).handleRequest === "function"
  );
}

function buildTransport(
  options: TransportFactoryOptions,
  factory: TransportFactory | undefined,
): BaseTransport {
  return factory?.(options) ?? new MissingTransport(missingTransport);
}

/** Proxy mounts: `proxy` for every URL; else, with `trustEnv` and no `transport`, the environment's. */
function proxyMap(setup: TransportSetup): Array<[string, ProxyConfig | null]> {
  if (setup.proxy !== null) return [["all://", setup.proxy]];
  if (!setup.network.trustEnv || setup.transport !== null) return [];
  return Object.entries(getEnvironmentProxies()).map(([pattern, url]) => [
    pattern,
    url === null ? null : new ProxyConfig(url),
  ]);
}

/** The `proxy` option as a `Proxy`. */
export function toProxy(proxy: ProxyTypes): ProxyConfig {
  if (proxy instanceof ProxyConfig) return proxy;
  if (typeof proxy === "string" || proxy instanceof URL) return new ProxyConfig(proxy);
  return invalidOption("proxy", proxy, "a URL string, a URL or a Proxy");
}

function checkDefaultScheme(url: URL): void {
  const scheme = url.scheme;
  if (scheme === "http" || scheme === "https") {
    if (url.host === "") throw new LocalProtocolError(`Request URL is missing a host: '${url}'.`);
    return;
  }
  if (scheme === "") {
    throw new UnsupportedProtocol("Request URL is missing an 'http://' or 'https://' protocol.");
  }
  throw new UnsupportedProtocol(`Request URL has an unsupported protocol '${scheme}://'.`);
}

/**
 * Reads the network options of a Client (`transport`, `proxy`, `mounts`, `verify`, `cert`, `http1`, `http2`)
 * into a {@link TransportSetup}.
 *
 * @throws TypeError naming the option when one has the wrong type.
 */
export function transportSetup(options: ClientOptions, trustEnv: boolean, limits: Limits): TransportSetup {
  const { transport = null, proxy = null, mounts = null, verify = true, cert = null } = options;
  if (transport !== null && !isTransport(transport)) invalidOption("transport", transport, "a transport");
  if (mounts !== null && (typeof mounts !== "object" || Array.isArray(mounts))) {
    invalidOption("mounts", mounts, "an object of URL patterns to transports");
  }
  const verifyOk = typeof verify === "boolean" || typeof verify === "string" || isPlainObject(verify);
  if (!verifyOk) invalidOption("verify", verify, "true, false, a CA bundle path or TLS options");
  if (cert !== null && !isCert(cert))
    invalidOption("cert", cert, "a path or [certFile, keyFile?, password?]");
  const http1 = booleanOption("http1", options.http1, true);
  const http2 = booleanOption("http2", options.http2, false);
  if (!http1 && !http2)
    invalidOption("http1", http1, "true when http2 is false: some HTTP version must be allowed");
  return {
    transport,
    proxy: proxy === null ? null : toProxy(proxy),
    mounts,
    network: { verify, cert, http1, http2, limits, trustEnv },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isCert(value: unknown): value is CertTypes {
  if (typeof value === "string") return true;
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 3 &&
    value.every((part, index) => typeof part === "string" || (index > 0 && part === undefined))
  );
}

import {
  BaseTransport,
  type Request,
  type Response,
  type TimeoutExtension,
  UnsupportedProtocol,
} from "@ferry/core";
import { Agent, Client, type Dispatcher } from "undici";
import { toDispatchBody } from "./bodies.js";
import { Connector } from "./connector.js";
import { Countdowns } from "./countdowns.js";
import { DispatchHandler, type HandlerContext } from "./handler.js";
import { ConnectionLimits } from "./limits.js";
import { type ResolvedOptions, resolveOptions, type UndiciTransportOptions } from "./options.js";
import type { ResolvedProxy } from "./proxy.js";

/** Node's timers take at most this many milliseconds; it stands for "never" in undici's keep-alive options. */
const NEVER = 2 ** 31 - 1;

/** Concurrent streams per HTTP/2 connection: undici's default `maxConcurrentStreams`. */
const HTTP2_STREAMS = 100;

/** Origin strings kept per scheme; beyond this many, new ones are built per request. */
const MAX_KNOWN_ORIGINS = 1024;

const NO_TIMEOUT: TimeoutExtension = { connect: null, read: null, write: null, pool: null };

/**
 * Builds the undici Agent behind a transport. How httpx's `Limits` map onto it:
 *
 * - `maxConnections` → `connections`: undici keeps one pool per origin and opens at most this many connections in
 *   each; further requests queue until a connection is free (and fail with `PoolTimeout` after `timeout.pool`).
 *   undici has no cap across origins: {@link ConnectionLimits} holds new connections to it, closing an idle one of
 *   another origin to make room, as httpx does.
 * - `keepaliveExpiry` → `keepAliveTimeout` and `keepAliveMaxTimeout`: an idle connection is closed after this long.
 *   A server's shorter `Keep-Alive: timeout` hint still wins, so a connection is never reused after the server
 *   dropped it; `null` keeps idle connections until the server closes them.
 * - `maxKeepaliveConnections: 0` → every request is sent with `Connection: close` (undici's `reset`), so no
 *   connection is kept. undici has no cap on idle connections otherwise: {@link ConnectionLimits} closes the idle
 *   connections beyond it after responses complete.
 *
 * Timeouts are per request, on native timers (the read, write and pool timeouts in the request's handler, the
 * connect timeout in the connector): undici's `headersTimeout` and `bodyTimeout` are disabled, as they run on a
 * clock that ticks every half second and fire up to a second late.
 */
function buildAgent(options: ResolvedOptions, connector: Connector, limits: ConnectionLimits | null): Agent {
  const expiry = options.limits.keepaliveExpiry ?? NEVER;
  const agent = new Agent({
    connections: options.limits.maxConnections,
    keepAliveTimeout: Math.max(expiry, 1),
    keepAliveMaxTimeout: Math.max(expiry, 1),
    headersTimeout: 0,
    bodyTimeout: 0,
    allowH2: options.http2,
    connect: connector.connect,
  });
  if (options.http2) agent.on("connect", (origin, targets) => multiplexHttp2(origin, targets, connector));
  if (limits !== null) {
    agent.on("connect", (_origin, targets) => {
      if (connector.lastSocket !== null) limits.track(targets, connector.lastSocket);
    });
  }
  return agent;
}

/**
 * undici sends one request at a time on a connection unless its `pipelining` is raised, for HTTP/2 too. Raising it
 * for the whole Agent would pipeline HTTP/1.1 (which httpx never does), so it is raised per connection, once ALPN
 * chose HTTP/2.
 */
function multiplexHttp2(origin: URL, targets: readonly Dispatcher[], connector: Connector): void {
  const client = targets[targets.length - 1];
  if (client instanceof Client && connector.h2Origins.has(`${origin.protocol}//${origin.host}`)) {
    client.pipelining = HTTP2_STREAMS;
  }
}

function unsupportedScheme(request: Request): UnsupportedProtocol {
  const scheme = request.url.scheme;
  const message =
    scheme === ""
      ? "Request URL is missing an 'http://' or 'https://' protocol."
      : `Request URL has an unsupported protocol '${scheme}://'.`;
  return new UnsupportedProtocol(message, { request });
}

/**
 * The request's headers as undici's flat `[name, value, ...]` list, in order with repeats. Left out: any
 * `Transfer-Encoding` (undici frames bodies), and two lines undici would only check and then write the same way
 * itself, so that it does not parse them once more per request: `Connection: keep-alive` (undici writes its own
 * `connection` line and looks at the header only for `close`), and a single `Host` equal to `defaultHost`, the one
 * undici writes for the origin dispatched to (`null` when requests go to a proxy in absolute form).
 */
function flatHeaders(
  request: Request,
  extra: readonly string[] | null,
  defaultHost: string | null,
): string[] {
  const flat = request.headers.rawFlat();
  let kept = 0;
  let hosts = 0;
  let omittedHost: string | null = null;
  for (let index = 0; index < flat.length; index += 2) {
    const name = flat[index]!;
    const value = flat[index + 1]!;
    switch (name.length) {
      case 4:
        if (name.toLowerCase() !== "host") break;
        hosts += 1;
        if (hosts === 1 && value === defaultHost) {
          omittedHost = name;
          continue;
        }
        break;
      case 10:
        if (name.toLowerCase() === "connection" && value.toLowerCase() === "keep-alive") continue;
        break;
      case 17:
        if (name.toLowerCase() === "transfer-encoding") continue;
        break;
    }
    flat[kept] = name;
    flat[kept + 1] = value;
    kept += 2;
  }
  flat.length = kept;
  // Several Host lines are undici's to refuse: the one left out goes back in.
  if (hosts > 1 && omittedHost !== null) flat.push(omittedHost, defaultHost!);
  if (extra !== null) for (let i = 0; i < extra.length; i++) flat.push(extra[i]!);
  return flat;
}

/** An origin as undici is given it, and the `Host` undici sends to it when a request has none. */
interface Origin {
  readonly origin: string;
  /** `null` for an origin undici cannot parse: the request fails there, as it did before. */
  readonly host: string | null;
}

function originOf(origin: string): Origin {
  if (!URL.canParse(origin)) return { origin, host: null };
  // As undici derives it from the origin of its pool: the hostname, and the port unless it is the default.
  const { hostname, port } = new URL(origin);
  return { origin, host: port === "" ? hostname : `${hostname}:${port}` };
}

/** What the dispatch handlers of a transport ask of it, built once per transport. */
function handlerContext(
  connector: Connector,
  limits: ConnectionLimits | null,
  http2: boolean,
): HandlerContext {
  return {
    countdowns: new Countdowns(),
    get connecting() {
      return connector.connecting;
    },
    httpVersion: (origin) => (http2 && connector.h2Origins.has(origin) ? "HTTP/2" : "HTTP/1.1"),
    requestDone: limits === null ? () => {} : () => limits.requestDone(),
  };
}

/**
 * Ferry's production transport for Node, on undici 7: connection pools per origin, HTTP/1.1 and HTTP/2 (ALPN), TLS
 * with client certificates, HTTP and SOCKS proxies, timeouts by phase, and bodies streamed both ways.
 *
 * ```ts
 * await using transport = new UndiciTransport({ http2: true, limits: new Limits({ maxConnections: 10 }) });
 * const client = new Client({ transport });
 * ```
 */
export class UndiciTransport extends BaseTransport {
  readonly #agent: Agent;
  readonly #connector: Connector;
  readonly #context: HandlerContext;
  readonly #proxy: ResolvedProxy | null;
  readonly #reset: boolean;
  readonly #limits: ConnectionLimits | null;
  readonly #httpOrigins = new Map<string, Origin>();
  readonly #httpsOrigins = new Map<string, Origin>();
  #closed = false;

  /**
   * Validates the options and builds the pool. No connection is opened until the first request.
   *
   * @throws TypeError or RangeError naming the option, for an invalid option value.
   */
  constructor(options: UndiciTransportOptions = {}) {
    super();
    const resolved = resolveOptions(options);
    const { maxConnections, maxKeepaliveConnections } = resolved.limits;
    this.#reset = maxKeepaliveConnections === 0;
    // The idle cap only matters when more connections than it may be open at once.
    const maxIdle =
      maxKeepaliveConnections !== null &&
      maxKeepaliveConnections > 0 &&
      (maxConnections === null || maxKeepaliveConnections < maxConnections)
        ? maxKeepaliveConnections
        : null;
    this.#limits =
      maxConnections === null && maxIdle === null ? null : new ConnectionLimits(maxConnections, maxIdle);
    const connector = new Connector(resolved.connector, this.#limits);
    this.#connector = connector;
    this.#agent = buildAgent(resolved, connector, this.#limits);
    this.#context = handlerContext(connector, this.#limits, resolved.http2);
    this.#proxy = resolved.proxy;
  }

  /** Sends `request` and resolves with its response once the headers are in; the body streams from the socket. */
  override handleRequest(request: Request): Promise<Response> {
    if (this.#closed) {
      return Promise.reject(new Error("Cannot send a request, as the transport has been closed."));
    }
    const url = request.url;
    const scheme = url.scheme;
    if (scheme !== "http" && scheme !== "https") return Promise.reject(unsupportedScheme(request));
    const timeout = (request.extensions["timeout"] as TimeoutExtension | undefined) ?? NO_TIMEOUT;
    const { origin, host } = this.#originOf(scheme, url.netloc);
    let path = url.rawPath || "/";
    let dispatchOrigin = origin;
    let defaultHost: string | null = host;
    let proxyHeaders: readonly string[] | null = null;
    const proxy = this.#proxy;
    if (proxy !== null && scheme === "http" && (proxy.kind === "http" || proxy.kind === "https")) {
      // Plain-HTTP targets go to the proxy itself, in absolute form, with the proxy's headers.
      dispatchOrigin = proxy.origin;
      defaultHost = null;
      path = origin + path;
      proxyHeaders = proxy.headers;
    }
    const handler = new DispatchHandler(request, this.#context, origin, timeout);
    this.#connector.connectTimeout = timeout.connect;
    this.#agent.dispatch(
      {
        origin: dispatchOrigin,
        path,
        method: request.method as Dispatcher.HttpMethod,
        headers: flatHeaders(request, proxyHeaders, defaultHost),
        // undici takes iterables as bodies, though its types only list streams and bytes.
        body: toDispatchBody(request.stream, timeout.write, handler) as NonNullable<
          Dispatcher.DispatchOptions["body"]
        > | null,
        reset: this.#reset,
      },
      handler,
    );
    return handler.promise;
  }

  /**
   * The origin of `scheme://netloc`, the same strings for every request to it: undici looks its pool up by the
   * origin string, and a string built anew for each request would be hashed anew each time.
   */
  #originOf(scheme: string, netloc: string): Origin {
    const known = scheme === "https" ? this.#httpsOrigins : this.#httpOrigins;
    let origin = known.get(netloc);
    if (origin === undefined) {
      origin = originOf(`${scheme}://${netloc}`);
      if (known.size < MAX_KNOWN_ORIGINS) known.set(netloc, origin);
    }
    return origin;
  }

  /**
   * Closes every connection at once, aborting requests still in flight. Later requests are refused; nothing the
   * transport opened keeps the process alive afterwards.
   */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#limits?.clear();
    this.#context.countdowns.clear();
    await this.#agent.destroy();
  }
}

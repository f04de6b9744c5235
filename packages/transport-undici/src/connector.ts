/**
 * How a transport opens connections: TCP or a unix socket, through an HTTP CONNECT tunnel or a SOCKS proxy, then
 * TLS with ALPN. undici calls {@link Connector.connect} whenever a pool needs a new connection.
 *
 * @module
 */
import { lookup } from "node:dns/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, connect as netConnect, type Socket } from "node:net";
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from "node:tls";
import type { buildConnector } from "undici";
import { errors } from "undici";
import type { ConnectionLimits } from "./limits.js";
import type { ResolvedProxy } from "./proxy.js";
import { timedOutAfter } from "./timeouts.js";

/** Socket options a transport can set on each connection, where Node allows. */
export interface SocketOptions {
  /** TCP keep-alive probes (default true). */
  keepAlive?: boolean;
  /** Milliseconds of idleness before the first keep-alive probe (default 60000). */
  keepAliveInitialDelay?: number;
  /** Disable Nagle's algorithm (default true). */
  noDelay?: boolean;
  /** IP family to resolve and connect with: 4, 6, or 0 for either (default 0). */
  family?: 0 | 4 | 6;
  /** Try IPv6 and IPv4 addresses in turn (Happy Eyeballs); Node's default when not given. */
  autoSelectFamily?: boolean;
  /** Milliseconds to wait for each address tried by `autoSelectFamily`. */
  autoSelectFamilyAttemptTimeout?: number;
}

/** What a connector needs to know, resolved at construction. */
export interface ConnectorConfig {
  readonly tls: ConnectionOptions;
  /** ALPN protocols offered on TLS connections to origins, in order of preference. */
  readonly alpn: readonly string[];
  /** Speak HTTP/2 with prior knowledge on cleartext connections (`http1: false, http2: true`). */
  readonly h2c: boolean;
  readonly proxy: ResolvedProxy | null;
  readonly uds: string | null;
  readonly localAddress: string | null;
  readonly retries: number;
  readonly socket: Readonly<SocketOptions>;
}

/** A failure of the proxy handshake itself (CONNECT refused, SOCKS error): a `ProxyError`. */
export class ProxyHandshakeError extends Error {
  override name = "ProxyHandshakeError";
}

type Endpoint = buildConnector.Options;
type Destroyable = { destroy(error?: Error): unknown };

/** The retry delays of httpcore: the first retry at once, then 500 ms doubling. */
function retryDelay(retry: number): number {
  return retry === 0 ? 0 : 500 * 2 ** (retry - 1);
}

function once<T extends Socket>(socket: T, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once("error", onError);
    socket.once(event, () => {
      socket.off("error", onError);
      resolve(socket);
    });
  });
}

function endpointPort(endpoint: Endpoint): number {
  return Number(endpoint.port) || (endpoint.protocol === "https:" ? 443 : 80);
}

function serverName(hostname: string): string | undefined {
  return isIP(hostname) === 0 ? hostname : undefined;
}

/**
 * Opens connections for undici pools. One per transport; `connectTimeout` is set by the transport before each
 * dispatch, so a connection opened for a request gets that request's connect timeout.
 */
export class Connector {
  /** The connect timeout (ms, or null for none) of the request being dispatched. */
  connectTimeout: number | null = null;
  /** Connection attempts under way, so a pool timeout can tell waiting for a slot from waiting for a connect. */
  connecting = 0;
  /** The socket last handed to undici, for the `connect` event undici emits right after taking it. */
  lastSocket: Socket | null = null;
  /** Origins (`https://host:port`) whose latest connection speaks HTTP/2. */
  readonly h2Origins = new Set<string>();
  readonly #config: ConnectorConfig;
  readonly #limits: ConnectionLimits | null;
  readonly #sessions = new Map<string, Buffer>();

  constructor(config: ConnectorConfig, limits: ConnectionLimits | null) {
    this.#config = config;
    this.#limits = limits;
  }

  /** undici's connector entry point: opens a connection once the limits allow one more. */
  readonly connect = (endpoint: Endpoint, callback: buildConnector.Callback): void => {
    // Taken now: the connection may wait for a slot, or be retried, after other requests were dispatched.
    const timeout = this.connectTimeout;
    if (this.#limits === null) this.#attempt(endpoint, callback, timeout, 0);
    else this.#limits.reserve(() => this.#attempt(endpoint, callback, timeout, 0));
  };

  #attempt(
    endpoint: Endpoint,
    callback: buildConnector.Callback,
    timeout: number | null,
    retry: number,
  ): void {
    this.connecting += 1;
    const pending = new Set<Destroyable>();
    let settled = false;
    const finish = (error: Error | null, socket: Socket | null): void => {
      if (settled) {
        socket?.destroy();
        return;
      }
      settled = true;
      this.connecting -= 1;
      if (timer !== undefined) clearTimeout(timer);
      if (error === null && socket !== null) {
        this.#limits?.opened(socket);
        this.lastSocket = socket;
        callback(null, socket);
        this.lastSocket = null;
        return;
      }
      for (const item of pending) item.destroy();
      const failure = error ?? new Error("connection failed");
      if (retry < this.#config.retries && !(failure instanceof ProxyHandshakeError)) {
        setTimeout(() => this.#attempt(endpoint, callback, timeout, retry + 1), retryDelay(retry));
      } else {
        this.#limits?.release();
        callback(failure, null);
      }
    };
    const timer =
      timeout === null
        ? undefined
        : setTimeout(() => {
            const where = `${endpoint.hostname}:${endpointPort(endpoint)}`;
            finish(new errors.ConnectTimeoutError(timedOutAfter(timeout, `connecting to ${where}`)), null);
          }, timeout).unref();
    this.#open(endpoint, pending).then(
      (socket) => finish(null, socket),
      (error: Error) => finish(error, null),
    );
  }

  async #open(endpoint: Endpoint, pending: Set<Destroyable>): Promise<Socket> {
    const { proxy } = this.#config;
    const port = endpointPort(endpoint);
    const secure = endpoint.protocol === "https:";
    let socket: Socket;
    if (proxy === null) {
      if (secure && this.#config.uds === null) return this.#tls(endpoint, port, null, pending);
      socket = await this.#tcp(endpoint.hostname, port, this.#config.uds, pending);
    } else if (proxy.kind === "http" || proxy.kind === "https") {
      if (
        endpoint.hostname === proxy.hostname &&
        port === proxy.port &&
        !secure === (proxy.kind === "http")
      ) {
        // The pool of absolute-form requests: a plain connection to the proxy itself.
        if (proxy.kind === "https") return this.#tls(endpoint, port, null, pending, ["http/1.1"]);
        return this.#tcp(proxy.hostname, proxy.port, null, pending);
      }
      socket = await this.#tunnel(proxy, endpoint.hostname, port, pending);
    } else {
      socket = await this.#socks(proxy, endpoint.hostname, port, pending);
    }
    if (secure) return this.#tls(endpoint, port, socket, pending);
    if (this.#config.h2c && proxy === null) {
      (socket as Socket & { alpnProtocol?: string }).alpnProtocol = "h2";
      this.h2Origins.add(`http://${endpoint.host ?? endpoint.hostname}`);
    }
    return socket;
  }

  #tuneSocket(socket: Socket): void {
    const options = this.#config.socket;
    socket.setNoDelay(options.noDelay ?? true);
    if (options.keepAlive ?? true) socket.setKeepAlive(true, options.keepAliveInitialDelay ?? 60_000);
  }

  async #tcp(host: string, port: number, path: string | null, pending: Set<Destroyable>): Promise<Socket> {
    const { socket: options, localAddress } = this.#config;
    const socket =
      path === null
        ? netConnect({
            host,
            port,
            ...(localAddress === null ? {} : { localAddress }),
            ...(options.family === undefined ? {} : { family: options.family }),
            ...(options.autoSelectFamily === undefined ? {} : { autoSelectFamily: options.autoSelectFamily }),
            ...(options.autoSelectFamilyAttemptTimeout === undefined
              ? {}
              : { autoSelectFamilyAttemptTimeout: options.autoSelectFamilyAttemptTimeout }),
          })
        : netConnect({ path });
    pending.add(socket);
    await once(socket, "connect");
    if (path === null) this.#tuneSocket(socket);
    return socket;
  }

  async #tls(
    endpoint: Endpoint,
    port: number,
    over: Socket | null,
    pending: Set<Destroyable>,
    alpn: readonly string[] = this.#config.alpn,
  ): Promise<TLSSocket> {
    const { tls, localAddress, uds } = this.#config;
    const name = endpoint.servername || serverName(endpoint.hostname);
    const key = `${name ?? endpoint.hostname}:${port}`;
    const session = this.#sessions.get(key);
    const base = over ?? (uds === null ? undefined : await this.#tcp(endpoint.hostname, port, uds, pending));
    const socket = tlsConnect({
      ...tls,
      ...(base === undefined
        ? { host: endpoint.hostname, port, ...(localAddress === null ? {} : { localAddress }) }
        : { socket: base }),
      ...(name === undefined ? {} : { servername: name }),
      ...(session === undefined ? {} : { session }),
      ALPNProtocols: alpn as string[],
    });
    pending.add(socket);
    socket.on("session", (ticket: Buffer) => this.#remember(key, ticket));
    await once(socket, "secureConnect");
    if (base === undefined) this.#tuneSocket(socket);
    const origin = `https://${endpoint.host ?? `${endpoint.hostname}:${port}`}`;
    if (socket.alpnProtocol === "h2") this.h2Origins.add(origin);
    else this.h2Origins.delete(origin);
    return socket;
  }

  #remember(key: string, session: Buffer): void {
    this.#sessions.delete(key);
    this.#sessions.set(key, session);
    if (this.#sessions.size > 100) this.#sessions.delete(this.#sessions.keys().next().value as string);
  }

  /** Opens a CONNECT tunnel through an HTTP(S) proxy; the proxy's credentials go in this request only. */
  #tunnel(proxy: ResolvedProxy, hostname: string, port: number, pending: Set<Destroyable>): Promise<Socket> {
    const target = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
    const headers = ["Host", target, ...proxy.headers];
    const send = proxy.kind === "https" ? httpsRequest : httpRequest;
    const { tls, localAddress } = this.#config;
    const request = send({
      ...(proxy.kind === "https" ? { ...tls, ALPNProtocols: ["http/1.1"] } : {}),
      host: proxy.hostname,
      port: proxy.port,
      method: "CONNECT",
      path: target,
      headers,
      agent: false,
      setHost: false,
      ...(localAddress === null ? {} : { localAddress }),
    });
    pending.add(request);
    return new Promise((resolve, reject) => {
      request.once("error", reject);
      request.once("connect", (response, socket: Socket, head: Buffer) => {
        pending.add(socket);
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) {
          socket.destroy();
          reject(new ProxyHandshakeError(`${status} ${response.statusMessage ?? ""}`.trim()));
          return;
        }
        if (head.byteLength > 0) socket.unshift(head);
        this.#tuneSocket(socket);
        resolve(socket);
      });
      request.end();
    });
  }

  /** Opens a connection through a SOCKS proxy; socks5h and socks4a let the proxy resolve the host name. */
  async #socks(
    proxy: ResolvedProxy,
    hostname: string,
    port: number,
    pending: Set<Destroyable>,
  ): Promise<Socket> {
    // Loaded on first use: most transports never see a SOCKS proxy, and socks adds about 40 ms to start-up.
    const { SocksClient } = await import("socks");
    const v4 = proxy.kind === "socks4" || proxy.kind === "socks4a";
    let host = hostname;
    if ((proxy.kind === "socks5" || proxy.kind === "socks4") && isIP(hostname) === 0) {
      host = (await lookup(hostname, { family: v4 ? 4 : 0 })).address;
    }
    // socks would send an IPv6 address in SOCKS4a's form, which a SOCKS4 proxy does not understand.
    if (proxy.kind === "socks4" && isIP(host) === 6) {
      throw new ProxyHandshakeError(`A SOCKS4 proxy reaches IPv4 addresses only, not ${host}`);
    }
    const existing = await this.#tcp(proxy.hostname, proxy.port, null, pending);
    const auth = proxy.auth;
    try {
      const { socket } = await SocksClient.createConnection({
        proxy: {
          host: proxy.hostname,
          port: proxy.port,
          type: v4 ? 4 : 5,
          ...(auth === null ? {} : v4 ? { userId: auth[0] } : { userId: auth[0], password: auth[1] }),
        },
        command: "connect",
        destination: { host, port },
        existing_socket: existing,
      });
      return socket;
    } catch (error) {
      throw new ProxyHandshakeError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
}

import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Socket } from "node:net";
import { createServer as createSocks5 } from "@pondwader/socks5-server";
import { createProxy } from "proxy";
import { runSocksServer } from "socks-server-lib";
import { certs } from "./certs.js";
import { type ListenOptions, listen, type TestServer } from "./listen.js";

/** What a proxy saw of one request: the method, the request target and the headers sent to the proxy. */
export interface ProxiedRequest {
  method: string;
  /** `host:port` for CONNECT, the absolute URL for a forwarded plain-HTTP request. */
  target: string;
  headers: IncomingMessage["headers"];
}

/** A running HTTP proxy, with the requests it has handled. */
export interface TestProxy extends TestServer {
  readonly requests: readonly ProxiedRequest[];
}

/** Options of the HTTP proxy. */
export interface HttpProxyOptions extends ListenOptions {
  /** Require `Proxy-Authorization: Basic` with these credentials (407 otherwise). */
  auth?: readonly [string, string];
  /** Serve the proxy itself over TLS (an `https://` proxy) with the test server certificate. */
  tls?: boolean;
}

/**
 * Starts a real HTTP proxy (the `proxy` package): CONNECT tunnels and absolute-form forwarding, optionally with
 * Basic proxy authentication and over TLS.
 */
export async function startHttpProxy(options: HttpProxyOptions = {}): Promise<TestProxy> {
  const base = options.tls
    ? createHttpsServer({ cert: certs.serverCert, key: certs.serverKey })
    : createHttpServer();
  const requests: ProxiedRequest[] = [];
  const record = (req: IncomingMessage): void => {
    requests.push({ method: req.method ?? "", target: req.url ?? "", headers: req.headers });
  };
  // Registered before the proxy's own listeners, so every request is seen even when authentication fails.
  base.on("request", record);
  base.on("connect", record);
  const proxy = createProxy(base);
  const { auth } = options;
  if (auth !== undefined) {
    const expected = `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString("base64")}`;
    proxy.authenticate = (req) => req.headers["proxy-authorization"] === expected;
  }
  const server = await listen(base, options.tls ? "https" : "http", options);
  return Object.assign(server, { requests });
}

/** A running SOCKS server, with the destinations its clients asked for. */
export interface TestSocksServer extends TestServer {
  /** `host:port` of each CONNECT, as the client sent it (a name for socks5h/socks4a, an address otherwise). */
  readonly destinations: readonly string[];
}

/** Options of the SOCKS5 server. */
export interface Socks5ServerOptions extends ListenOptions {
  /** Require username/password authentication with these credentials. */
  auth?: readonly [string, string];
}

/** Starts a real SOCKS5 server (`@pondwader/socks5-server`), optionally requiring username/password auth. */
export async function startSocks5Server(options: Socks5ServerOptions = {}): Promise<TestSocksServer> {
  const socks = createSocks5(
    options.auth === undefined ? {} : { auth: { username: options.auth[0], password: options.auth[1] } },
  );
  const destinations: string[] = [];
  socks.setRulesetValidator((connection) => {
    destinations.push(`${connection.destAddress}:${connection.destPort}`);
    return true;
  });
  const server = createNetServer((socket) => socks._handleConnection(socket));
  const handle = await listen(server, "socks5", options);
  return Object.assign(handle, { destinations });
}

/**
 * Starts a real SOCKS4 server (`socks-server-lib`, which also speaks SOCKS5 without auth). SOCKS4 carries only IPv4
 * addresses, so clients resolve names themselves.
 */
export async function startSocks4Server(options: ListenOptions = {}): Promise<TestSocksServer> {
  const destinations: string[] = [];
  const onData = (greeting: Buffer): void => {
    if (greeting[0] === 4 && greeting.length >= 8) {
      destinations.push(`${greeting.subarray(4, 8).join(".")}:${greeting.readUInt16BE(2)}`);
    }
  };
  // The library listens by itself: start it on a port, then hand its server to the tracking helper.
  const server = await runSocksServer({ port: 0, host: options.host ?? "127.0.0.1", onData });
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on("connection", (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("SOCKS4 server has no TCP address");
  const host = options.host ?? "127.0.0.1";
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
  return {
    url: `socks4://${host}:${address.port}`,
    host,
    port: address.port,
    get connections() {
      return connections;
    },
    get openConnections() {
      return sockets.size;
    },
    destinations,
    close,
    [Symbol.asyncDispose]: close,
  };
}

import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, connect as netConnect, type Socket } from "node:net";
import { createServer as createSocks5 } from "@pondwader/socks5-server";
import { createProxy } from "proxy";
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

/** Options of the SOCKS4 server. */
export interface Socks4ServerOptions extends ListenOptions {
  /** Refuse (reply 93, as when identd reports another user) any request whose user id differs from this one. */
  userId?: string;
}

/** A SOCKS4 request as the client sent it. */
interface Socks4Request {
  command: number;
  port: number;
  /** The IPv4 address, or for SOCKS4a the host name that follows the user id. */
  host: string;
  userId: string;
  /** Bytes that came after the request, already meant for the destination. */
  rest: Buffer;
}

const SOCKS4_GRANTED = 0x5a;
const SOCKS4_REJECTED = 0x5b;
const SOCKS4_USER_ID_MISMATCH = 0x5d;
/** Longer than any request the tests send: a client that never ends its user id or name is refused. */
const SOCKS4_MAX_REQUEST = 1024;

/**
 * Parses a SOCKS4 request from the bytes received so far, or returns null while it is incomplete. An address of
 * 0.0.0.x with x non-zero is SOCKS4a's mark that the host name follows the user id, for the proxy to resolve.
 */
function parseSocks4Request(data: Buffer): Socks4Request | null {
  const userEnd = data.length < 9 ? -1 : data.indexOf(0, 8);
  if (userEnd === -1) return null;
  const command = data.readUInt8(1);
  const port = data.readUInt16BE(2);
  const userId = data.toString("latin1", 8, userEnd);
  const address = data.readUInt32BE(4);
  if (address > 0 && address < 256) {
    const nameEnd = data.indexOf(0, userEnd + 1);
    if (nameEnd === -1) return null;
    const host = data.toString("latin1", userEnd + 1, nameEnd);
    return { command, port, host, userId, rest: data.subarray(nameEnd + 1) };
  }
  return { command, port, host: data.subarray(4, 8).join("."), userId, rest: data.subarray(userEnd + 1) };
}

/** Answers a SOCKS4 request; the address and port of the reply are unused for CONNECT. */
function socks4Reply(code: number): Buffer {
  return Buffer.from([0, code, 0, 0, 0, 0, 0, 0]);
}

/** Reads one SOCKS4 request from `client`, then hands it to `onRequest` with the client paused. */
function readSocks4Request(client: Socket, onRequest: (request: Socks4Request) => void): void {
  let received = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    received = Buffer.concat([received, chunk]);
    const socks4 = received.readUInt8(0) === 4;
    const request = socks4 ? parseSocks4Request(received) : null;
    if (request === null && socks4 && received.length <= SOCKS4_MAX_REQUEST) return;
    client.off("data", onData);
    client.pause();
    if (request === null) client.end(socks4Reply(SOCKS4_REJECTED));
    else onRequest(request);
  };
  client.on("data", onData);
}

/** Connects to the destination of a CONNECT and, once connected, relays bytes both ways. */
function socks4Connect(client: Socket, request: Socks4Request): void {
  const upstream = netConnect({ host: request.host, port: request.port });
  const refuse = (): void => {
    client.end(socks4Reply(SOCKS4_REJECTED));
  };
  upstream.once("error", refuse);
  client.once("close", () => upstream.destroy());
  upstream.once("connect", () => {
    upstream.off("error", refuse);
    upstream.on("error", () => client.destroy());
    upstream.once("close", () => client.destroy());
    client.write(socks4Reply(SOCKS4_GRANTED));
    if (request.rest.length > 0) upstream.write(request.rest);
    client.pipe(upstream).pipe(client);
  });
}

/**
 * Starts a real SOCKS4 server that also speaks SOCKS4a: CONNECT only, to an IPv4 address (SOCKS4, the client
 * resolved the name) or to a host name it resolves itself (SOCKS4a). It refuses (reply 91) a destination it cannot
 * reach and any other command, and with `userId` a request from another user (reply 93).
 */
export async function startSocks4Server(options: Socks4ServerOptions = {}): Promise<TestSocksServer> {
  const destinations: string[] = [];
  const server = createNetServer((client) => {
    readSocks4Request(client, (request) => {
      if (request.command !== 1) {
        client.end(socks4Reply(SOCKS4_REJECTED));
        return;
      }
      destinations.push(`${request.host}:${request.port}`);
      if (options.userId !== undefined && request.userId !== options.userId) {
        client.end(socks4Reply(SOCKS4_USER_ID_MISMATCH));
        return;
      }
      socks4Connect(client, request);
    });
  });
  const handle = await listen(server, "socks4", options);
  return Object.assign(handle, { destinations });
}

import { createServer as createHttpServer, type RequestListener } from "node:http";
import {
  createServer as createH2cServer,
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from "node:http2";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import type { SecureContextOptions } from "node:tls";
import { certs } from "./certs.js";
import { type ListenOptions, listen, type TestServer } from "./listen.js";

/** Options of the HTTP/1.1 and HTTPS test servers. */
export interface HttpServerOptions extends ListenOptions {
  /** Serve HTTPS with the test server certificate (HTTP/2 servers: the default); an object adds TLS options. */
  tls?: boolean | SecureContextOptions;
  /** Ask for a client certificate signed by the test CA and refuse connections without one (mutual TLS). */
  requireClientCert?: boolean;
  /** Milliseconds an idle keep-alive connection is kept by the server (Node's default is 5000). */
  keepAliveTimeout?: number;
}

function tlsOptions(options: HttpServerOptions): SecureContextOptions & Record<string, unknown> {
  const extra = typeof options.tls === "object" ? options.tls : {};
  const mutual = options.requireClientCert === true;
  return {
    cert: certs.serverCert,
    key: certs.serverKey,
    ...(mutual ? { ca: certs.ca, requestCert: true, rejectUnauthorized: true } : {}),
    ...extra,
  };
}

/**
 * Starts a Node HTTP/1.1 server (HTTPS with `tls`) on a loopback port, answering with `handler`.
 *
 * ```ts
 * await using server = await startHttpServer((req, res) => res.end("hello"));
 * ```
 */
export async function startHttpServer(
  handler: RequestListener,
  options: HttpServerOptions = {},
): Promise<TestServer> {
  const secure = options.tls !== undefined && options.tls !== false;
  const server = secure ? createHttpsServer(tlsOptions(options), handler) : createHttpServer(handler);
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  return listen(server, secure ? "https" : "http", options);
}

/** A request handler of the HTTP/2 test server (Node's compatibility API). */
export type Http2Handler = (request: Http2ServerRequest, response: Http2ServerResponse) => void;

/** Options of the HTTP/2 test server. */
export interface Http2ServerOptions extends HttpServerOptions {
  /** Also accept HTTP/1.1 clients (ALPN `http/1.1`); the default is HTTP/2 only. */
  allowHTTP1?: boolean;
}

/**
 * Starts a Node HTTP/2 server over TLS (ALPN `h2`, optionally `http/1.1`) on a loopback port; with `tls: false`, a
 * cleartext HTTP/2 server that expects prior knowledge (h2c).
 */
export async function startHttp2Server(
  handler: Http2Handler,
  options: Http2ServerOptions = {},
): Promise<TestServer> {
  if (options.tls === false) {
    return listen(createH2cServer(handler) as unknown as NetServer, "http", options);
  }
  const server = createSecureServer(
    { ...tlsOptions(options), allowHTTP1: options.allowHTTP1 ?? false },
    handler,
  );
  return listen(server as unknown as NetServer, "https", options);
}

/**
 * Starts a bare TCP server whose connections `onConnection` handles byte by byte: for servers that stall, reset,
 * send short bodies or malformed status lines.
 */
export async function startRawServer(
  onConnection: (socket: Socket) => void,
  options: ListenOptions = {},
): Promise<TestServer> {
  const server = createNetServer(onConnection);
  return listen(server, "http", options);
}

/**
 * Resolves with the head of the first HTTP request that arrives on `socket` (request line and headers, as text).
 * Faulty raw servers read it before misbehaving, so the client's request is fully written.
 */
export function readRequestHead(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let head = "";
    const onData = (chunk: Buffer): void => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end !== -1) {
        socket.off("data", onData);
        resolve(head.slice(0, end));
      }
    };
    socket.on("data", onData);
  });
}

/**
 * The benchmark's server, run in its own process so that its work does not share a core with the clients: a
 * keep-alive HTTP/1.1 server and an HTTP/2 server over TLS on loopback. It prints one JSON line with both origins
 * once it listens, answers each line on its standard input with the CPU time it has used, and exits when its
 * standard input closes.
 *
 * Routes (both servers): `GET /json` (a small JSON document), `GET /bytes/<n>` (n bytes, streamed with
 * backpressure), `POST /json` and `POST /upload` (the body is read to the end and its length echoed as JSON).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  createSecureServer,
  constants as h2,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import type { AddressInfo } from "node:net";
import { certPath } from "./paths.js";

const SMALL_JSON = Buffer.from(
  JSON.stringify({ id: 42, name: "ferry", tags: ["http", "client"], ok: true, score: 0.98 }),
);
const CHUNK = Buffer.alloc(1 << 20, "ferry-bench ");
const CACHE = new Map<number, Buffer>();

function bytesOf(length: number): Buffer {
  let buffer = CACHE.get(length);
  if (buffer === undefined && length <= CHUNK.length) {
    buffer = CHUNK.subarray(0, length);
    CACHE.set(length, buffer);
  }
  return buffer ?? CHUNK;
}

/** Writes `length` bytes in 1 MiB chunks, waiting for `drain` whenever the socket's buffer is full. */
function writeBytes(out: NodeJS.WritableStream, length: number, done: () => void): void {
  let left = length;
  const pump = (): void => {
    while (left > 0) {
      const size = Math.min(left, CHUNK.length);
      left -= size;
      if (!out.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size))) {
        out.once("drain", pump);
        return;
      }
    }
    done();
  };
  pump();
}

/** Reads a request body to its end and calls back with its length. */
function drain(body: NodeJS.ReadableStream, done: (received: number) => void): void {
  let received = 0;
  body.on("data", (chunk: Buffer) => {
    received += chunk.length;
  });
  body.on("end", () => done(received));
}

function received(length: number): Buffer {
  return Buffer.from(`{"received":${length}}`);
}

function handleHttp1(request: IncomingMessage, response: ServerResponse): void {
  const path = request.url ?? "/";
  if (request.method === "GET" && path === "/json") {
    response.writeHead(200, { "content-type": "application/json", "content-length": SMALL_JSON.length });
    response.end(SMALL_JSON);
  } else if (request.method === "GET" && path.startsWith("/bytes/")) {
    const length = Number(path.slice(7));
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": length });
    if (length <= CHUNK.length) response.end(bytesOf(length));
    else writeBytes(response, length, () => response.end());
  } else if (request.method === "POST" && (path === "/json" || path === "/upload")) {
    drain(request, (length) => {
      const body = received(length);
      response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
      response.end(body);
    });
  } else {
    response.writeHead(404, { "content-length": 0 });
    response.end();
  }
}

function respond(stream: ServerHttp2Stream, type: string, body: Buffer): void {
  stream.respond({ ":status": 200, "content-type": type, "content-length": body.length });
  stream.end(body);
}

function ignore(): void {}

function handleHttp2(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  // A client that resets a stream or drops its session is the client's failure to report, not the server's.
  stream.on("error", ignore);
  const path = String(headers[h2.HTTP2_HEADER_PATH]);
  const method = headers[h2.HTTP2_HEADER_METHOD];
  if (method === "GET" && path === "/json") respond(stream, "application/json", SMALL_JSON);
  else if (method === "GET" && path.startsWith("/bytes/")) {
    const length = Number(path.slice(7));
    if (length <= CHUNK.length) respond(stream, "application/octet-stream", bytesOf(length));
    else {
      stream.respond({
        ":status": 200,
        "content-type": "application/octet-stream",
        "content-length": length,
      });
      writeBytes(stream, length, () => stream.end());
    }
  } else if (method === "POST") {
    drain(stream, (length) => respond(stream, "application/json", received(length)));
  } else {
    stream.respond({ ":status": 404 });
    stream.end();
  }
}

const http1 = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, handleHttp1);
http1.keepAliveTimeout = 60_000;
http1.headersTimeout = 65_000;
http1.requestTimeout = 0;
http1.maxRequestsPerSocket = 0;

const http2 = createSecureServer({
  key: readFileSync(certPath("server-key.pem")),
  cert: readFileSync(certPath("server.pem")),
  allowHTTP1: false,
  settings: { maxConcurrentStreams: 256 },
});
http2.on("stream", handleHttp2);
http2.on("sessionError", ignore);
http2.on("session", (session) => session.on("error", ignore));
http1.on("clientError", (_error, socket) => socket.destroy());

await Promise.all([
  new Promise<void>((resolve) => http1.listen(0, "127.0.0.1", resolve)),
  new Promise<void>((resolve) => http2.listen(0, "127.0.0.1", resolve)),
]);
const port = (server: { address(): AddressInfo | string | null }): number =>
  (server.address() as AddressInfo).port;
process.stdout.write(
  `${JSON.stringify({ http: `http://127.0.0.1:${port(http1)}`, https: `https://127.0.0.1:${port(http2)}` })}\n`,
);

// Each line on stdin asks for the CPU time used so far (to tell whether the server was the bottleneck); the parent
// closes stdin when it is done (or dies), and then nothing is left listening.
process.stdin.setEncoding("utf8");
process.stdin.on("data", () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));

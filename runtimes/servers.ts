/**
 * The local server every runtime of the matrix talks to: one loopback HTTP server with the routes of the shared
 * scenario under `/api/`, CORS headers for the browser, and the scenario's page and bundles under `/page/`.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { brotliCompressSync, gzipSync } from "node:zlib";

/** The text the `/api/encoding/*` routes send, compressed. */
export const ENCODED_TEXT = "Ferry decodes this once. ".repeat(40);

// Node 20's zlib cannot compress zstd, so the scenario's zstd body is stored (made with Node 24's zstdCompressSync).
const ZSTD_BODY = Buffer.from("KLUv/WDoAg0BAMhGZXJyeSBkZWNvZGVzIHRoaXMgb25jZS4gAQAx52qOAQ==", "base64");

const USER = "ferry";
const PASSWORD = "s3cret";
const REALM = "matrix@ferry";

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) => void | Promise<void>;

function json(res: ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");

function digestParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.slice("Digest ".length).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    params[match[1]!] = match[2] ?? match[3] ?? "";
  }
  return params;
}

function digestValid(req: IncomingMessage, nonce: string): boolean {
  const header = req.headers.authorization ?? "";
  if (!header.startsWith("Digest ")) return false;
  const p = digestParams(header);
  const ha1 = md5(`${USER}:${REALM}:${PASSWORD}`);
  const ha2 = md5(`${req.method}:${p["uri"]}`);
  const expected = md5(`${ha1}:${p["nonce"]}:${p["nc"]}:${p["cnonce"]}:${p["qop"]}:${ha2}`);
  return p["username"] === USER && p["nonce"] === nonce && p["response"] === expected;
}

function sendStream(res: ServerResponse, size: number): void {
  res.writeHead(200, { "content-type": "application/octet-stream" });
  let sent = 0;
  // Irregular pieces, so the client's fixed-size chunks cannot just mirror the server's writes.
  const writeMore = (): void => {
    if (res.destroyed) return;
    const piece = Math.min(1000 + (sent % 777), size - sent);
    const bytes = Buffer.alloc(piece);
    for (let i = 0; i < piece; i++) bytes[i] = (sent + i) % 251;
    sent += piece;
    if (sent >= size) res.end(bytes);
    else if (res.write(bytes)) setImmediate(writeMore);
    else res.once("drain", writeMore);
  };
  writeMore();
}

function sendEncoded(req: IncomingMessage, res: ServerResponse, coding: string): void {
  const accepted = String(req.headers["accept-encoding"] ?? "");
  if (coding === "zstd" && !accepted.includes("zstd")) {
    // A runtime that cannot decode zstd does not ask for it; the server then sends the text as is.
    res.writeHead(200, { "content-type": "text/plain", "x-sent-encoding": "identity" }).end(ENCODED_TEXT);
    return;
  }
  const bodies: Record<string, () => Buffer> = {
    gzip: () => gzipSync(ENCODED_TEXT),
    br: () => brotliCompressSync(ENCODED_TEXT),
    zstd: () => ZSTD_BODY,
  };
  const body = bodies[coding];
  if (body === undefined) {
    json(res, { error: `unknown coding ${coding}` }, 404);
    return;
  }
  res.writeHead(200, { "content-type": "text/plain", "content-encoding": coding, "x-sent-encoding": coding });
  res.end(body());
}

function routes(nonce: string): Record<string, Handler> {
  return {
    "/api/echo": (req, res, url, body) =>
      json(res, {
        method: req.method,
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        body: body.toString("utf8"),
      }),
    "/api/cookies/set": (_req, res, url) => {
      const cookies = [...url.searchParams].map(([name, value]) => `${name}=${value}; Path=/`);
      res.writeHead(200, { "set-cookie": cookies, "content-type": "application/json" }).end("{}");
    },
    "/api/cookies": (req, res) => json(res, { cookie: req.headers.cookie ?? "" }),
    "/api/redirect": (_req, res) => {
      res.writeHead(302, { location: "/api/echo?redirected=yes" }).end();
    },
    "/api/basic": (req, res) => {
      const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
      if (req.headers.authorization === expected) json(res, { authenticated: "basic" });
      else json(res, { authenticated: false }, 403);
    },
    "/api/digest": (req, res) => {
      if (digestValid(req, nonce)) return json(res, { authenticated: "digest" });
      res.writeHead(401, {
        "www-authenticate": `Digest realm="${REALM}", qop="auth", nonce="${nonce}", opaque="ferry", algorithm=MD5`,
      });
      res.end();
    },
    "/api/stream": (_req, res, url) => sendStream(res, Number(url.searchParams.get("size") ?? "0")),
    "/api/slow": (_req, res) => {
      const timer = setTimeout(() => res.end("too late"), 5000);
      res.on("close", () => clearTimeout(timer));
    },
  };
}

function pageHandler(file: string): Handler {
  const type = file.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8";
  return async (_req, res) => {
    const content = await readFile(file).catch(() => null);
    if (content === null) res.writeHead(404).end(`${file} is not built`);
    else res.writeHead(200, { "content-type": type }).end(content);
  };
}

function cors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-allow-credentials", "true");
  res.setHeader(
    "access-control-expose-headers",
    "content-encoding, x-sent-encoding, location, www-authenticate",
  );
  if (req.method !== "OPTIONS") return false;
  res.setHeader("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
  res.setHeader("access-control-allow-headers", req.headers["access-control-request-headers"] ?? "*");
  res.writeHead(204).end();
  return true;
}

/** The running matrix servers. */
export interface MatrixServer {
  /** The API's origin, such as `http://127.0.0.1:40123`. */
  readonly origin: string;
  /** Another origin serving the browser's page, so the page calls the API cross-origin, through CORS. */
  readonly pageOrigin: string;
  close(): Promise<void>;
}

async function listen(table: Record<string, Handler>): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    if (cors(req, res)) return;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://matrix");
    const encoding = /^\/api\/encoding\/(\w+)$/.exec(url.pathname);
    if (encoding !== null) return sendEncoded(req, res, encoding[1]!);
    const handler = table[url.pathname];
    if (handler === undefined) return json(res, { error: `no route ${url.pathname}` }, 404);
    await handler(req, res, url, Buffer.concat(chunks));
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts the API server, and the page server where `pages` maps URL paths (`/page/`...) to files. */
export async function startMatrixServer(pages: Readonly<Record<string, string>> = {}): Promise<MatrixServer> {
  const api = await listen(routes(randomBytes(12).toString("hex")));
  const pageTable: Record<string, Handler> = {};
  for (const [path, file] of Object.entries(pages)) pageTable[path] = pageHandler(file);
  const site = await listen(pageTable);
  return {
    origin: api.origin,
    pageOrigin: site.origin,
    close: async () => {
      await Promise.all([api.close(), site.close()]);
    },
  };
}

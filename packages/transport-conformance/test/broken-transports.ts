import { gunzipSync } from "node:zlib";
import {
  type AsyncByteStream,
  BaseTransport,
  BytesStream,
  ConnectError,
  Headers,
  isAsyncByteStream,
  Limits,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  Request,
  Response,
  readAll,
  TimeoutException,
  TransportError,
  URL,
} from "@ferry/core";
import { certs } from "@ferry/test-servers";
import type { ConformanceOptions } from "@ferry/transport-conformance";
import { UndiciTransport } from "@ferry/transport-undici";

type Send = (request: Request) => Promise<Response>;

/** A transport that delegates to a working one through `handle`, which breaks one rule on the way. */
class Broken extends BaseTransport {
  readonly #inner: BaseTransport;
  readonly #handle: (send: Send, request: Request) => Promise<Response>;
  readonly #closes: boolean;

  constructor(
    handle: (send: Send, request: Request) => Promise<Response>,
    options: { inner?: BaseTransport; closes?: boolean } = {},
  ) {
    super();
    this.#inner = options.inner ?? new UndiciTransport();
    this.#handle = handle;
    this.#closes = options.closes ?? true;
  }

  handleRequest(request: Request): Promise<Response> {
    return this.#handle((r) => this.#inner.handleRequest(r), request);
  }

  override async close(): Promise<void> {
    if (this.#closes) await this.#inner.close();
  }
}

/** A response like `response`, with another body stream. */
function withStream(response: Response, stream: AsyncByteStream): Response {
  return new Response(response.statusCode, {
    headers: response.headers,
    stream,
    extensions: response.extensions,
    request: response.request,
  });
}

/** The chunks of `response`'s body, passed through `map`. */
function mapChunks(
  response: Response,
  map: (source: AsyncIterable<Uint8Array>) => AsyncGenerator<Uint8Array>,
): Response {
  const source = response.stream;
  if (!isAsyncByteStream(source)) throw new Error("expected an async body");
  return withStream(response, { [Symbol.asyncIterator]: () => map(source), close: () => source.close?.() });
}

async function followRedirects(send: Send, request: Request): Promise<Response> {
  let response = await send(request);
  while (response.hasRedirectLocation) {
    await response.close();
    const next = request.url.join(response.headers.get("location")!);
    response = await send(new Request("GET", next, { extensions: request.extensions }));
  }
  return response;
}

async function bufferBody(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  const content = await readAll(response.stream);
  return withStream(response, new BytesStream(content));
}

async function readAhead(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  const chunks: Uint8Array[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  void (async () => {
    for await (const chunk of response.stream as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      wake?.();
    }
    ended = true;
    wake?.();
  })().catch(() => {});
  async function* drain(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = chunks.shift();
      if (chunk !== undefined) yield chunk;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return withStream(response, { [Symbol.asyncIterator]: drain });
}

async function decodeGzip(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  if (response.headers.get("content-encoding") !== "gzip") return response;
  const decoded = new Uint8Array(gunzipSync(await readAll(response.stream)));
  return withStream(response, new BytesStream(decoded));
}

function without(phase: "connect" | "read" | "write" | "pool" | "all") {
  return (send: Send, request: Request): Promise<Response> => {
    const timeout = { ...(request.extensions["timeout"] as Record<string, number | null>) };
    if (phase === "all") delete request.extensions["timeout"];
    else request.extensions["timeout"] = { ...timeout, [phase]: null };
    return send(request);
  };
}

function storeCookies(): (send: Send, request: Request) => Promise<Response> {
  const jar = new Map<string, string>();
  return async (send, request) => {
    if (jar.size > 0) request.headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await send(request);
    for (const line of response.headers.getList("set-cookie")) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      jar.set(name.trim(), value.trim());
    }
    return response;
  };
}

function keepLastHeaderValue(send: Send, request: Request): Promise<Response> {
  const headers = new Headers();
  for (const [name, value] of request.headers.multiItems()) headers.set(name, value);
  request.headers = headers;
  return send(request);
}

function dropQuery(send: Send, request: Request): Promise<Response> {
  request.url = new URL(request.url.toString().split("?")[0]!);
  return send(request);
}

function corruptBody(send: Send, request: Request): Promise<Response> {
  const source = request.stream as AsyncIterable<Uint8Array>;
  async function* flipped(): AsyncGenerator<Uint8Array> {
    let first = true;
    for await (const chunk of source) {
      if (first && chunk.byteLength > 0) {
        const copy = chunk.slice();
        copy[0] = copy[0]! ^ 0xff;
        first = false;
        yield copy;
      } else yield chunk;
    }
  }
  request.stream = { [Symbol.asyncIterator]: flipped };
  return send(request);
}

async function bufferUpload(send: Send, request: Request): Promise<Response> {
  await request.read();
  return send(request);
}

async function forgetStatusLine(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  response.extensions = {};
  return response;
}

async function alwaysHttp11(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  response.extensions = { ...response.extensions, http_version: "HTTP/1.1" };
  return response;
}

async function joinResponseHeaders(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  return new Response(response.statusCode, {
    headers: response.headers.items(),
    stream: response.stream,
    extensions: response.extensions,
  });
}

async function answerChallenges(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  if (response.statusCode !== 401) return response;
  await response.close();
  request.headers.set("authorization", "Basic Zm9vOmJhcg==");
  return send(request);
}

async function forgetErrorRequest(send: Send, request: Request): Promise<Response> {
  try {
    return await send(request);
  } catch (error) {
    if (error instanceof ConnectError) throw new ConnectError(error.message, { cause: error.cause });
    throw error;
  }
}

async function oneTimeoutClass(send: Send, request: Request): Promise<Response> {
  try {
    return await send(request);
  } catch (error) {
    if (error instanceof TimeoutException) throw new ReadTimeout(error.message, { request, cause: error });
    throw error;
  }
}

async function endQuietly(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  return mapChunks(response, async function* (source) {
    try {
      yield* source;
    } catch {
      // A broken body ends as if it were complete.
    }
  });
}

async function protocolAsReadError(send: Send, request: Request): Promise<Response> {
  try {
    return await send(request);
  } catch (error) {
    if (error instanceof RemoteProtocolError) throw new ReadError(error.message, { request, cause: error });
    throw error;
  }
}

async function plainStreamErrors(send: Send, request: Request): Promise<Response> {
  const response = await send(request);
  return mapChunks(response, async function* (source) {
    try {
      yield* source;
    } catch (error) {
      if (error instanceof TransportError) throw new Error("the body broke off");
      throw error;
    }
  });
}

/** A transport breaking one rule: what it does wrong, the rule it breaks, and how to build it. */
export interface BrokenTransport {
  readonly what: string;
  readonly rule: string;
  readonly create: () => BaseTransport;
  readonly options?: ConformanceOptions;
}

/** An undici transport holding one connection per origin at most, for the pool timeout. */
export function oneConnection(): UndiciTransport {
  return new UndiciTransport({ limits: new Limits({ maxConnections: 1 }) });
}

/** An undici transport that speaks HTTP/2 and trusts the test certificates. */
export function http2Undici(): UndiciTransport {
  return new UndiciTransport({ verify: certs.caPath, http2: true });
}

const make =
  (handle: (send: Send, request: Request) => Promise<Response>, options = {}) =>
  (): BaseTransport =>
    new Broken(handle, options);

/** One broken transport per rule of the contract. */
export const brokenTransports: readonly BrokenTransport[] = [
  { what: "drops the query string", rule: "request-line", create: make(dropQuery) },
  {
    what: "keeps only the last value of a repeated header",
    rule: "request-headers",
    create: make(keepLastHeaderValue),
  },
  { what: "corrupts the request body", rule: "request-body", create: make(corruptBody) },
  {
    what: "reads a streamed upload whole before sending it",
    rule: "upload-streaming",
    create: make(bufferUpload),
  },
  { what: "forgets the reason phrase and HTTP version", rule: "status-line", create: make(forgetStatusLine) },
  { what: "joins repeated response headers", rule: "response-headers", create: make(joinResponseHeaders) },
  { what: "buffers the response body", rule: "response-stream", create: make(bufferBody) },
  { what: "reads the body ahead of the reader", rule: "read-ahead", create: make(readAhead) },
  { what: "decodes gzip without saying so", rule: "content-encoding", create: make(decodeGzip) },
  { what: "follows redirects", rule: "redirects", create: make(followRedirects) },
  { what: "stores cookies", rule: "cookies", create: () => new Broken(storeCookies()) },
  { what: "answers auth challenges", rule: "auth", create: make(answerChallenges) },
  { what: "ignores timeouts", rule: "timeouts.read", create: make(without("all")) },
  { what: "raises ReadTimeout for every phase", rule: "timeouts.connect", create: make(oneTimeoutClass) },
  { what: "ignores the write timeout", rule: "timeouts.write", create: make(without("write")) },
  {
    what: "ignores the pool timeout",
    rule: "timeouts.pool",
    create: make(without("pool")),
    options: { createPooled: make(without("pool"), { inner: oneConnection() }) },
  },
  { what: "raises errors without their request", rule: "errors.refused", create: make(forgetErrorRequest) },
  { what: "raises plain errors from a broken body", rule: "errors.reset", create: make(plainStreamErrors) },
  { what: "ends a short body as if complete", rule: "errors.short-body", create: make(endQuietly) },
  {
    what: "reports protocol errors as ReadError",
    rule: "errors.malformed",
    create: make(protocolAsReadError),
  },
  {
    what: "reports an unanswered request as ReadError",
    rule: "errors.disconnect",
    create: make(protocolAsReadError),
  },
  {
    what: "leaves its connections open on close()",
    rule: "close",
    create: make((send, r) => send(r), { closes: false }),
  },
  {
    what: "reports HTTP/2 as HTTP/1.1",
    rule: "http2",
    create: make(alwaysHttp11, { inner: http2Undici() }),
    options: { supports: { http2: true }, tls: { cert: certs.serverCert, key: certs.serverKey } },
  },
];

/**
 * Sends a request into a Node `http.RequestListener` (Express, Koa's `callback()`, Fastify's `routing`) in the
 * same process: a real `IncomingMessage` and `ServerResponse` on an in-memory socket, the request body streamed
 * in as the app reads it and the response body streamed out as the app writes it.
 *
 * Loaded only when an {@link AppTransport} is given a listener, so that Fetch-style use never imports `node:`
 * modules.
 *
 * @module
 */
import { IncomingMessage, ServerResponse } from "node:http";
import { Duplex } from "node:stream";
import {
  type ByteStream,
  BytesStream,
  isAsyncByteStream,
  RemoteProtocolError,
  type Request,
  type Response,
} from "@ferry/core";
import { appErrorResponse, appResponse } from "./app-response.js";
import type { AppExchangeOptions, NodeRequestListener } from "./app-transport.js";
import { BodyQueue } from "./body-queue.js";
import { ResponseParser } from "./http1-response-parser.js";

/** The socket the app sees: it carries the client's address and collects what the app writes. */
class AppSocket extends Duplex {
  encrypted: boolean;
  remoteAddress: string;
  remotePort: number;
  remoteFamily: string;
  localAddress = "127.0.0.1";
  localPort: number;
  readonly #onWrite: (chunk: Uint8Array, done: () => void) => void;

  constructor(
    request: Request,
    options: AppExchangeOptions,
    onWrite: (chunk: Uint8Array, done: () => void) => void,
  ) {
    super();
    this.#onWrite = onWrite;
    this.encrypted = request.url.scheme === "https";
    this.remoteAddress = options.client[0];
    this.remotePort = options.client[1];
    this.remoteFamily = options.client[0].includes(":") ? "IPv6" : "IPv4";
    this.localPort = request.url.port ?? (this.encrypted ? 443 : 80);
  }

  override _read(): void {}

  override _write(
    chunk: Uint8Array,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.#onWrite(chunk, () => callback());
  }

  setTimeout(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: "IPv4", port: this.localPort };
  }
}

/**
 * Sends `request` to `listener` and resolves with the response once the app has written its headers.
 *
 * @throws the app's error (with `raiseAppExceptions`), or `RemoteProtocolError` when the app ends the exchange
 *   without a complete response.
 */
export function sendToListener(
  listener: NodeRequestListener,
  request: Request,
  options: AppExchangeOptions,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    new ListenerExchange(request, options, resolve, reject).start(listener);
  });
}

class ListenerExchange {
  readonly #request: Request;
  readonly #options: AppExchangeOptions;
  readonly #resolve: (response: Response) => void;
  readonly #reject: (error: unknown) => void;
  readonly #socket: AppSocket;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #parser: ResponseParser;
  readonly #body: BodyQueue;
  #answered = false;
  #finished = false;
  #pendingChunks = 0;
  #blockedWrite: (() => void) | null = null;

  constructor(
    request: Request,
    options: AppExchangeOptions,
    resolve: (response: Response) => void,
    reject: (error: unknown) => void,
  ) {
    this.#request = request;
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#body = new BodyQueue(() => this.#socket.destroy());
    this.#socket = new AppSocket(request, options, (chunk, done) => this.#onWrite(chunk, done));
    this.#socket.on("error", (error) => this.#fail(error));
    this.#socket.on("close", () => this.#onClose());
    this.#req = incomingMessage(this.#socket, request);
    this.#res = new ServerResponse(this.#req);
    this.#res.assignSocket(this.#socket as never);
    this.#res.on("finish", () => this.#onFinish());
    this.#socket.on("drain", () => relayDrain(this.#res));
    this.#parser = new ResponseParser(
      {
        head: (status, reason, headers) => this.#onHead(status, reason, headers),
        body: (chunk) => this.#onBody(chunk),
        end: () => this.#body.end(),
      },
      request.method === "HEAD",
    );
  }

  start(listener: NodeRequestListener): void {
    try {
      const result: unknown = listener(this.#req as never, this.#res as never);
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.#fail(error));
    } catch (error) {
      this.#fail(error);
    }
  }

  #onWrite(chunk: Uint8Array, done: () => void): void {
    try {
      this.#parser.push(chunk);
    } catch (error) {
      this.#fail(error);
    }
    if (this.#pendingChunks === 0) done();
    else this.#blockedWrite = done;
  }

  #onHead(status: number, reason: string, headers: Array<[string, string]>): void {
    this.#answered = true;
    this.#resolve(appResponse(status, reason, headers, this.#body, this.#request));
  }

  #onBody(chunk: Uint8Array): void {
    this.#pendingChunks++;
    this.#body.push(chunk, () => {
      this.#pendingChunks--;
      if (this.#pendingChunks > 0) return;
      const blocked = this.#blockedWrite;
      this.#blockedWrite = null;
      blocked?.();
    });
  }

  #onFinish(): void {
    this.#finished = true;
    try {
      this.#parser.finish();
    } catch (error) {
      this.#fail(error);
      return;
    }
    // As a Node server does once a response is sent: drain any unread request body, then report "close".
    if (!this.#req.readableEnded) this.#req.resume();
    process.nextTick(() => this.#res.emit("close"));
  }

  #onClose(): void {
    if (this.#finished && this.#parser.done) return;
    this.#fail(
      new RemoteProtocolError("The app closed the connection without completing its response.", {
        request: this.#request,
      }),
    );
  }

  /** Reports an error of the app: raised (or a 500 response) before the headers, the body's end after them. */
  #fail(error: unknown): void {
    if (this.#answered) {
      if (this.#options.raiseAppExceptions) this.#body.fail(error);
      else this.#body.end();
    } else {
      this.#answered = true;
      if (this.#options.raiseAppExceptions) this.#reject(error);
      else this.#resolve(appErrorResponse(error));
    }
    if (!this.#socket.destroyed) this.#socket.destroy();
  }
}

/**
 * Passes the socket's "drain" on to the response, as a Node server does: `res.write()` returned false and the app
 * waits for it. The flag Node keeps for this is internal, found by its symbol's name.
 */
function relayDrain(res: ServerResponse): void {
  if (!res.writableNeedDrain) return;
  const needDrain = Object.getOwnPropertySymbols(res).find((symbol) => symbol.description === "kNeedDrain");
  if (needDrain !== undefined) (res as unknown as Record<symbol, boolean>)[needDrain] = false;
  res.emit("drain");
}

function incomingMessage(socket: AppSocket, request: Request): IncomingMessage {
  const req = new IncomingMessage(socket as never);
  req.method = request.method;
  req.url = request.url.rawPath || "/";
  req.httpVersion = "1.1";
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.rawHeaders = request.headers.raw.flat();
  req.headers = nodeHeaders(req, request.headers.raw);
  streamBody(req, request.stream);
  return req;
}

/** Header values by lower-case name, combined by Node's own rules where it exposes them. */
function nodeHeaders(
  req: IncomingMessage,
  raw: ReadonlyArray<readonly [string, string]>,
): IncomingMessage["headers"] {
  const headers: IncomingMessage["headers"] = {};
  const addLine = (req as unknown as { _addHeaderLine?: (name: string, value: string, into: object) => void })
    ._addHeaderLine;
  for (const [name, value] of raw) {
    if (typeof addLine === "function") {
      addLine.call(req, name, value, headers);
      continue;
    }
    const key = name.toLowerCase();
    const previous = headers[key];
    headers[key] = previous === undefined ? value : `${String(previous)}, ${value}`;
  }
  return headers;
}

/** Internals of `IncomingMessage` that its own `_read()` sets, which a replacement must set too. */
interface IncomingInternals {
  _consuming: boolean;
  _readableState: { readingMore: boolean };
}

/**
 * Marks the body as being consumed. `IncomingMessage` starts with `readingMore` set, to hold reads back until the
 * app reads; without clearing it, a stream would stop after its first chunk.
 */
function startConsuming(req: IncomingMessage): void {
  const internals = req as unknown as IncomingInternals;
  internals._consuming = true;
  internals._readableState.readingMore = false;
}

/** Feeds the request body to the app as it reads: one chunk per read, so a slow app slows the upload. */
function streamBody(req: IncomingMessage, stream: ByteStream): void {
  if (stream instanceof BytesStream) {
    const content = stream.content;
    req._read = () => {
      startConsuming(req);
      if (content.byteLength > 0) req.push(content);
      req.complete = true;
      req.push(null);
    };
    return;
  }
  const iterator = isAsyncByteStream(stream)
    ? stream[Symbol.asyncIterator]()
    : toAsync(stream[Symbol.iterator]());
  let reading = false;
  req._read = () => {
    startConsuming(req);
    if (reading) return;
    reading = true;
    iterator.next().then(
      (step) => {
        reading = false;
        if (step.done) {
          req.complete = true;
          req.push(null);
        } else {
          req.push(step.value);
        }
      },
      (error: unknown) => req.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  };
}

function toAsync(iterator: Iterator<Uint8Array>): AsyncIterator<Uint8Array> {
  return { next: async () => iterator.next() };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

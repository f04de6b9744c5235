/**
 * `AppTransport`: sends requests straight into an application in the same process, with no socket, like httpx's
 * WSGI and ASGI transports.
 *
 * @module
 */
import {
  BaseTransport,
  BytesStream,
  isAsyncByteStream,
  ReadTimeout,
  type Request,
  type Response,
} from "@ferry/core";
import { appErrorResponse, appResponse, readTimeout } from "./app-response.js";
import { readableStreamBody } from "./replies.js";

/** A Fetch-style handler: Hono's `app.fetch`, itty-router, Next.js route handlers, Bun and Deno servers. */
export type FetchHandler = (
  request: globalThis.Request,
) => globalThis.Response | Promise<globalThis.Response>;

/** An object with a Fetch-style `fetch` method: a Hono app, a Bun or Deno server module (`export default { fetch }`). */
export interface FetchApp {
  fetch(request: globalThis.Request): globalThis.Response | Promise<globalThis.Response>;
}

/**
 * A Node `http.RequestListener`, `(req: IncomingMessage, res: ServerResponse) => void`: an Express app, Koa's
 * `app.callback()`, Fastify's `fastify.routing`. Typed loosely so that any listener fits without Node's types.
 */
export type NodeRequestListener = (request: never, response: never) => unknown;

/** A Node listener, wrapped to tell it from a Fetch-style handler: `{ listener: expressApp }`. */
export interface NodeApp {
  listener: NodeRequestListener;
}

/** What an {@link AppTransport} can send requests to. */
export type AppTypes = FetchHandler | FetchApp | NodeApp;

/** Options of an {@link AppTransport}. */
export interface AppTransportOptions {
  /**
   * Whether an error the app raises reaches the caller as is (the default), or becomes a 500 response with the
   * error in `response.extensions.app_error` (httpx's `raise_app_exceptions=False`).
   */
  raiseAppExceptions?: boolean | undefined;
  /** The client address a Node app sees on `req.socket` (default `["127.0.0.1", 123]`, as httpx). */
  client?: readonly [address: string, port: number] | undefined;
}

/** The resolved options an exchange with the app runs with. */
export interface AppExchangeOptions {
  readonly raiseAppExceptions: boolean;
  readonly client: readonly [string, number];
}

type Sender = (request: Request) => Promise<Response>;

/**
 * A transport that sends requests into an application in the same process: a Fetch-style handler, an object with
 * a `fetch` method, or a Node request listener given as `{ listener }`. Bodies stream both ways; the app's errors
 * reach the caller, or with `raiseAppExceptions: false` become a 500 response.
 *
 * ```ts
 * const client = new Client({ transport: new AppTransport(honoApp), baseUrl: "http://app.test" });
 * const client2 = new Client({ transport: new AppTransport({ listener: expressApp }), baseUrl: "http://app.test" });
 * ```
 *
 * The request's read timeout bounds the wait for the app's response headers, and each wait for a chunk of its
 * body (`ReadTimeout`), as it would on a socket.
 */
export class AppTransport extends BaseTransport {
  readonly #send: Sender;
  #closed = false;

  constructor(app: AppTypes, options: AppTransportOptions = {}) {
    super();
    const exchange: AppExchangeOptions = {
      raiseAppExceptions: options.raiseAppExceptions ?? true,
      client: options.client ?? ["127.0.0.1", 123],
    };
    this.#send = sender(app, exchange);
  }

  /** Sends `request` to the app and resolves with its response once the app has sent its headers. */
  handleRequest(request: Request): Promise<Response> {
    if (this.#closed) {
      return Promise.reject(new Error("Cannot send a request, as the transport has been closed."));
    }
    return withReadTimeout(this.#send(request), request);
  }

  /** Refuses every later request; the app itself is left running, as it is the caller's. */
  override async close(): Promise<void> {
    this.#closed = true;
  }
}

function sender(app: AppTypes, options: AppExchangeOptions): Sender {
  if (typeof app === "function") {
    if (typeof (app as { listen?: unknown }).listen === "function") throw listenerGivenAsHandler();
    return (request) => sendToFetchHandler((fetchRequest) => app(fetchRequest), request, options);
  }
  if (app !== null && typeof app === "object") {
    if (typeof (app as FetchApp).fetch === "function") {
      const fetchApp = app as FetchApp;
      return (request) =>
        sendToFetchHandler((fetchRequest) => fetchApp.fetch(fetchRequest), request, options);
    }
    const listener = (app as Partial<NodeApp>).listener;
    if (typeof listener === "function") {
      return async (request) => {
        const { sendToListener } = await loadNodeAppTransport();
        return sendToListener(listener, request, options);
      };
    }
  }
  throw new TypeError(
    "AppTransport needs a Fetch-style handler (request) => Response, an object with a fetch() method, or a Node " +
      `request listener as { listener }, got ${app === null ? "null" : typeof app}.`,
  );
}

// Named through a variable so that bundlers for browsers and workers leave the Node-only module (node:http) out.
const NODE_APP_TRANSPORT = "./node-app-transport.js";

function loadNodeAppTransport(): Promise<typeof import("./node-app-transport.js")> {
  return import(/* @vite-ignore */ NODE_APP_TRANSPORT);
}

function listenerGivenAsHandler(): TypeError {
  return new TypeError(
    "This looks like a Node request listener (it has a listen() method, as an Express app does): pass it as " +
      "new AppTransport({ listener: app }).",
  );
}

async function sendToFetchHandler(
  handler: (request: globalThis.Request) => globalThis.Response | Promise<globalThis.Response>,
  request: Request,
  options: AppExchangeOptions,
): Promise<Response> {
  let answer: globalThis.Response;
  try {
    answer = await handler(toFetchRequest(request));
    if (!(answer instanceof globalThis.Response)) {
      throw new TypeError(`The app returned ${String(answer)} instead of a Response.`);
    }
  } catch (error) {
    if (options.raiseAppExceptions) throw error;
    return appErrorResponse(error);
  }
  return fromFetchResponse(answer, request, options);
}

const BODYLESS_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/** The Fetch `Request` the app receives: same method, URL and headers, and the body streamed in. */
function toFetchRequest(request: Request): globalThis.Request {
  const headers = new globalThis.Headers();
  for (const [name, value] of request.headers.raw) headers.append(name, value);
  const init: RequestInit & { duplex?: "half" } = { method: request.method, headers };
  const stream = request.stream;
  const empty = stream instanceof BytesStream && stream.content.byteLength === 0;
  if (BODYLESS_METHODS.has(request.method)) {
    if (!empty)
      throw new TypeError(`A Fetch-style app cannot receive a ${request.method} request with a body.`);
  } else if (stream instanceof BytesStream) {
    init.body = stream.content as Uint8Array<ArrayBuffer>;
  } else {
    init.body = toReadableStream(stream);
    init.duplex = "half";
  }
  return new globalThis.Request(String(request.url), init);
}

function toReadableStream(stream: Request["stream"]): ReadableStream<Uint8Array> {
  const iterator = isAsyncByteStream(stream) ? stream[Symbol.asyncIterator]() : stream[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const step = await iterator.next();
      if (step.done) controller.close();
      else controller.enqueue(step.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

function fromFetchResponse(
  answer: globalThis.Response,
  request: Request,
  options: AppExchangeOptions,
): Response {
  const headers: Array<[string, string]> = [];
  answer.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers.push([name, value]);
  });
  for (const cookie of answer.headers.getSetCookie?.() ?? []) headers.push(["set-cookie", cookie]);
  const body = answer.body;
  if (body === null || request.method === "HEAD") {
    void body?.cancel().catch(() => {});
    return appResponse(answer.status, answer.statusText, headers, new BytesStream(), request);
  }
  const stream = readableStreamBody(body);
  return appResponse(
    answer.status,
    answer.statusText,
    headers,
    options.raiseAppExceptions ? stream : quiet(stream),
    request,
  );
}

/** A body whose read errors end it instead: with `raiseAppExceptions: false` the app's errors are not raised. */
function quiet(stream: ReturnType<typeof readableStreamBody>): ReturnType<typeof readableStreamBody> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const chunk of stream as AsyncIterable<Uint8Array>) yield chunk;
      } catch {
        // The app failed mid-body: the response simply ends where it stopped.
      }
    },
    close: () => (stream as { close?: () => Promise<void> }).close?.(),
  };
}

/**
 * Bounds the wait for the app's response headers by the request's read timeout. A response that comes too late is
 * closed, so that the app is not left writing a body nobody reads.
 */
function withReadTimeout(response: Promise<Response>, request: Request): Promise<Response> {
  const read = readTimeout(request);
  if (read === null) return response;
  let expired = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      expired = true;
      reject(new ReadTimeout(`The app did not answer within ${read} ms.`, { request }));
    }, read);
    response.then(
      (value) => {
        clearTimeout(timer);
        if (expired) void value.close().catch(() => {});
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * What a route answers with (a `Response`, a status code, an object such as `{ status: 201, json }`, a handler, an
 * error to raise) compiled once into a {@link Reply} that makes a fresh response for each call.
 *
 * @module
 */
import {
  type ByteStream,
  BytesStream,
  type HeaderTypes,
  HTTPError,
  type Request,
  Response,
  type SyncByteStream,
} from "@ferry/core";
import type { Captures } from "./value-matchers.js";
import { describeValue } from "./value-matchers.js";

/** Chunks of a streamed body: text is sent as UTF-8. */
export type StreamChunk = string | Uint8Array;

/**
 * A streamed response body. An array, or a function returning the chunks, serves any number of calls; a one-shot
 * iterable or `ReadableStream` serves one.
 */
export type StreamBody =
  | readonly StreamChunk[]
  | Iterable<StreamChunk>
  | AsyncIterable<StreamChunk>
  | ReadableStream<Uint8Array>
  | (() => Iterable<StreamChunk> | AsyncIterable<StreamChunk> | ReadableStream<Uint8Array>);

/** A response written as an object: `{ status: 201, json: { id: 1 } }`. Give at most one body. */
export interface ResponseShorthand {
  /** The status code; 200 when left out. */
  status?: number | undefined;
  headers?: HeaderTypes | undefined;
  /** A value sent as JSON. */
  json?: unknown;
  /** A text body (`text/plain; charset=utf-8`). */
  text?: string | undefined;
  /** An HTML body (`text/html; charset=utf-8`). */
  html?: string | undefined;
  /** A raw body. */
  content?: string | Uint8Array | undefined;
  /** A body streamed chunk by chunk, as a transport would hand it over. */
  stream?: StreamBody | undefined;
  /** Transport details: `http_version`, `reason_phrase`. */
  extensions?: Record<string, unknown> | undefined;
}

/** What a handler may return: a `Response`, a status code, or a {@link ResponseShorthand}. */
export type MockReply = Response | number | ResponseShorthand;

/** What a handler receives besides the request. */
export interface RouteMatch<R = unknown> {
  /** What the route's pattern captured: `:name` path segments, RegExp named groups. */
  readonly params: Captures;
  /** The route that matched. */
  readonly route: R;
  /** How many calls the route had before this one. */
  readonly callIndex: number;
}

/** Answers a request that matched a route. Return synchronously to serve a `SyncClient` too. */
export type RouteHandler<R = unknown> = (
  request: Request,
  match: RouteMatch<R>,
) => MockReply | Promise<MockReply>;

/** An error class to raise, instantiated with the request: `ConnectTimeout`. */
export type ErrorClass = new (message: string, options: { request: Request }) => Error;

/** Anything a route can answer with: a reply, a handler, or an error (instance or class) to raise. */
export type RouteReply<R = unknown> = MockReply | RouteHandler<R> | Error | ErrorClass;

/** A compiled answer. */
export interface Reply<R = unknown> {
  /** Makes the response for one call, or throws the error to raise. */
  produce(request: Request, match: RouteMatch<R>): Response | Promise<Response>;
}

const SHORTHAND_KEYS: ReadonlySet<string> = new Set([
  "status",
  "headers",
  "json",
  "text",
  "html",
  "content",
  "stream",
  "extensions",
]);
const UTF8 = new TextEncoder();

/** Builds a response from in-memory bytes, for every call, from one that was built once. */
function cloneInMemory(template: Response, content: Uint8Array): Response {
  return new Response(template.statusCode, {
    headers: template.headers,
    content,
    extensions: template.extensions,
  });
}

class StaticReply implements Reply {
  readonly #template: Response;
  readonly #content: Uint8Array;

  constructor(template: Response, content: Uint8Array) {
    this.#template = template;
    this.#content = content;
  }

  produce(): Response {
    return cloneInMemory(this.#template, this.#content);
  }
}

class OneShotReply implements Reply {
  #response: Response | null;

  constructor(response: Response) {
    this.#response = response;
  }

  produce(): Response {
    const response = this.#response;
    if (response === null) {
      throw new TypeError(
        "This route's Response has a streaming body, which can only be sent once: answer with an array of chunks " +
          "({ stream: ['a', 'b'] }), a function returning them, or a handler to send it again.",
      );
    }
    this.#response = null;
    return response;
  }
}

class StreamReply implements Reply {
  readonly #shorthand: ResponseShorthand;
  readonly #open: () => ByteStream;

  constructor(shorthand: ResponseShorthand, open: () => ByteStream) {
    this.#shorthand = shorthand;
    this.#open = open;
  }

  produce(): Response {
    const { status = 200, headers, extensions } = this.#shorthand;
    return new Response(status, { headers, extensions, stream: this.#open() });
  }
}

class HandlerReply<R> implements Reply<R> {
  readonly #handler: RouteHandler<R>;

  constructor(handler: RouteHandler<R>) {
    this.#handler = handler;
  }

  produce(request: Request, match: RouteMatch<R>): Response | Promise<Response> {
    const result = this.#handler(request, match);
    if (result instanceof Promise) return result.then((value) => toResponse(value, "The route handler"));
    return toResponse(result, "The route handler");
  }
}

class ErrorReply implements Reply {
  readonly #error: Error | ErrorClass;

  constructor(error: Error | ErrorClass) {
    this.#error = error;
  }

  produce(request: Request): never {
    const given = this.#error;
    const error = given instanceof Error ? given : new given(`Mocked ${given.name}`, { request });
    if (error instanceof HTTPError && !error.hasRequest) error.request = request;
    throw error;
  }
}

/** Whether `value` is an Error class rather than a handler. */
function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === "function" && (value === Error || value.prototype instanceof Error);
}

/**
 * Compiles what `route.respond()`, `route.sequence()` or `route.raise()` was given.
 *
 * @throws TypeError when `reply` is none of the accepted kinds, naming what it was.
 */
export function compileReply<R>(reply: RouteReply<R>): Reply<R> {
  if (reply instanceof Error || isErrorClass(reply)) return new ErrorReply(reply);
  if (typeof reply === "function") return new HandlerReply(reply as RouteHandler<R>);
  if (reply instanceof Response) return responseReply(reply);
  if (typeof reply === "number") return responseReply(new Response(checkStatus(reply)));
  if (isShorthand(reply)) return shorthandReply(reply);
  throw new TypeError(
    `A route answers with a Response, a status code, an object such as { status, json }, a handler function or an ` +
      `error, got ${describeValue(reply)}.`,
  );
}

function responseReply(response: Response): Reply {
  const stream = response.stream;
  if (stream instanceof BytesStream) return new StaticReply(response, stream.content);
  return new OneShotReply(response);
}

function shorthandReply(shorthand: ResponseShorthand): Reply {
  checkShorthand(shorthand);
  if (shorthand.stream !== undefined) return new StreamReply(shorthand, streamOpener(shorthand.stream));
  return responseReply(fromShorthand(shorthand));
}

/**
 * Turns what a handler returned into a response.
 *
 * @throws TypeError naming `who` when the value is not a response, a status code or a shorthand.
 */
export function toResponse(value: unknown, who: string): Response {
  if (value instanceof Response) return value;
  if (typeof value === "number") return new Response(checkStatus(value));
  if (isShorthand(value)) {
    checkShorthand(value);
    if (value.stream === undefined) return fromShorthand(value);
    const { status = 200, headers, extensions } = value;
    return new Response(status, { headers, extensions, stream: streamOpener(value.stream)() });
  }
  throw new TypeError(
    `${who} returned ${describeValue(value)}: return a Response, a status code or an object such as ` +
      "{ status: 200, json: {...} }.",
  );
}

function isShorthand(value: unknown): value is ResponseShorthand {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function checkShorthand(shorthand: ResponseShorthand): void {
  for (const key of Object.keys(shorthand)) {
    if (!SHORTHAND_KEYS.has(key)) {
      throw new TypeError(
        `Unknown response option ${JSON.stringify(key)}: expected one of ${[...SHORTHAND_KEYS].join(", ")}.`,
      );
    }
  }
  if (shorthand.status !== undefined) checkStatus(shorthand.status);
}

function checkStatus(status: number): number {
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new RangeError(
      `A response status must be an integer from 100 to 999, got ${describeValue(status)}.`,
    );
  }
  return status;
}

function fromShorthand(shorthand: ResponseShorthand): Response {
  const { status = 200, headers, json, text, html, content, extensions } = shorthand;
  return new Response(status, { headers, json, text, html, content, extensions });
}

/** A function that opens a fresh body stream for each call (or, for a one-shot source, once). */
function streamOpener(body: StreamBody): () => ByteStream {
  if (Array.isArray(body)) {
    const chunks = (body as readonly StreamChunk[]).map(toBytes);
    return () => chunkStream(chunks);
  }
  if (typeof body === "function") return () => toByteStream(body());
  let used = false;
  return () => {
    if (used) {
      throw new TypeError(
        "This route's stream body is a one-shot iterable that was already sent: give an array of chunks or a " +
          "function returning a new iterable to send it again.",
      );
    }
    used = true;
    return toByteStream(
      body as Iterable<StreamChunk> | AsyncIterable<StreamChunk> | ReadableStream<Uint8Array>,
    );
  };
}

function toBytes(chunk: StreamChunk): Uint8Array {
  if (typeof chunk === "string") return UTF8.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError(`A stream chunk must be a string or a Uint8Array, got ${describeValue(chunk)}.`);
}

/** A stream over chunks already in memory, readable both ways: it serves the async and the sync client. */
function chunkStream(chunks: readonly Uint8Array[]): ByteStream & SyncByteStream {
  return {
    *[Symbol.iterator]() {
      yield* chunks;
    },
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
  };
}

function toByteStream(
  source: Iterable<StreamChunk> | AsyncIterable<StreamChunk> | ReadableStream<Uint8Array>,
): ByteStream {
  if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream)
    return readableStreamBody(source);
  if (Symbol.asyncIterator in source) {
    const iterable = source as AsyncIterable<StreamChunk>;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const chunk of iterable) yield toBytes(chunk);
      },
    };
  }
  const iterable = source as Iterable<StreamChunk>;
  return {
    *[Symbol.iterator]() {
      for (const chunk of iterable) yield toBytes(chunk);
    },
  };
}

/** A `ReadableStream` read through its reader, since not every runtime makes it async-iterable. */
export function readableStreamBody(stream: ReadableStream<Uint8Array>): ByteStream {
  const reader = stream.getReader();
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (value.byteLength > 0) yield value;
      }
    },
    async close() {
      await reader.cancel().catch(() => {});
    },
  };
}

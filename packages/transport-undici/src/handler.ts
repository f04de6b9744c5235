/**
 * The undici dispatch handler of one request: it turns undici's callbacks into a Ferry `Response` with a streaming
 * body, applies the pool and write timeouts undici has no option for, and maps every failure with `toFerryError`.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { PoolTimeout, type Request, Response, WriteTimeout } from "@ferry/core";
import type { Dispatcher } from "undici";
import { type BodySource, ResponseBody, type WriteWatcher } from "./bodies.js";
import { type Phase, toFerryError } from "./errors.js";

/** What a handler asks of its transport. */
export interface HandlerContext {
  /** Connection attempts under way in the transport. */
  readonly connecting: number;
  /** The HTTP version of the response to a request dispatched to `origin`. */
  httpVersion(origin: string): string;
  /** Called when a request is over (its body received, or failed): its connection may now be idle. */
  requestDone(): void;
}

type Abort = (reason?: Error) => void;

const NON_ASCII = /[\u0080-\uffff]/;

/** Header bytes as text: ASCII, else UTF-8 when valid (as httpx), else Latin-1. */
function decodeHeader(raw: Buffer): string {
  const text = raw.toString("latin1");
  return NON_ASCII.test(text) && isUtf8(raw) ? raw.toString("utf8") : text;
}

function toHeaderPairs(raw: Buffer[] | string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    pairs.push([
      typeof name === "string" ? name : name.toString("latin1"),
      typeof value === "string" ? value : decodeHeader(value),
    ]);
  }
  return pairs;
}

function onPoolTimeout(handler: DispatchHandler): void {
  handler.poolTimedOut();
}

/**
 * Receives one request's events from undici (its callback-style handler API, the one undici runs natively). The
 * promise settles with the response when the headers arrive; the body then streams through {@link ResponseBody}.
 *
 * `agent.dispatch` with this handler rather than `agent.request`: on loopback, a small GET costs about 45 µs through
 * `dispatch` with a bare handler against 60-70 µs through `request`, which wraps the body in a Node `Readable` and
 * builds a header object that Ferry would only turn back into pairs.
 */
export class DispatchHandler implements Dispatcher.DispatchHandler, BodySource, WriteWatcher {
  readonly promise: Promise<Response>;
  #resolve!: (response: Response) => void;
  #reject!: (error: unknown) => void;
  readonly #request: Request;
  readonly #context: HandlerContext;
  readonly #origin: string;
  #phase: Phase = "connect";
  #abort: Abort | null = null;
  #resumeSocket: (() => void) | null = null;
  #body: ResponseBody | null = null;
  /** Set once the promise has settled with an error: later events are ignored and a late connection aborted. */
  #failed: Error | null = null;
  #poolTimer: ReturnType<typeof setTimeout> | undefined;
  #poolTimeout: number | null;
  readonly #connectTimeout: number | null;

  constructor(
    request: Request,
    context: HandlerContext,
    origin: string,
    pool: number | null,
    connect: number | null,
  ) {
    this.#request = request;
    this.#context = context;
    this.#origin = origin;
    this.#poolTimeout = pool;
    this.#connectTimeout = connect;
    this.promise = new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (pool !== null) this.#poolTimer = setTimeout(onPoolTimeout, pool, this);
  }

  /** The pool timeout fired before a connection was assigned to the request. */
  poolTimedOut(): void {
    this.#poolTimer = undefined;
    // A connection being opened may be the one this request waits for: give it its connect timeout to finish.
    if (this.#context.connecting > 0 && this.#poolTimeout !== null) {
      this.#poolTimeout = null;
      if (this.#connectTimeout !== null)
        this.#poolTimer = setTimeout(onPoolTimeout, this.#connectTimeout, this);
      return;
    }
    this.#fail(
      new PoolTimeout("Timed out waiting for a connection from the pool", { request: this.#request }),
    );
  }

  /** The request body stalled for longer than the write timeout. */
  writeTimedOut(): void {
    const error = new WriteTimeout("Timed out while sending the request body", { request: this.#request });
    if (this.#abort !== null) this.#abort(error);
    else this.#fail(error);
  }

  #fail(error: Error): void {
    if (this.#failed !== null) return;
    this.#failed = error;
    clearTimeout(this.#poolTimer);
    if (this.#body === null) this.#reject(error);
    else this.#body.fail(error);
    // A request still queued in undici is aborted as soon as it gets a connection (see onConnect).
    if (this.#abort !== null) this.#abort(error);
  }

  onConnect(abort: Abort): void {
    clearTimeout(this.#poolTimer);
    if (this.#failed !== null) {
      abort(this.#failed);
      return;
    }
    this.#abort = abort;
    this.#phase = "write";
  }

  onRequestSent(): void {
    this.#phase = "read";
  }

  onHeaders(
    statusCode: number,
    rawHeaders: Buffer[] | string[],
    resume: () => void,
    statusText: string,
  ): boolean {
    if (statusCode < 200) return true;
    this.#phase = "read";
    this.#resumeSocket = resume;
    const body = new ResponseBody(this);
    this.#body = body;
    const extensions: Record<string, unknown> = { http_version: this.#context.httpVersion(this.#origin) };
    if (statusText !== "") extensions["reason_phrase"] = statusText;
    let response: Response;
    try {
      response = new Response(statusCode, {
        headers: toHeaderPairs(rawHeaders),
        stream: body,
        extensions,
        request: this.#request,
      });
    } catch (error) {
      this.#body = null;
      this.#fail(toFerryError(error, this.#request, "read"));
      return false;
    }
    this.#resolve(response);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.#body === null ? true : this.#body.push(chunk);
  }

  onComplete(): void {
    this.#body?.end();
    this.#context.requestDone();
  }

  onError(error: Error): void {
    clearTimeout(this.#poolTimer);
    this.#context.requestDone();
    if (this.#failed !== null) return;
    this.#failed = toFerryError(error, this.#request, this.#phase);
    if (this.#body === null) this.#reject(this.#failed);
    else this.#body.fail(this.#failed);
  }

  resume(): void {
    this.#resumeSocket?.();
  }

  cancel(): void {
    if (this.#failed !== null) return;
    this.#failed = new Error("The response body was closed before it was read to the end");
    this.#abort?.(this.#failed);
  }
}

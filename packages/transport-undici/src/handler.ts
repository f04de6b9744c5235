/**
 * The undici dispatch handler of one request: it turns undici's callbacks into a Ferry `Response` with a streaming
 * body, times every wait of the request but connecting, and maps every failure with `toFerryError`.
 *
 * @module
 */
import { type Request, Response, type TimeoutExtension } from "@ferry/core";
import type { Dispatcher } from "undici";
import { type BodySource, ResponseBody, type WriteWatcher } from "./bodies.js";
import { Countdown, type Countdowns, type Timed } from "./countdowns.js";
import { type Phase, toFerryError } from "./errors.js";
import { toHeaderPairs } from "./header-decoding.js";
import { timeoutError, type Wait } from "./timeouts.js";

/** What a handler asks of its transport. */
export interface HandlerContext {
  /** Connection attempts under way in the transport. */
  readonly connecting: number;
  /** The HTTP version of the response to a request dispatched to `origin`. */
  httpVersion(origin: string): string;
  /** Called when a request is over (its body received, or failed): its connection may now be idle. */
  requestDone(): void;
  /** The transport's timer for the timeouts of its requests. */
  readonly countdowns: Countdowns;
}

type Abort = (reason?: Error) => void;

/**
 * Receives one request's events from undici (its callback-style handler API, the one undici runs natively). The
 * promise settles with the response when the headers arrive; the body then streams through {@link ResponseBody}.
 *
 * `agent.dispatch` with this handler rather than `agent.request`: on loopback, a small GET costs about 45 µs through
 * `dispatch` with a bare handler against 60-70 µs through `request`, which wraps the body in a Node `Readable` and
 * builds a header object that Ferry would only turn back into pairs.
 *
 * Every timeout but the connect timeout (the connector's, per connection) is one {@link Countdown} per request,
 * restarted as the request moves on and as each body chunk arrives, stopped once the request is over; the
 * transport's {@link Countdowns} expire them all on one native timer. undici's own headers and body timers are
 * off: they tick every half second, so a 100 ms timeout fired about a second late.
 */
export class DispatchHandler implements Dispatcher.DispatchHandler, BodySource, WriteWatcher, Timed {
  readonly promise: Promise<Response>;
  #resolve!: (response: Response) => void;
  #reject!: (error: unknown) => void;
  readonly #request: Request;
  readonly #context: HandlerContext;
  readonly #origin: string;
  readonly #timeout: TimeoutExtension;
  #phase: Phase = "connect";
  #abort: Abort | null = null;
  #resumeSocket: (() => void) | null = null;
  #body: ResponseBody | null = null;
  /** Set once the promise has settled with an error: later events are ignored and a late connection aborted. */
  #failed: Error | null = null;
  /** The request's timeout, made when first needed. */
  #countdown: Countdown | null = null;
  /** What the countdown is timing; null while nothing is (it is then stopped, or ignored if it expires). */
  #waiting: Wait | null = null;
  /** The pool wait was extended by the connect timeout, for a connection being opened. */
  #poolExtended = false;
  /** The request is over: the timer is cleared for good. */
  #over = false;

  constructor(request: Request, context: HandlerContext, origin: string, timeout: TimeoutExtension) {
    this.#request = request;
    this.#context = context;
    this.#origin = origin;
    this.#timeout = timeout;
    this.promise = new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#time("pool", timeout.pool);
  }

  /** Times `wait` for `ms` milliseconds from now. */
  #time(wait: Wait, ms: number | null): void {
    if (ms === null || this.#over) {
      this.#waiting = null;
      if (this.#countdown !== null) this.#context.countdowns.stop(this.#countdown);
      return;
    }
    this.#waiting = wait;
    this.#countdown ??= new Countdown(this);
    this.#context.countdowns.start(this.#countdown, ms);
  }

  #stopTimer(): void {
    this.#over = true;
    this.#waiting = null;
    if (this.#countdown !== null) this.#context.countdowns.stop(this.#countdown);
  }

  /** The request's countdown ran out: raises the timeout of what it was timing, if anything. */
  timedOut(): void {
    const wait = this.#waiting;
    if (wait === null || this.#failed !== null) return;
    this.#waiting = null;
    let extra: number | null = null;
    if (wait === "pool") {
      // A connection being opened may be the one this request waits for: give it its connect timeout to finish.
      if (this.#context.connecting > 0 && !this.#poolExtended) {
        this.#poolExtended = true;
        this.#time("pool", this.#timeout.connect);
        return;
      }
      if (this.#poolExtended) extra = this.#timeout.connect;
    }
    const budget =
      wait === "pool" ? this.#timeout.pool : wait === "write" ? this.#timeout.write : this.#timeout.read;
    this.#fail(timeoutError(wait, budget ?? 0, this.#request, extra));
  }

  /** A chunk of the request body was handed to undici: the socket must take it within the write timeout. */
  chunkSent(): void {
    if (this.#phase === "write") this.#time("write", this.#timeout.write);
  }

  /** The next chunk of the request body is being produced: a slow producer is not timed. */
  chunkWanted(): void {
    if (this.#waiting === "write") this.#waiting = null;
  }

  #fail(error: Error): void {
    if (this.#failed !== null) return;
    this.#failed = error;
    this.#stopTimer();
    if (this.#body === null) this.#reject(error);
    else this.#body.fail(error);
    // A request still queued in undici is aborted as soon as it gets a connection (see onConnect).
    if (this.#abort !== null) this.#abort(error);
  }

  onConnect(abort: Abort): void {
    if (this.#failed !== null) {
      abort(this.#failed);
      return;
    }
    this.#abort = abort;
    this.#phase = "write";
    this.#waiting = null;
  }

  onRequestSent(): void {
    this.#phase = "read";
    if (this.#body === null) this.#time("headers", this.#timeout.read);
  }

  onHeaders(
    statusCode: number,
    rawHeaders: Buffer[] | string[],
    resume: () => void,
    statusText: string,
  ): boolean {
    if (statusCode < 200) return true;
    this.#phase = "read";
    this.#time("body", this.#timeout.read);
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
    const body = this.#body;
    if (body === null) return true;
    if (!body.push(chunk)) {
      // The reader is behind and undici stops reading the socket: a wait of Ferry's own, not timed.
      this.#waiting = null;
      return false;
    }
    if (this.#waiting !== null) this.#time("chunk", this.#timeout.read);
    return true;
  }

  onComplete(): void {
    this.#stopTimer();
    this.#body?.end();
    this.#context.requestDone();
  }

  onError(error: Error): void {
    this.#stopTimer();
    this.#context.requestDone();
    if (this.#failed !== null) return;
    this.#failed = toFerryError(error, this.#request, this.#phase);
    if (this.#body === null) this.#reject(this.#failed);
    else this.#body.fail(this.#failed);
  }

  resume(): void {
    this.#time("chunk", this.#timeout.read);
    this.#resumeSocket?.();
  }

  cancel(): void {
    if (this.#failed !== null) return;
    this.#stopTimer();
    this.#failed = new Error("The response body was closed before it was read to the end");
    this.#abort?.(this.#failed);
  }
}

/**
 * One request/response exchange over `fetch`: the phase it is in, the timer of that phase, and the abort signal
 * that cancels the exchange when a timer expires.
 *
 * `fetch` reports no connection events, so the phases are inferred from what the transport can see:
 *
 * | phase      | from                                  | until                          | timeout       |
 * | ---------- | ------------------------------------- | ------------------------------ | ------------- |
 * | `connect`  | `fetch` called with a streamed body   | `fetch` pulls the first chunk  | ConnectTimeout (connect) |
 * | `write`    | a body chunk handed to `fetch`        | `fetch` pulls the next one     | WriteTimeout (write)     |
 * | `response` | the streamed body ended               | the response headers           | ReadTimeout (read)       |
 * | `exchange` | `fetch` called with a buffered body   | the response headers           | ReadTimeout (connect + read) |
 * | `body`     | a response body chunk requested       | that chunk arrives             | ReadTimeout (read)       |
 *
 * With a buffered body (or none) `fetch` gives no sign of when the connection is made, so the connect and read
 * budgets are added together and an expiry is reported as `ReadTimeout`.
 *
 * An abort signal is costly for `fetch` to follow (Node's follows each one with a weak reference, a finalizer and
 * a listener, several times the cost of the exchange's own bookkeeping), so an exchange only makes one when a
 * timer could need to stop `fetch` before the response headers. Once the response has arrived, cancelling its body
 * stops the exchange in every runtime.
 *
 * @module
 */

import type { Request, TimeoutExtension } from "@ferry/core";
import { ConnectTimeout, ReadTimeout, type TimeoutException, WriteTimeout } from "@ferry/core";

/** The phase an exchange is in, as far as `fetch` lets the transport tell. */
export type Phase = "connect" | "write" | "response" | "exchange" | "body";

type TimeoutClass = new (message: string, options: { request: Request; cause?: unknown }) => TimeoutException;

const TIMEOUT_CLASS: Record<Phase, TimeoutClass> = {
  connect: ConnectTimeout,
  write: WriteTimeout,
  response: ReadTimeout,
  exchange: ReadTimeout,
  body: ReadTimeout,
};

const WAITING_FOR: Record<Phase, string> = {
  connect: "connecting to",
  write: "sending the request body to",
  response: "waiting for the response from",
  exchange: "waiting for the response from",
  body: "reading the response body from",
};

const NO_TIMEOUTS: TimeoutExtension = { connect: null, read: null, write: null, pool: null };

function isTimeoutExtension(value: unknown): value is TimeoutExtension {
  return value !== null && typeof value === "object" && "connect" in value && "read" in value;
}

/** State of one request sent through `fetch`. */
export class Exchange {
  readonly request: Request;
  readonly #timeouts: TimeoutExtension;
  #controller: AbortController | undefined;
  #phase: Phase = "connect";
  /** When the current phase runs out of time, on the `performance.now()` clock; infinite while none is counted. */
  #deadline = Number.POSITIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires; infinite while it is not set. */
  #firesAt = Number.POSITIVE_INFINITY;
  #expired: Phase | undefined;
  #aborted = false;
  #abortReason: unknown;
  /** Rejects the promise `wait()` returned last; calling it once that promise has settled does nothing. */
  #interrupt: ((reason: unknown) => void) | undefined;
  #onTimer: (() => void) | undefined;

  constructor(request: Request) {
    this.request = request;
    const timeout = request.extensions["timeout"];
    this.#timeouts = isTimeoutExtension(timeout) ? timeout : NO_TIMEOUTS;
  }

  /** The current phase; errors that carry no better clue are classified by it. */
  get phase(): Phase {
    return this.#phase;
  }

  /** The phase whose timer expired, if one did. */
  get expired(): Phase | undefined {
    return this.#expired;
  }

  /**
   * The signal to give `fetch`, or `undefined` when no timer of the phases before the response headers can
   * expire: then nothing needs to stop `fetch` before its response arrives.
   */
  signal(streamedBody: boolean): AbortSignal | undefined {
    const { connect, read, write } = this.#timeouts;
    const needed = streamedBody ? connect !== null || write !== null || read !== null : read !== null;
    if (!needed) return undefined;
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /**
   * Enters `phase` and starts counting its budget. The timer is set again only when the new deadline comes before it
   * fires; one that fires before the deadline then counted is set again for the rest. Reading a body chunk by chunk
   * thus moves a deadline rather than setting a timer per chunk.
   */
  enter(phase: Phase): void {
    this.#phase = phase;
    if (this.#expired !== undefined) return;
    const ms = this.#budget(phase);
    if (ms === null) {
      this.#deadline = Number.POSITIVE_INFINITY;
      return;
    }
    const now = performance.now();
    this.#deadline = now + ms;
    if (this.#firesAt > this.#deadline) {
      // Never set for longer than the read budget: the timers of all exchanges then share one length, which a
      // runtime like Node keeps in one list, rather than a list of their own made and dropped for each exchange.
      const read = this.#timeouts.read;
      this.#arm(now, read !== null && read < ms ? read : ms);
    }
  }

  /** Stops counting without leaving the phase (while the source of a streamed body produces a chunk). */
  pause(): void {
    this.#deadline = Number.POSITIVE_INFINITY;
  }

  /** Stops counting and clears the timer while the caller holds the response and may not read its body for long. */
  idle(): void {
    this.finish();
  }

  /** Ends the exchange: clears the timer. Called when the body is done, closed or failed. */
  finish(): void {
    this.#deadline = Number.POSITIVE_INFINITY;
    if (this.#timer !== undefined) this.#clearTimer();
  }

  /** Aborts the exchange, e.g. when the response body is closed before its end. */
  abort(): void {
    this.#deadline = Number.POSITIVE_INFINITY;
    if (this.#timer !== undefined) this.#clearTimer();
    if (!this.#aborted) this.#abort(new DOMException("The response was closed.", "AbortError"));
  }

  /**
   * Waits for `promise`, or rejects as soon as the exchange is aborted (a runtime may not cancel it itself). When
   * no timer runs and none can start (the exchange has no signal), only the caller can end the wait, by cancelling
   * what it waits for, and `promise` is returned as it is.
   */
  wait<T>(promise: Promise<T>): Promise<T> {
    if (this.#aborted) return Promise.reject(this.#abortReason);
    if (this.#timer === undefined && this.#controller === undefined) return promise;
    return new Promise<T>((resolve, reject) => {
      this.#interrupt = reject;
      promise.then(resolve, reject);
    });
  }

  /** The timeout error of the phase that expired. */
  timeoutError(phase: Phase, cause: unknown): TimeoutException {
    const ms = this.#budget(phase);
    const message = `Timed out ${WAITING_FOR[phase]} ${this.request.url} (after ${ms} ms).`;
    return new TIMEOUT_CLASS[phase](message, { request: this.request, cause });
  }

  #budget(phase: Phase): number | null {
    const { connect, read, write } = this.#timeouts;
    switch (phase) {
      case "connect":
        return connect;
      case "write":
        return write;
      case "exchange":
        return read === null ? null : read + (connect ?? 0);
      default:
        return read;
    }
  }

  #arm(now: number, delay: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#firesAt = now + delay;
    this.#onTimer ??= () => this.#fire();
    this.#timer = setTimeout(this.#onTimer, delay);
  }

  #fire(): void {
    this.#timer = undefined;
    this.#firesAt = Number.POSITIVE_INFINITY;
    const deadline = this.#deadline;
    if (deadline === Number.POSITIVE_INFINITY) return;
    const now = performance.now();
    // A runtime's timers may fire a little before `performance.now()` says the delay has passed.
    if (deadline > now) this.#arm(now, Math.max(1, Math.ceil(deadline - now)));
    else this.#expire();
  }

  #expire(): void {
    this.#deadline = Number.POSITIVE_INFINITY;
    this.#expired = this.#phase;
    if (!this.#aborted) this.#abort(new DOMException(`The ${this.#phase} phase timed out.`, "TimeoutError"));
  }

  #abort(reason: unknown): void {
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    const interrupt = this.#interrupt;
    this.#interrupt = undefined;
    interrupt?.(reason);
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#firesAt = Number.POSITIVE_INFINITY;
  }
}

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
  readonly controller = new AbortController();
  readonly #timeouts: TimeoutExtension;
  #phase: Phase = "connect";
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expired: Phase | undefined;

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

  /** Enters `phase` and starts its timer, replacing the previous phase's timer. */
  enter(phase: Phase): void {
    this.#phase = phase;
    this.#clearTimer();
    if (this.#expired !== undefined) return;
    const ms = this.#budget(phase);
    if (ms !== null) this.#timer = setTimeout(() => this.#expire(phase), ms);
  }

  /** Stops the timer without leaving the phase (while the source of a streamed body produces a chunk). */
  pause(): void {
    this.#clearTimer();
  }

  /** Ends the exchange: clears the timer. Called when the body is done, closed or failed. */
  finish(): void {
    this.#clearTimer();
  }

  /** Aborts the exchange, e.g. when the response body is closed before its end. */
  abort(): void {
    this.#clearTimer();
    if (!this.controller.signal.aborted)
      this.controller.abort(new DOMException("The response was closed.", "AbortError"));
  }

  /** Waits for `promise`, or rejects as soon as the exchange is aborted (a runtime may not cancel it itself). */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return Promise.race([promise, aborted]).finally(() => signal.removeEventListener("abort", onAbort!));
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

  #expire(phase: Phase): void {
    this.#timer = undefined;
    this.#expired = phase;
    this.controller.abort(new DOMException(`The ${phase} phase timed out.`, "TimeoutError"));
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

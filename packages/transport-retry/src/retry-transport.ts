/**
 * The transport that retries: sends through another transport, and sends again while the policy says so.
 *
 * @module
 */
import { BaseTransport, BytesStream, type Request, type Response } from "@ferry/core";
import { Retry } from "./retry.js";

/** Options of {@link RetryTransport}. */
export interface RetryTransportOptions {
  /** The transport that sends each attempt. */
  transport: BaseTransport;
  /** The retry policy; `new Retry()` (ten retries, no backoff) by default. */
  retry?: Retry | undefined;
}

const CLOSED = "Cannot send a request, as the transport has been closed.";

/**
 * A transport that retries requests through another one, as httpx-retries' `RetryTransport` does: a response with a
 * status in `retry.statusForcelist`, or an error in `retry.retryOnExceptions`, is retried for methods in
 * `retry.allowedMethods`, after the backoff or the `Retry-After` wait, until `retry.total` retries are spent. The
 * response finally returned says how many attempts it took in `extensions.attempts`.
 *
 * A request whose body is a one-shot stream (an async iterable, a `ReadableStream`) is sent once, never replayed:
 * its bytes are gone after the first attempt, and buffering every upload in case it must be re-sent would cost its
 * size in memory. Read such a body first (`await request.read()`) to make it retryable.
 *
 * Closing the transport ends any wait between attempts at once, and closes the wrapped transport.
 *
 * ```ts
 * const client = new Client({
 *   transport: new RetryTransport({ transport: new UndiciTransport(), retry: new Retry({ total: 3, backoffFactor: 250 }) }),
 * });
 * ```
 */
export class RetryTransport extends BaseTransport {
  /** The transport that sends each attempt. */
  readonly transport: BaseTransport;
  /** The retry policy. */
  readonly retry: Retry;
  readonly #closing = new AbortController();

  constructor(options: RetryTransportOptions) {
    super();
    if (typeof options !== "object" || options === null || !(options.transport instanceof BaseTransport)) {
      throw new TypeError("RetryTransport needs { transport }: the BaseTransport that sends each attempt.");
    }
    const retry = options.retry ?? new Retry();
    if (!(retry instanceof Retry)) {
      throw new TypeError(`RetryTransport option 'retry' must be a Retry, got ${typeof retry}.`);
    }
    this.transport = options.transport;
    this.retry = retry;
  }

  /** Sends `request`, retrying as the policy allows; resolves with the last response or rejects with the last error. */
  override async handleRequest(request: Request): Promise<Response> {
    if (this.#closing.signal.aborted) throw new Error(CLOSED);
    const retry = this.retry;
    const replayable = retry.total > 0 && retry.isRetryableMethod(request.method) && isReplayable(request);
    for (let attempt = 1; ; attempt++) {
      const last = !replayable || attempt > retry.total;
      let response: Response;
      try {
        response = await this.transport.handleRequest(request);
      } catch (error) {
        if (last || !retry.isRetryableError(error)) throw error;
        await this.#wait(retry.delay(attempt), request);
        continue;
      }
      if (last || !retry.isRetryableStatusCode(response.statusCode)) {
        response.extensions["attempts"] = attempt;
        return response;
      }
      const wait = retry.delay(attempt, response.headers);
      // The body is not wanted: closing it now hands the connection back before the wait.
      await response.close();
      await this.#wait(wait, request);
    }
  }

  /** Waits `ms` milliseconds, or until the transport is closed. */
  #wait(ms: number, request: Request): Promise<void> {
    const signal = this.#closing.signal;
    return new Promise((resolve, reject) => {
      const closed = (): void => {
        clearTimeout(timer);
        reject(
          new Error(`The transport was closed while waiting to retry ${request.method} ${request.url}.`),
        );
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", closed);
        resolve();
      }, ms);
      if (signal.aborted) closed();
      else signal.addEventListener("abort", closed, { once: true });
    });
  }

  /** Ends every wait between attempts, refuses further requests, and closes the wrapped transport. */
  override async close(): Promise<void> {
    this.#closing.abort();
    await this.transport.close();
  }
}

/** Whether the body of `request` can be sent again: held in memory, not a one-shot stream. */
function isReplayable(request: Request): boolean {
  return request.stream instanceof BytesStream;
}

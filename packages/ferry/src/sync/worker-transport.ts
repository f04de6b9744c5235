/**
 * The blocking transport of a `SyncClient` on Node: requests are sent by an async transport (`UndiciTransport`)
 * that lives on a worker thread, while the calling thread waits.
 *
 * @module
 */
import {
  BaseTransport,
  type BlockingTransport,
  type Request,
  Response,
  type TransportFactoryOptions,
} from "@ferry/core";
import type { WorkerChannel } from "./channel.js";
import { Exchange, ExchangeStream } from "./exchange.js";
import { toWireOptions } from "./network-options.js";

/**
 * A transport whose requests go to a worker thread: `handleRequestSync()` blocks until the response head is in,
 * and the returned response's body is read from the worker as it is iterated. Built by `ferry` for each
 * `SyncClient`; the transports of one client share its worker.
 */
export class WorkerTransport extends BaseTransport implements BlockingTransport {
  readonly #channel: WorkerChannel;
  readonly #id: number;
  #closed = false;

  /**
   * A transport on `channel`'s worker, which builds its network transport from `options` on the first request.
   *
   * @throws TypeError when an option cannot be sent to another thread (a function in `verify`'s TLS options).
   */
  constructor(channel: WorkerChannel, options: TransportFactoryOptions) {
    super();
    const wire = toWireOptions(options);
    try {
      structuredClone(wire);
    } catch (error) {
      throw new TypeError(
        "A SyncClient's network options must be plain data (strings, numbers, booleans, buffers) to reach its " +
          `worker thread: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    this.#channel = channel;
    this.#id = channel.addTransport(wire);
  }

  /**
   * Not available: this transport blocks, so it serves a `SyncClient` only.
   *
   * @throws TypeError always.
   */
  override handleRequest(_request: Request): Promise<Response> {
    return Promise.reject(
      new TypeError("A WorkerTransport blocks the calling thread: use it from a SyncClient, not a Client."),
    );
  }

  /** Sends `request` from the worker thread and returns its response once the head is in. */
  handleRequestSync(request: Request): Response {
    if (this.#closed) throw new Error("Cannot send a request, as the transport has been closed.");
    const exchange = new Exchange(this.#channel, this.#id, request);
    const head = exchange.head();
    return new Response(head.status, {
      headers: head.headers,
      stream: new ExchangeStream(exchange),
      extensions: head.extensions,
      request,
    });
  }

  /** Closes the transport in the worker; closing the client's last transport ends its worker thread. */
  closeSync(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.closeTransport(this.#id);
  }

  override async close(): Promise<void> {
    this.closeSync();
  }
}

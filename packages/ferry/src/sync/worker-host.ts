/**
 * The worker thread's side of a `SyncClient`: it owns the client's async transports, sends each request it is
 * given, and streams the response back within a window of unacknowledged bytes.
 *
 * @module
 */
import type { MessagePort } from "node:worker_threads";
import {
  type AsyncByteStream,
  type BaseTransport,
  type ByteStream,
  BytesStream,
  Request,
  type TransportFactoryOptions,
} from "@ferry/core";
import { fromWireError, toWireError } from "./errors.js";
import { fromWireOptions } from "./network-options.js";
import {
  type FromWorker,
  RESPONSE_WINDOW,
  type RequestMessage,
  SIGNAL,
  type ToWorker,
  transferableCopy,
  type WorkerData,
} from "./protocol.js";

/** Builds a transport in the worker from a client's network options. */
export type WorkerTransportFactory = (options: TransportFactoryOptions) => BaseTransport;

/** Posts to the calling thread. */
type Post = (message: FromWorker, transfer?: ArrayBuffer[]) => void;

/**
 * What the worker posts in one turn of its event loop, sent as one batch with one wake-up of the calling thread:
 * a small response's head, body and end usually arrive together.
 */
class Outbox {
  readonly #port: MessagePort;
  readonly #signal: Int32Array;
  #messages: FromWorker[] = [];
  #transfer: ArrayBuffer[] = [];
  #scheduled = false;

  constructor(port: MessagePort, signal: Int32Array) {
    this.#port = port;
    this.#signal = signal;
  }

  readonly post: Post = (message, transfer) => {
    this.#messages.push(message);
    if (transfer !== undefined) this.#transfer.push(...transfer);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.flush);
    }
  };

  /** Sends the batch now and wakes the calling thread. */
  readonly flush = (): void => {
    this.#scheduled = false;
    if (this.#messages.length === 0) return;
    const [messages, transfer] = [this.#messages, this.#transfer];
    this.#messages = [];
    this.#transfer = [];
    this.#port.postMessage(messages, transfer);
    Atomics.add(this.#signal, SIGNAL.posted, 1);
    Atomics.notify(this.#signal, SIGNAL.posted);
  };
}

/** A request body pulled from the calling thread chunk by chunk, as the transport asks for it. */
class PulledBody implements AsyncByteStream {
  readonly #id: number;
  readonly #post: Post;
  #waiting: { resolve(chunk: Uint8Array | null): void; reject(error: unknown): void } | null = null;

  constructor(id: number, post: Post) {
    this.#id = id;
    this.#post = post;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = await new Promise<Uint8Array | null>((resolve, reject) => {
        this.#waiting = { resolve, reject };
        this.#post({ type: "pull", id: this.#id });
      });
      if (chunk === null) return;
      yield chunk;
    }
  }

  /** Hands over the next chunk from the calling thread (`null` at the end). */
  supply(chunk: Uint8Array | null): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.resolve(chunk);
  }

  /** Fails the body with the error the calling thread's iterator raised. */
  fail(error: unknown): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.reject(error);
  }
}

/** One exchange in the worker: the request sent, then its response streamed back. */
class WorkerExchange {
  readonly #id: number;
  readonly #post: Post;
  readonly body: PulledBody | null;
  #stream: ByteStream | null = null;
  #unacknowledged = 0;
  #resume: (() => void) | null = null;
  #cancelled = false;

  constructor(message: RequestMessage, post: Post) {
    this.#id = message.id;
    this.#post = post;
    this.body = message.body === "stream" ? new PulledBody(message.id, post) : null;
  }

  /** Sends the request through `transport` and streams the response back until it ends or is cancelled. */
  async run(message: RequestMessage, transport: BaseTransport): Promise<void> {
    const id = this.#id;
    let stream: AsyncIterable<Uint8Array>;
    try {
      const response = await transport.handleRequest(this.#request(message));
      this.#stream = response.stream;
      stream = response.stream as AsyncIterable<Uint8Array>;
      const extensions = plainExtensions(response.extensions);
      this.#post({
        type: "head",
        id,
        status: response.statusCode,
        headers: response.headers.raw,
        extensions,
      });
    } catch (error) {
      this.#post({ type: "error", id, error: toWireError(error) });
      return;
    }
    try {
      for await (const chunk of stream) {
        if (this.#cancelled) return;
        if (chunk.byteLength > 0) await this.#send(chunk);
        if (this.#cancelled) return;
      }
      if (!this.#cancelled) this.#post({ type: "end", id });
    } catch (error) {
      if (!this.#cancelled) this.#post({ type: "error", id, error: toWireError(error) });
    }
  }

  #request(message: RequestMessage): Request {
    const { body, timeout } = message;
    const stream = this.body ?? new BytesStream(body instanceof Uint8Array ? body : undefined);
    return new Request(message.method, message.url, {
      headers: message.headers,
      stream,
      extensions: timeout === undefined ? {} : { timeout },
    });
  }

  async #send(chunk: Uint8Array): Promise<void> {
    const copy = transferableCopy(chunk);
    this.#post({ type: "chunk", id: this.#id, chunk: copy }, [copy.buffer as ArrayBuffer]);
    this.#unacknowledged += copy.byteLength;
    if (this.#unacknowledged >= RESPONSE_WINDOW) {
      await new Promise<void>((resolve) => {
        this.#resume = resolve;
      });
    }
  }

  /** The calling thread has read `bytes` more. */
  credit(bytes: number): void {
    this.#unacknowledged -= bytes;
    if (this.#unacknowledged < RESPONSE_WINDOW) this.#wake();
  }

  /** The calling thread closed the response: stop reading and release the connection. */
  cancel(): void {
    this.#cancelled = true;
    this.#wake();
    this.body?.fail(new Error("The request was cancelled."));
    const close = this.#stream?.close?.();
    if (close instanceof Promise) close.catch(() => {});
  }

  #wake(): void {
    const resume = this.#resume;
    this.#resume = null;
    resume?.();
  }
}

/** The response extensions that can cross threads as they are (`http_version`, `reason_phrase`...). */
function plainExtensions(extensions: Record<string, unknown>): Record<string, string | number | boolean> {
  const plain: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(extensions)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      plain[key] = value;
  }
  return plain;
}

/**
 * Serves the calling thread of `data`: builds transports with `create` as they are opened, runs each exchange,
 * and answers `close` and `shutdown`.
 */
export function serve(data: WorkerData, create: WorkerTransportFactory): void {
  const { port, signal } = data;
  const outbox = new Outbox(port, signal);
  const host = new Host(port, outbox, create);
  port.on("message", (message: ToWorker) => host.handle(message));
  process.on("uncaughtException", (error) => {
    outbox.post({ type: "fatal", error: toWireError(error) });
    outbox.flush();
    process.exit(1);
  });
}

class Host {
  readonly #port: MessagePort;
  readonly #outbox: Outbox;
  readonly #post: Post;
  readonly #create: WorkerTransportFactory;
  readonly #transports = new Map<number, BaseTransport | { readonly error: unknown }>();
  readonly #exchanges = new Map<number, WorkerExchange>();

  constructor(port: MessagePort, outbox: Outbox, create: WorkerTransportFactory) {
    this.#port = port;
    this.#outbox = outbox;
    this.#post = outbox.post;
    this.#create = create;
  }

  handle(message: ToWorker): void {
    switch (message.type) {
      case "open":
        this.#open(message.transport, message);
        return;
      case "request":
        this.#request(message);
        return;
      case "body":
        this.#exchanges.get(message.id)?.body?.supply(message.chunk);
        return;
      case "body-error":
        this.#exchanges.get(message.id)?.body?.fail(fromWireError(message.error, undefined));
        return;
      case "credit":
        this.#exchanges.get(message.id)?.credit(message.bytes);
        return;
      case "cancel":
        this.#exchanges.get(message.id)?.cancel();
        return;
      case "close":
        void this.#close(message.transport);
        return;
      case "shutdown":
        void this.#shutdown();
        return;
      case "ping":
        return;
    }
  }

  #open(id: number, message: Extract<ToWorker, { type: "open" }>): void {
    try {
      this.#transports.set(id, this.#create(fromWireOptions(message.options)));
    } catch (error) {
      this.#transports.set(id, { error });
    }
  }

  #request(message: RequestMessage): void {
    const transport = this.#transports.get(message.transport);
    if (transport === undefined || !("handleRequest" in transport)) {
      const error = transport?.error ?? new Error(`No transport ${message.transport} in the worker thread.`);
      this.#post({ type: "error", id: message.id, error: toWireError(error) });
      return;
    }
    const exchange = new WorkerExchange(message, this.#post);
    this.#exchanges.set(message.id, exchange);
    void exchange.run(message, transport).finally(() => this.#exchanges.delete(message.id));
  }

  async #closeTransport(id: number): Promise<unknown> {
    const transport = this.#transports.get(id);
    this.#transports.delete(id);
    if (transport === undefined || !("handleRequest" in transport)) return null;
    try {
      await transport.close();
      return null;
    } catch (error) {
      return error;
    }
  }

  async #close(id: number): Promise<void> {
    const error = await this.#closeTransport(id);
    this.#post({ type: "closed", transport: id, error: error === null ? null : toWireError(error) });
  }

  async #shutdown(): Promise<void> {
    for (const exchange of this.#exchanges.values()) exchange.cancel();
    const errors = await Promise.all([...this.#transports.keys()].map((id) => this.#closeTransport(id)));
    const error = errors.find((failure) => failure !== null) ?? null;
    this.#post({ type: "closed", transport: -1, error: error === null ? null : toWireError(error) });
    this.#outbox.flush();
    this.#port.close();
  }
}

/**
 * One request and its response, seen from the calling thread: the request goes to the worker, the response head
 * and body chunks come back, and the body is read on demand by a synchronous stream.
 *
 * @module
 */
import { BytesStream, isSyncByteStream, type Request, type SyncByteStream } from "@ferry/core";
import type { Inbox, Posting, WorkerChannel } from "./channel.js";
import { fromWireError, toWireError } from "./errors.js";
import {
  CREDIT_THRESHOLD,
  type FromWorker,
  RESPONSE_WINDOW,
  type RequestMessage,
  transferableCopy,
} from "./protocol.js";

/** The response head, as the worker sent it. */
export type Head = Extract<FromWorker, { type: "head" }>;

/**
 * The request body: inline bytes (copied into each request message, whose buffer is transferred), or the iterator
 * of a streamed body, pulled by the worker chunk by chunk.
 */
function requestBody(request: Request): Uint8Array | Iterator<Uint8Array> | null {
  const stream = request.stream;
  if (stream instanceof BytesStream) return stream.content.byteLength === 0 ? null : stream.content;
  if (!isSyncByteStream(stream)) {
    throw new TypeError(
      "A SyncClient cannot send this request body: it can only be read asynchronously (an async iterable or a " +
        "ReadableStream). Give the body as bytes, a string or a synchronous iterable of Uint8Array.",
    );
  }
  return stream[Symbol.iterator]();
}

/** An exchange in the calling thread: the inbox of its messages and the source of its response body. */
export class Exchange implements Inbox {
  readonly #channel: WorkerChannel;
  readonly #request: Request;
  readonly #id: number;
  #upload: Iterator<Uint8Array> | null = null;
  #uploadError: { readonly error: unknown } | null = null;
  #head: Head | null = null;
  #error: Error | null = null;
  #chunks: Uint8Array[] = [];
  #ended = false;
  #finished = false;
  /** Bytes received, and bytes acknowledged to the worker: their difference is what it thinks is unread. */
  #received = 0;
  #credited = 0;
  #read = 0;

  /** Posts `request` to transport `transport` of `channel`. */
  constructor(channel: WorkerChannel, transport: number, request: Request) {
    const body = requestBody(request);
    this.#channel = channel;
    this.#request = request;
    this.#upload = body instanceof Uint8Array || body === null ? null : body;
    const timeout = request.extensions["timeout"] as RequestMessage["timeout"];
    const url = String(request.url);
    this.#id = channel.startExchange(this, (id): Posting<RequestMessage> => {
      const bytes = body instanceof Uint8Array ? transferableCopy(body) : null;
      const message: RequestMessage = {
        type: "request",
        id,
        transport,
        method: request.method,
        url,
        headers: request.headers.raw,
        body: bytes ?? (body === null ? null : "stream"),
        timeout,
      };
      return [message, bytes === null ? [] : [bytes.buffer as ArrayBuffer]];
    });
  }

  /** Blocks until the response head is in and returns it. */
  head(): Head {
    this.#channel.waitUntil(() => this.#head !== null || this.#error !== null);
    if (this.#head === null) throw this.#failure();
    return this.#head;
  }

  deliver(message: FromWorker): void {
    switch (message.type) {
      case "head":
        this.#head = message;
        return;
      case "chunk":
        this.#chunks.push(message.chunk);
        this.#received += message.chunk.byteLength;
        return;
      case "end":
        this.#ended = true;
        return;
      case "error":
        this.#error = fromWireError(message.error, this.#request);
        return;
      case "pull":
        this.#sendBodyChunk();
        return;
    }
  }

  abandon(failure: (request: Request) => Error): void {
    this.#error ??= failure(this.#request);
  }

  /** Sends the worker the next chunk of a streamed request body. */
  #sendBodyChunk(): void {
    const upload = this.#upload;
    if (upload === null) return;
    let next: IteratorResult<Uint8Array>;
    try {
      next = upload.next();
    } catch (error) {
      this.#upload = null;
      this.#uploadError = { error };
      this.#channel.post({ type: "body-error", id: this.#id, error: toWireError(error) });
      return;
    }
    if (next.done) {
      this.#upload = null;
      this.#channel.post({ type: "body", id: this.#id, chunk: null });
      return;
    }
    const chunk = transferableCopy(next.value);
    this.#channel.post({ type: "body", id: this.#id, chunk }, [chunk.buffer as ArrayBuffer]);
  }

  /** The error that ended the exchange: the caller's own request body error if that was the cause. */
  #failure(): unknown {
    this.#finish();
    return this.#uploadError !== null ? this.#uploadError.error : this.#error;
  }

  /** The next chunk of the response body, blocking until the worker sends it; `null` at the end. */
  next(): Uint8Array | null {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) {
        this.#read += chunk.byteLength;
        if (this.#read - this.#credited >= CREDIT_THRESHOLD) this.#credit();
        return chunk;
      }
      if (this.#error !== null) throw this.#failure();
      if (this.#ended || this.#finished) {
        this.#finish();
        return null;
      }
      // The worker stops sending once a window of bytes is unacknowledged: acknowledge before waiting for more.
      if (this.#received - this.#credited >= RESPONSE_WINDOW) this.#credit();
      this.#channel.waitUntil(() => this.#chunks.length > 0 || this.#ended || this.#error !== null);
    }
  }

  #credit(): void {
    this.#channel.post({ type: "credit", id: this.#id, bytes: this.#read - this.#credited });
    this.#credited = this.#read;
  }

  /** Stops the exchange early: the worker aborts the response and the chunks still queued are dropped. */
  cancel(): void {
    if (this.#finished) return;
    const complete = this.#ended || this.#error !== null;
    this.#finish();
    if (!complete) this.#channel.post({ type: "cancel", id: this.#id });
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#chunks = [];
    this.#channel.closeExchange(this.#id);
  }
}

/** A response body read from the worker chunk by chunk, as the reader asks for it. */
export class ExchangeStream implements SyncByteStream {
  readonly #exchange: Exchange;

  constructor(exchange: Exchange) {
    this.#exchange = exchange;
  }

  *[Symbol.iterator](): Iterator<Uint8Array> {
    for (;;) {
      const chunk = this.#exchange.next();
      if (chunk === null) return;
      yield chunk;
    }
  }

  close(): void {
    this.#exchange.cancel();
  }
}

/**
 * The body of a `fetch` response as Ferry's {@link AsyncByteStream}: read chunk by chunk as the caller asks, never
 * buffered, with the read timeout applied to each wait for a chunk.
 *
 * @module
 */
import { type AsyncByteStream, StreamConsumed } from "@ferry/core";
import { toFerryError } from "./errors.js";
import type { Exchange } from "./exchange.js";

/** A response body read from a `fetch` response's `ReadableStream`. */
export class FetchResponseStream implements AsyncByteStream {
  readonly #body: ReadableStream<Uint8Array> | null;
  readonly #exchange: Exchange;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #started = false;
  #done = false;

  constructor(body: ReadableStream<Uint8Array> | null, exchange: Exchange) {
    this.#body = body;
    this.#exchange = exchange;
    if (body === null) this.#end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#started) throw new StreamConsumed();
    this.#started = true;
    if (this.#done || this.#body === null) return;
    const reader = this.#body.getReader();
    this.#reader = reader;
    try {
      for (;;) {
        const chunk = await this.#read(reader);
        if (chunk === undefined) return;
        if (chunk.byteLength > 0) yield chunk;
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading: cancels the body if it was not read to its end, and clears the read timer. */
  async close(): Promise<void> {
    if (this.#done) return;
    this.#end();
    this.#exchange.abort();
    try {
      await (this.#reader ?? this.#body)?.cancel();
    } catch {
      // The body already failed or was aborted: there is nothing left to release.
    }
  }

  async #read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array | undefined> {
    this.#exchange.enter("body");
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await this.#exchange.race(reader.read());
    } catch (error) {
      throw toFerryError(error, this.#exchange);
    } finally {
      this.#exchange.pause();
    }
    if (result.done) {
      this.#end();
      return undefined;
    }
    return result.value;
  }

  #end(): void {
    this.#done = true;
    this.#exchange.finish();
  }
}

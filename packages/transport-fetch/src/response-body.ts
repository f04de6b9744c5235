/**
 * The body of a `fetch` response as Ferry's {@link AsyncByteStream}: read chunk by chunk as the caller asks, never
 * buffered, with the read timeout applied to each wait for a chunk.
 *
 * @module
 */
import { type AsyncByteStream, StreamConsumed } from "@ferry/core";
import { toFerryError } from "./errors.js";
import type { Exchange } from "./exchange.js";

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** The iterator of a body iterated a second time: its first step fails. */
const CONSUMED: AsyncIterator<Uint8Array> = {
  next: () => Promise.reject(new StreamConsumed()),
};

/**
 * A response body read from a `fetch` response's `ReadableStream`. It is its own iterator, and a hand-written one:
 * an async generator costs several promises more per chunk, which shows on small responses.
 */
export class FetchResponseStream implements AsyncByteStream, AsyncIterator<Uint8Array> {
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

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#started) return CONSUMED;
    this.#started = true;
    return this;
  }

  /** The next chunk that is not empty; at the end, or after `close()`, the end. */
  async next(): Promise<IteratorResult<Uint8Array>> {
    const exchange = this.#exchange;
    for (;;) {
      if (this.#done) return DONE;
      this.#reader ??= this.#body!.getReader();
      exchange.enter("body");
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await exchange.wait(this.#reader.read());
      } catch (error) {
        const ferryError = toFerryError(error, exchange);
        await this.close();
        throw ferryError;
      }
      exchange.pause();
      if (result.done) {
        this.#end();
        return DONE;
      }
      if (result.value.byteLength > 0) return result;
    }
  }

  /** Stops iterating before the end: the body is closed. */
  async return(): Promise<IteratorResult<Uint8Array>> {
    await this.close();
    return DONE;
  }

  /** Stops reading: cancels the body if it was not read to its end, and clears the read timer. */
  close(): Promise<void> | undefined {
    if (this.#done) return undefined;
    this.#end();
    this.#exchange.abort();
    return this.#cancel();
  }

  async #cancel(): Promise<void> {
    try {
      await (this.#reader ?? this.#body)?.cancel();
    } catch {
      // The body already failed or was aborted: there is nothing left to release.
    }
  }

  #end(): void {
    this.#done = true;
    this.#exchange.finish();
  }
}

/**
 * A response body that is stored as it is read.
 *
 * @module
 */
import { type AsyncByteStream, type ByteStream, isAsyncByteStream } from "@ferry/core";
import type { CacheWriter } from "./storage.js";

/**
 * Hands each chunk of `source` to the reader and to `writer`, at the reader's pace: nothing is read ahead, and the
 * body is never held twice. The entry is committed when the body ends, and discarded when it fails or is closed
 * before its end.
 */
export class StoringStream implements AsyncByteStream {
  readonly #source: ByteStream;
  readonly #writer: CacheWriter;
  #settled = false;

  constructor(source: ByteStream, writer: CacheWriter) {
    this.#source = source;
    this.#writer = writer;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    let complete = false;
    try {
      for await (const chunk of chunksOf(this.#source)) {
        if (!this.#settled) await this.#write(chunk);
        yield chunk;
      }
      complete = true;
    } finally {
      if (complete) await this.#settle(() => this.#writer.commit());
      else await this.#settle(() => this.#writer.abort());
    }
  }

  /** Stores a chunk; a storage that fails (a full disk) costs the entry, never the response. */
  async #write(chunk: Uint8Array): Promise<void> {
    try {
      await this.#writer.write(chunk);
    } catch {
      await this.#settle(() => this.#writer.abort()).catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.#settle(() => this.#writer.abort());
    await this.#source.close?.();
  }

  async #settle(action: () => Promise<void>): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    await action();
  }
}

async function* chunksOf(stream: ByteStream): AsyncGenerator<Uint8Array, void, undefined> {
  if (isAsyncByteStream(stream)) yield* stream;
  else yield* stream;
}

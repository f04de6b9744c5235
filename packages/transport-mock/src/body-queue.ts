/**
 * A response body fed by a writer and read by the Client, with backpressure: the writer is told to wait while the
 * reader is behind.
 *
 * @module
 */
import type { AsyncByteStream } from "@ferry/core";

/** How many bytes may wait unread before the writer is asked to pause. */
const HIGH_WATER_MARK = 64 * 1024;

/** A queue of body chunks, read as an async stream. */
export class BodyQueue implements AsyncByteStream {
  readonly #chunks: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #error: { reason: unknown } | null = null;
  #wakeReader: (() => void) | null = null;
  #drained: Array<() => void> = [];
  readonly #onCancel: () => void;

  /** `onCancel` runs when the reader closes the body before its end. */
  constructor(onCancel: () => void) {
    this.#onCancel = onCancel;
  }

  /** Adds a chunk; `drained` runs once the reader has caught up (at once when it is not behind). */
  push(chunk: Uint8Array, drained: () => void = () => {}): void {
    if (this.#ended) return;
    this.#chunks.push(chunk);
    this.#queued += chunk.byteLength;
    if (this.#queued < HIGH_WATER_MARK) drained();
    else this.#drained.push(drained);
    this.#wake();
  }

  /** Marks the end of the body. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** Ends the body with an error, raised to the reader after the chunks already queued. */
  fail(reason: unknown): void {
    if (this.#ended) return;
    this.#error = { reason };
    this.#ended = true;
    this.#wake();
  }

  #wake(): void {
    const wake = this.#wakeReader;
    this.#wakeReader = null;
    wake?.();
  }

  #releaseWriters(): void {
    const waiting = this.#drained;
    this.#drained = [];
    for (const drained of waiting) drained();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) {
        this.#queued -= chunk.byteLength;
        if (this.#queued < HIGH_WATER_MARK) this.#releaseWriters();
        yield chunk;
        continue;
      }
      if (this.#error !== null) throw this.#error.reason;
      if (this.#ended) return;
      this.#releaseWriters();
      await new Promise<void>((resolve) => {
        this.#wakeReader = resolve;
      });
    }
  }

  /** Stops reading: drops what is queued and tells the writer. */
  close(): void {
    if (this.#ended && this.#chunks.length === 0) return;
    this.#chunks.length = 0;
    this.#ended = true;
    this.#releaseWriters();
    // A read waiting for the next chunk ends rather than waiting for one that will not come.
    this.#wake();
    this.#onCancel();
  }
}

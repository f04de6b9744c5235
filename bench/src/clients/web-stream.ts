/**
 * Upload bodies for the `fetch`es that take no async iterable.
 *
 * @module
 */
import type { UploadSource } from "./types.js";

/** A web `ReadableStream` over an async iterable, for the `fetch`es that take no iterable body. */
export function webStream(source: UploadSource): ReadableStream<Uint8Array> {
  const iterator = source()[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

/**
 * Turns a Ferry request body into a `fetch` body: bytes in memory are passed as they are (so `fetch` sends a
 * `Content-Length`), a stream is handed over as a `ReadableStream` that `fetch` pulls chunk by chunk (sent with
 * `Transfer-Encoding: chunked`), or read into memory first where `fetch` cannot stream.
 *
 * @module
 */
import { type ByteStream, BytesStream, isAsyncByteStream, readAll } from "@ferry/core";
import type { Exchange } from "./exchange.js";

/** A request body ready for `fetch`, and what went wrong in its source if anything did. */
export interface FetchBody {
  /** What to pass as `init.body`. */
  readonly body: Uint8Array | ReadableStream<Uint8Array> | undefined;
  /** The error the body's own source threw, which is rethrown as is rather than as a network error. */
  readonly sourceError: () => unknown;
}

const NO_ERROR = (): unknown => undefined;
const NO_BODY: FetchBody = { body: undefined, sourceError: NO_ERROR };

function hasNoBody(stream: ByteStream, headers: { get(name: string): string | undefined }): boolean {
  if (stream instanceof BytesStream) return stream.content.byteLength === 0;
  return headers.get("transfer-encoding") === undefined && (headers.get("content-length") ?? "0") === "0";
}

async function bufferedBody(stream: ByteStream): Promise<FetchBody> {
  return { body: await readAll(stream), sourceError: NO_ERROR };
}

/**
 * Builds the `fetch` body of the exchange's request; `streaming` says whether `fetch` may be given a stream. Only
 * a stream that must be read into memory first makes this asynchronous: the common bodies cost no extra turn.
 */
export function toFetchBody(exchange: Exchange, streaming: boolean): FetchBody | Promise<FetchBody> {
  const { stream, headers } = exchange.request;
  if (hasNoBody(stream, headers)) return NO_BODY;
  if (stream instanceof BytesStream) return { body: stream.content, sourceError: NO_ERROR };
  if (!streaming) return bufferedBody(stream);
  return pulledBody(stream, exchange);
}

/**
 * A `ReadableStream` that reads the source only when `fetch` asks for more (high-water mark 0), so each pull tells
 * the exchange that the previous chunk went out: the first pull ends the connect phase, later ones restart the
 * write timer, and the pull after the last chunk starts the wait for the response.
 */
function pulledBody(stream: ByteStream, exchange: Exchange): FetchBody {
  const iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array> = isAsyncByteStream(stream)
    ? stream[Symbol.asyncIterator]()
    : stream[Symbol.iterator]();
  let failure: unknown;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        exchange.pause();
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (error) {
          failure = error;
          controller.error(error);
          return;
        }
        if (next.done) {
          controller.close();
          exchange.enter("response");
          return;
        }
        controller.enqueue(next.value);
        exchange.enter("write");
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  return { body, sourceError: () => failure };
}

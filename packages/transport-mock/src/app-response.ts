/**
 * The responses an {@link AppTransport} hands back: the app's own, with its body still streaming under the read
 * timeout, or a 500 that stands for an app error when `raiseAppExceptions` is off.
 *
 * @module
 */
import {
  type AsyncByteStream,
  type ByteStream,
  BytesStream,
  isAsyncByteStream,
  ReadTimeout,
  type Request,
  Response,
  type TimeoutExtension,
} from "@ferry/core";

/** The read timeout of `request` in milliseconds (its `timeout` extension, as the Client sets it), or null. */
export function readTimeout(request: Request): number | null {
  const timeout = request.extensions["timeout"] as Partial<TimeoutExtension> | undefined;
  const read = timeout?.read;
  return typeof read === "number" ? read : null;
}

/**
 * The app's response, as a transport returns one: body unread, HTTP version and reason phrase in `extensions`.
 * A streamed body gets `request`'s read timeout between its chunks.
 */
export function appResponse(
  status: number,
  reason: string,
  headers: ReadonlyArray<readonly [string, string]>,
  stream: ByteStream,
  request: Request,
): Response {
  const extensions: Record<string, unknown> = { http_version: "HTTP/1.1" };
  if (reason !== "") extensions["reason_phrase"] = reason;
  const read = readTimeout(request);
  const timed = read !== null && isAsyncByteStream(stream) && !(stream instanceof BytesStream);
  const body = timed ? timedBody(stream, read, request) : stream;
  return new Response(status, { headers, stream: body, extensions });
}

/**
 * The 500 response that stands for an error the app raised, as httpx's `raise_app_exceptions=False` gives; the
 * error itself is in `response.extensions.app_error`.
 */
export function appErrorResponse(error: unknown): Response {
  return new Response(500, { extensions: { http_version: "HTTP/1.1", app_error: error } });
}

/**
 * A body that raises `ReadTimeout` when the app sends no chunk within `ms` of the reader asking for one, as a
 * socket's read timeout would; the body is then closed, so the app sees the client hang up. Time the reader spends
 * between chunks does not count.
 */
function timedBody(stream: AsyncByteStream, ms: number, request: Request): AsyncByteStream {
  return {
    async *[Symbol.asyncIterator]() {
      const chunks = stream[Symbol.asyncIterator]();
      for (;;) {
        const step = await nextChunk(chunks, stream, ms, request);
        if (step.done) return;
        yield step.value;
      }
    },
    close: () => stream.close?.(),
  };
}

async function nextChunk(
  chunks: AsyncIterator<Uint8Array>,
  stream: AsyncByteStream,
  ms: number,
  request: Request,
): Promise<IteratorResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new ReadTimeout(`The app sent no more of its response body within ${ms} ms.`, { request }));
      closeQuietly(stream);
    }, ms);
  });
  try {
    return await Promise.race([chunks.next(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a body the reader gave up on; how the app takes that is its own affair. */
function closeQuietly(stream: AsyncByteStream): void {
  try {
    Promise.resolve(stream.close?.()).catch(() => {});
  } catch {
    // A close that throws at once has nothing more to release.
  }
}

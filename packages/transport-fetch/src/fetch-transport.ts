import { BaseTransport, LocalProtocolError, type Request, Response, UnsupportedProtocol } from "@ferry/core";
import { wasDecoded } from "./environment.js";
import { toFerryError } from "./errors.js";
import { Exchange } from "./exchange.js";
import { type FetchTransportOptions, type ResolvedFetchOptions, resolveOptions } from "./options.js";
import { toFetchBody } from "./request-body.js";
import { FetchResponseStream } from "./response-body.js";

/** Headers `fetch` computes from the URL and the body itself, and that some runtimes refuse when given. */
const FETCH_OWNED_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
]);

/**
 * A transport that sends requests with the standard `fetch`: the one for browsers, Deno, Bun, workerd and any
 * runtime with a `fetch`, and usable on Node too.
 *
 * Outside browsers Ferry's own policy applies in full: `fetch` is called with `redirect: "manual"`, so the Client
 * follows redirects, stores cookies and answers auth challenges itself. In a browser, where a manual redirect comes
 * back opaque and `Set-Cookie` is hidden from scripts, the browser follows redirects and keeps cookies (send them
 * cross-origin with `init: { credentials: "include" }`); the response then reports the final URL in
 * `extensions.url`.
 *
 * The response body is returned unread, as a stream. Content codings the runtime's `fetch` already decoded are
 * flagged with `extensions.decoded_content = true`, so the Response does not decode them twice; the raw bytes are
 * then out of reach, and `numBytesDownloaded` and `iterRaw()` see the decoded body.
 *
 * ```ts
 * const client = new Client({ transport: new FetchTransport() });
 * ```
 */
export class FetchTransport extends BaseTransport {
  readonly #options: ResolvedFetchOptions;
  /** The extra init members of every request, or `undefined` when there are none to copy. */
  readonly #extraInit: Readonly<Record<string, unknown>> | undefined;
  #closed = false;

  /** Builds a transport; throws a `TypeError` for an option this runtime's `fetch` cannot honour. */
  constructor(options: FetchTransportOptions = {}) {
    super();
    this.#options = resolveOptions(options);
    this.#extraInit = Object.keys(this.#options.init).length > 0 ? this.#options.init : undefined;
  }

  /** The runtime this transport detected: `node`, `deno`, `bun`, `workerd`, `browser` or `unknown`. */
  get runtime(): string {
    return this.#options.runtime;
  }

  override async handleRequest(request: Request): Promise<Response> {
    if (this.#closed) throw new Error("Cannot send a request, as the transport has been closed.");
    const scheme = request.url.scheme;
    if (scheme !== "http" && scheme !== "https") {
      throw new UnsupportedProtocol(`Request URL has an unsupported protocol '${scheme}://'.`, { request });
    }
    const exchange = new Exchange(request);
    let fetchBody = toFetchBody(exchange, this.#options.streaming);
    if (fetchBody instanceof Promise) fetchBody = await fetchBody;
    const body = fetchBody.body;
    if (body !== undefined && (request.method === "GET" || request.method === "HEAD")) {
      throw new LocalProtocolError(`fetch cannot send a request body with ${request.method}.`, { request });
    }
    const streamed = body instanceof ReadableStream;
    const init = this.#init(request, body, exchange.signal(streamed));
    exchange.enter(streamed ? "connect" : "exchange");
    let response: globalThis.Response;
    try {
      response = await exchange.wait(this.#options.fetch(request.url.toString(), init));
    } catch (error) {
      exchange.finish();
      throw fetchBody.sourceError() ?? toFerryError(error, exchange);
    }
    exchange.idle();
    return this.#toResponse(response, exchange);
  }

  /** Refuses every later request. `fetch` owns its connections, so there are none to release here. */
  override async close(): Promise<void> {
    this.#closed = true;
  }

  #init(request: Request, body: FetchBodyInit, signal: AbortSignal | undefined): RequestInit {
    const init: Record<string, unknown> = {
      method: request.method,
      headers: fetchHeaders(request),
      redirect: this.#options.browser ? "follow" : "manual",
    };
    if (signal !== undefined) init["signal"] = signal;
    if (body !== undefined) init["body"] = body;
    if (body instanceof ReadableStream) init["duplex"] = "half";
    return (this.#extraInit === undefined ? init : Object.assign(init, this.#extraInit)) as RequestInit;
  }

  #toResponse(response: globalThis.Response, exchange: Exchange): Response {
    const request = exchange.request;
    const status = response.status;
    if (status === 0 || response.type === "opaqueredirect") {
      exchange.abort();
      response.body?.cancel().catch(ignore);
      throw new LocalProtocolError(
        "fetch returned an opaque response (status 0): this runtime hides manual redirects from scripts. " +
          "Build FetchTransport with { browser: true } to let it follow redirects.",
        { request },
      );
    }
    const extensions: Record<string, unknown> = {
      http_version: "HTTP/1.1",
      reason_phrase: response.statusText,
    };
    if (response.redirected) extensions["url"] = response.url;
    const stream = new FetchResponseStream(request.method === "HEAD" ? null : response.body, exchange);
    const result = new Response(status, { headers: response.headers, stream, request, extensions });
    if (wasDecoded(result.headers.get("content-encoding") ?? null, this.#options.decoded)) {
      result.extensions["decoded_content"] = true;
    }
    return result;
  }
}

function ignore(): void {
  // Cancelling a body that already failed has nothing left to release.
}

type FetchBodyInit = Uint8Array | ReadableStream<Uint8Array> | undefined;

/** The request's headers in order, without those `fetch` derives itself; a `Host` naming another host is kept. */
function fetchHeaders(request: Request): [string, string][] {
  const headers: [string, string][] = [];
  // The flat list costs less to build than the frozen pairs of `headers.raw`.
  const flat = request.headers.rawFlat();
  for (let index = 0; index < flat.length; index += 2) {
    const name = flat[index] as string;
    const value = flat[index + 1] as string;
    const lower = name.toLowerCase();
    if (FETCH_OWNED_HEADERS.has(lower) && !(lower === "host" && value !== request.url.netloc)) continue;
    headers.push([name, value]);
  }
  return headers;
}

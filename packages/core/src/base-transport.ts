import type { Request } from "./request.js";
import type { Response } from "./response.js";

/**
 * The seam between the Client and the network: one method that sends a request and returns its response.
 *
 * A transport owns connections and nothing else. It sends the request as given (method, URL, headers in order, the
 * body streamed), returns a {@link Response} as soon as the headers arrive, with the body as an unread stream, and
 * maps its failures to Ferry's `TransportError` classes. It never follows redirects, stores cookies, retries auth
 * challenges or decodes `Content-Encoding`: the Client and the Response do.
 *
 * ```ts
 * class EchoTransport extends BaseTransport {
 *   async handleRequest(request: Request): Promise<Response> {
 *     return new Response(200, { content: await request.read(), request });
 *   }
 * }
 * ```
 */
export abstract class BaseTransport {
  /**
   * Sends `request` and resolves with its response once the status line and headers are in. The response body is
   * returned as a stream that has not been read; the timeouts to apply are in `request.extensions.timeout`.
   */
  abstract handleRequest(request: Request): Promise<Response>;

  /** Releases every connection this transport holds. A transport is not used again after `close()`. */
  async close(): Promise<void> {}

  /** Closes the transport: `await using transport = new SomeTransport()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

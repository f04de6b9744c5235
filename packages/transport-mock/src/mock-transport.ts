/**
 * A transport that answers requests with a function, for testing code that uses Ferry without a network.
 *
 * @module
 */
import { BaseTransport, type Request, type Response } from "@ferry/core";

/** Answers a request: returns the response, or a promise of it. */
export type MockHandler = (request: Request) => Response | Promise<Response>;

/**
 * A transport that hands every request to a handler and returns what it answers. The request body is read first,
 * so the handler can use `request.content`; an error the handler throws reaches the caller unchanged.
 *
 * ```ts
 * const transport = new MockTransport((request) => new Response(200, { json: { path: request.url.path } }));
 * const client = new Client({ transport });
 * ```
 */
export class MockTransport extends BaseTransport {
  /** The function that answers requests. */
  readonly handler: MockHandler;

  constructor(handler: MockHandler) {
    super();
    if (typeof handler !== "function") {
      throw new TypeError(
        `MockTransport needs a handler function, got ${handler === null ? "null" : typeof handler}.`,
      );
    }
    this.handler = handler;
  }

  /** Reads the request body, then answers with the handler. */
  async handleRequest(request: Request): Promise<Response> {
    await request.read();
    return this.handler(request);
  }

  /**
   * Answers synchronously, for a `SyncClient`: reads the request body and calls the handler in the calling
   * thread.
   *
   * @throws TypeError when the handler returns a promise, or the request body can only be read asynchronously.
   */
  handleRequestSync(request: Request): Response {
    request.readSync();
    const response = this.handler(request);
    if (response instanceof Promise) {
      response.catch(() => {});
      throw new TypeError(
        "The MockTransport handler returned a Promise: a SyncClient needs a handler that returns the Response " +
          "directly (not an async function).",
      );
    }
    return response;
  }
}

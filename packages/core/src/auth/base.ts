/**
 * The base of every authentication scheme: an auth flow is a generator that yields requests and receives the
 * response to each.
 *
 * @module
 */
import type { Request } from "../request.js";
import type { Response } from "../response.js";

/**
 * What {@link Auth.authFlow} returns: a generator that yields each request to send and is resumed with the
 * response to it. Sync generators run in both `Client` and `SyncClient`; async generators only in `Client`.
 */
export type AuthFlow = Generator<Request, void, Response> | AsyncGenerator<Request, void, Response>;

/**
 * Base class of authentication schemes; used as is, it sends the request unchanged.
 *
 * A scheme overrides {@link Auth.authFlow}, a generator that `yield`s each request to send and receives the
 * response to it as the value of the `yield` expression. It may yield as many requests as it needs; the Client
 * returns the last response, with the earlier ones in `response.history`. Set {@link Auth.requiresRequestBody}
 * when the flow reads `request.content` (for example to sign the body), and {@link Auth.requiresResponseBody}
 * when it reads the content of the responses it receives: the Client then reads those bodies first.
 *
 * Write the flow as a plain `function*` when it needs no I/O of its own, so it works in `Client` and `SyncClient`
 * alike; write it as an `async function*` when it has to await something, such as fetching a fresh token.
 *
 * @example A bearer token that is refreshed once when the server answers 401:
 * ```ts
 * class TokenAuth extends Auth {
 *   #token: string | null = null;
 *
 *   constructor(private readonly fetchToken: () => Promise<string>) {
 *     super();
 *   }
 *
 *   override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
 *     this.#token ??= await this.fetchToken();
 *     request.headers.set("Authorization", `Bearer ${this.#token}`);
 *     const response = yield request;
 *     if (response.statusCode === 401) {
 *       this.#token = await this.fetchToken();
 *       request.headers.set("Authorization", `Bearer ${this.#token}`);
 *       yield request;
 *     }
 *   }
 * }
 *
 * const client = new Client({ auth: new TokenAuth(login) });
 * ```
 */
export class Auth {
  /** Whether the Client reads the request body before the flow starts, so the flow may use `request.content`. */
  requiresRequestBody = false;

  /** Whether the Client reads each response body before handing it to the flow, so it may use `response.content`. */
  requiresResponseBody = false;

  /**
   * Runs the authentication flow for one request: yield each request to send, receive its response. Returning
   * ends the flow, and the Client hands the last response to the caller. The default yields the request as is.
   */
  *authFlow(request: Request): AuthFlow {
    yield request;
  }
}

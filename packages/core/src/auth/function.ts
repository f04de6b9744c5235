/**
 * Authentication given as a plain function of the request.
 *
 * @module
 */
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import { Auth } from "./base.js";

/**
 * Authentication given as a function: `fn(request)` returns the request to send (the same one, modified, or a
 * new one). This is what a function passed as the `auth` option becomes.
 */
export class FunctionAuth extends Auth {
  readonly #fn: (request: Request) => Request;

  constructor(fn: (request: Request) => Request) {
    super();
    if (typeof fn !== "function") {
      throw new TypeError(`FunctionAuth expects a function, got ${typeof fn}.`);
    }
    this.#fn = fn;
  }

  override *authFlow(request: Request): Generator<Request, void, Response> {
    yield this.#fn(request);
  }
}

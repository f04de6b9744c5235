/**
 * The errors raised when a request's timeout runs out, with messages that name what was awaited and the budget.
 *
 * @module
 */
import { PoolTimeout, ReadTimeout, type Request, type TransportError, WriteTimeout } from "@ferry/core";
import { errors } from "undici";

/**
 * What a request waits for while one of its timeouts runs: a connection from the pool, the socket taking more of
 * the request body, the response headers, the first chunk of the response body, or the next chunk.
 */
export type Wait = "pool" | "write" | "headers" | "body" | "chunk";

const WAITING: Record<Wait, string> = {
  pool: "waiting for a connection from the pool",
  write: "waiting for the connection to take more of the request body",
  headers: "waiting for the response headers",
  body: "waiting for the response body after its headers",
  chunk: "between two chunks of the response body",
};

/** `Timed out after <ms> ms <what>`: the wording of every timeout message. */
export function timedOutAfter(ms: number, what: string): string {
  return `Timed out after ${ms} ms ${what}`;
}

/**
 * The error for a timeout of `ms` milliseconds that ran out during `wait`, bound to `request`. `extra` is how much
 * longer a pool wait was given because a connection was being opened for it.
 *
 * Read timeouts carry as `cause` the error undici raises for the same wait (`UND_ERR_HEADERS_TIMEOUT`,
 * `UND_ERR_BODY_TIMEOUT`), though undici's own timers are not used: they fire up to a second late.
 */
export function timeoutError(
  wait: Wait,
  ms: number,
  request: Request,
  extra: number | null = null,
): TransportError {
  let message = timedOutAfter(ms, WAITING[wait]);
  if (extra !== null) message += `, and ${extra} ms more for the connection being opened`;
  switch (wait) {
    case "pool":
      return new PoolTimeout(message, { request });
    case "write":
      return new WriteTimeout(message, { request });
    case "headers":
      return new ReadTimeout(message, { request, cause: new errors.HeadersTimeoutError(message) });
    default:
      return new ReadTimeout(message, { request, cause: new errors.BodyTimeoutError(message) });
  }
}

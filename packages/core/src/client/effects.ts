/**
 * The I/O steps of the request pipeline, as values.
 *
 * The pipeline (pipeline.ts) is written once, as generator functions that `yield` an {@link Effect} wherever they
 * would wait (sending a request, reading a body, running a hook or an auth step) and are resumed with its result.
 * Effects are plain objects yielded straight from the pipeline's steps, not small generators delegated to with
 * `yield*`: every level of delegation costs an iterator result per step, twice per effect.
 * A driver (drive.ts) performs the effects: the async driver awaits them for `Client`, the sync driver calls the
 * blocking variants for `SyncClient`. So redirects, auth, cookies and hooks exist in one copy for both clients
 * (the async Client's short path for a first hop without auth or hooks aside: pipeline.ts, `sendAsync`).
 *
 * @module
 */
import type { BaseTransport } from "../base-transport.js";
import type { Request } from "../request.js";
import type { Response } from "../response.js";

/** Something the pipeline needs done and waits for. */
export type Effect =
  /** Send `request` through `transport`; resumes with the Response (headers in, body unread). */
  | { readonly type: "send"; readonly transport: BaseTransport; readonly request: Request }
  /** Read a whole request or response body into memory; resumes with nothing. */
  | { readonly type: "read"; readonly message: Request | Response }
  /** Close a response, releasing its connection; resumes with nothing. */
  | { readonly type: "close"; readonly response: Response }
  /**
   * Call user code (an event hook, a step of an auth flow) that may answer with a Promise; resumes with the
   * settled result. `what` names the code in the sync driver's error when it returns a Promise.
   */
  | { readonly type: "call"; readonly fn: () => unknown; readonly what: string };

/** A pipeline step: a generator of effects that returns `T`. */
export type Flow<T> = Generator<Effect, T, unknown>;

/** The effect of sending `request` through `transport`; the pipeline resumes with the `Response`. */
export function sendEffect(transport: BaseTransport, request: Request): Effect {
  return { type: "send", transport, request };
}

/** The effect of reading the body of `message` into memory. */
export function readEffect(message: Request | Response): Effect {
  return { type: "read", message };
}

/** The effect of closing `response`. */
export function closeEffect(response: Response): Effect {
  return { type: "close", response };
}

/** The effect of calling `fn`, waiting for its result when it is a Promise; the pipeline resumes with the result. */
export function callEffect(fn: () => unknown, what: string): Effect {
  return { type: "call", fn, what };
}

/**
 * Drivers that run a pipeline {@link Flow}: one awaits each effect (`Client`), the other performs each effect
 * synchronously and blocks (`SyncClient`).
 *
 * An effect that fails is thrown back into the flow at its `yield`, so the flow's own `try`/`finally` blocks
 * (closing a response, ending an auth flow) run exactly as they would around an `await`.
 *
 * @module
 */
import type { BaseTransport } from "../base-transport.js";
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import type { Effect, Flow } from "./effects.js";

/** A transport that can also send a request synchronously, as `SyncClient` needs. */
export interface SyncTransport {
  /** Sends `request` and returns its response without waiting on the event loop. */
  handleRequestSync(request: Request): Response;
}

/** Runs `flow` to its end, awaiting each effect. */
export async function runAsync<T>(flow: Flow<T>): Promise<T> {
  let step = flow.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = performAsync(step.value);
      // Most hooks return nothing: awaiting only promises saves a turn of the microtask queue per hook.
      if (isThenable(result)) result = await result;
    } catch (error) {
      step = flow.throw(error);
      continue;
    }
    step = flow.next(result);
  }
  return step.value;
}

function performAsync(effect: Effect): unknown {
  switch (effect.type) {
    case "send":
      return effect.transport.handleRequest(effect.request);
    case "read":
      return effect.message.read();
    case "close":
      return effect.response.close();
    case "call":
      return effect.fn();
  }
}

/**
 * Runs `flow` to its end in the calling thread. Every transport, hook and auth step must answer synchronously:
 * a Promise is an error that says which one returned it.
 */
export function runSync<T>(flow: Flow<T>): T {
  let step = flow.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = performSync(step.value);
    } catch (error) {
      step = flow.throw(error);
      continue;
    }
    step = flow.next(result);
  }
  return step.value;
}

function performSync(effect: Effect): unknown {
  switch (effect.type) {
    case "send":
      return sendSync(effect.transport, effect.request);
    case "read":
      return effect.message.readSync();
    case "close":
      return effect.response.closeSync();
    case "call":
      return settledSync(effect.fn(), effect.what);
  }
}

function sendSync(transport: BaseTransport, request: Request): Response {
  const sync = transport as BaseTransport & Partial<SyncTransport>;
  if (typeof sync.handleRequestSync !== "function") {
    throw new TypeError(
      `${transport.constructor.name} cannot send requests synchronously: a SyncClient needs a transport with ` +
        "a handleRequestSync() method.",
    );
  }
  return settledSync(sync.handleRequestSync(request), `${transport.constructor.name}.handleRequestSync()`);
}

function settledSync<T>(result: T, what: string): T {
  if (isThenable(result)) {
    // The promise is abandoned: keep its eventual rejection from surfacing as an unhandled one.
    result.then(undefined, () => {});
    throw new TypeError(
      `${what} returned a Promise, which a SyncClient cannot wait for: use a synchronous function ` +
        "(or a function* generator for an auth flow), or the async Client.",
    );
  }
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

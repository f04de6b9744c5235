/**
 * A route of a {@link MockRouter}: a pattern, what to answer with, how many times, and the calls it received.
 *
 * @module
 */
import type { BaseTransport } from "@ferry/core";
import { CallHistory } from "./call-history.js";
import type { Pattern } from "./patterns.js";
import { compileReply, type Reply, type ResponseShorthand, type RouteReply } from "./replies.js";

const DEFAULT_REPLY: Reply = compileReply(200);

/** Where a pass-through route sends requests: its own transport, or the router's. */
export type PassThrough = BaseTransport | "router";

/**
 * One route: requests that match its pattern get its answer. Configure it by chaining:
 *
 * ```ts
 * router.get("/users/:id").respond((request, { params }) => ({ json: { id: params.id } }));
 * router.post("/users").respond(201, { json: { id: 7 } }).once();
 * router.get("/flaky").sequence(new ConnectError("down"), { status: 200, text: "ok" });
 * router.get("/slow").respond(200).delay(250);
 * ```
 *
 * A route answers every matching request unless `times(n)`, `once()` or a `sequence()` limits it; once used up it
 * no longer matches, and the next route (or the unmatched-request error) takes over.
 */
export class Route {
  /** The route's name, if it was given one. */
  readonly name: string | undefined;
  /** What the route matches. */
  readonly pattern: Pattern;
  /** The requests the route answered, oldest first. */
  readonly calls: CallHistory<Route>;
  readonly #label: string;
  #replies: readonly Reply<Route>[] = [DEFAULT_REPLY];
  #limit: number | null = null;
  #persist = false;
  #delay = 0;
  #passThrough: PassThrough | null = null;
  #optional = false;

  constructor(pattern: Pattern, label: string, name?: string) {
    this.pattern = pattern;
    this.name = name;
    this.#label = label;
    this.calls = new CallHistory(`The route ${this.describe()}`);
  }

  /**
   * Answers with a status code and response options (`respond(201, { json })`), a `Response`, an object such as
   * `{ status, json, headers }`, a handler `(request, match) => Response`, or an error to raise.
   */
  respond(status: number, options: Omit<ResponseShorthand, "status">): this;
  respond(reply?: RouteReply<Route>): this;
  respond(reply: RouteReply<Route> = 200, options?: Omit<ResponseShorthand, "status">): this {
    const compiled =
      options === undefined
        ? compileReply(reply)
        : compileReply<Route>({ ...options, status: reply as number });
    this.#replies = [compiled];
    this.#passThrough = null;
    return this;
  }

  /**
   * Answers successive calls with successive replies; after the last one the route is used up, unless
   * `persist()` makes it repeat the last. An `Error` (or error class) in the list is raised for that call.
   */
  sequence(...replies: readonly RouteReply<Route>[]): this {
    if (replies.length === 0) throw new TypeError("route.sequence() needs at least one reply.");
    this.#replies = replies.map((reply) => compileReply(reply));
    this.#passThrough = null;
    return this;
  }

  /** Raises `error` for every matching request: an instance, or a class such as `ConnectTimeout`. */
  raise(error: Error | (new (message: string, options: { request: never }) => Error)): this {
    if (!(error instanceof Error) && typeof error !== "function") {
      throw new TypeError(`route.raise() needs an Error or an Error class, got ${String(error)}.`);
    }
    return this.respond(error as RouteReply<Route>);
  }

  /**
   * Sends matching requests to a real transport instead of answering them: `transport`, or the router's
   * `passThrough` transport (by default, the runtime's default transport when `ferry` is loaded).
   */
  passThrough(transport?: BaseTransport): this {
    if (transport !== undefined && typeof transport?.handleRequest !== "function") {
      throw new TypeError(`route.passThrough() needs a transport, got ${String(transport)}.`);
    }
    this.#passThrough = transport ?? "router";
    return this;
  }

  /** Answers `count` matching requests, then is used up. */
  times(count: number): this {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`route.times() needs a positive integer, got ${String(count)}.`);
    }
    this.#limit = count;
    this.#persist = false;
    return this;
  }

  /** Answers one matching request, then is used up. */
  once(): this {
    return this.times(1);
  }

  /** Answers every matching request, undoing `times()`; after a sequence, repeats its last reply. */
  persist(): this {
    this.#limit = null;
    this.#persist = true;
    return this;
  }

  /** Waits `milliseconds` before each answer; past the request's read timeout, raises `ReadTimeout`. */
  delay(milliseconds: number): this {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new RangeError(`route.delay() needs a number of milliseconds >= 0, got ${String(milliseconds)}.`);
    }
    this.#delay = milliseconds;
    return this;
  }

  /** Leaves the route out of `assertAllCalled()`: it may or may not be called. */
  optional(): this {
    this.#optional = true;
    return this;
  }

  /** Whether the route was called. */
  get called(): boolean {
    return this.calls.length > 0;
  }

  /** How many times the route was called. */
  get callCount(): number {
    return this.calls.length;
  }

  /** How many calls the route answers in all (`Infinity` when not limited). */
  get limit(): number {
    if (this.#limit !== null) return this.#limit;
    return this.#replies.length > 1 && !this.#persist ? this.#replies.length : Number.POSITIVE_INFINITY;
  }

  /** Whether the route has answered every call it was set up for: no more calls match it. */
  get isUsedUp(): boolean {
    return this.calls.length >= this.limit;
  }

  /** Whether the route was called as often as it expects: once, `times(n)` times, or once per sequence reply. */
  get isDone(): boolean {
    if (this.#optional) return true;
    const limit = this.limit;
    return this.calls.length >= (limit === Number.POSITIVE_INFINITY ? 1 : limit);
  }

  /** The delay before each answer, in ms. */
  get delayMs(): number {
    return this.#delay;
  }

  /** Where the route passes requests through to, `null` when it answers them itself. */
  get passThroughTo(): PassThrough | null {
    return this.#passThrough;
  }

  /** The reply for the call numbered `callIndex` (from 0). */
  replyFor(callIndex: number): Reply<Route> {
    return this.#replies[Math.min(callIndex, this.#replies.length - 1)]!;
  }

  /** How the route reads in messages: its name and what it matches. */
  describe(): string {
    return this.name === undefined ? this.#label : `"${this.name}" ${this.#label}`;
  }

  /** Forgets the route's calls, so a limited route answers again. */
  reset(): void {
    this.calls.clear();
  }

  toString(): string {
    return `Route(${this.describe()})`;
  }
}

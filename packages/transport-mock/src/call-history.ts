/**
 * The record of the requests a router or a route has handled, and what each was answered with.
 *
 * @module
 */
import type { Request, Response } from "@ferry/core";
import type { Captures } from "./value-matchers.js";

/** Where a call went: its route, or `null` for a request no route matched. */
export interface CallRoute {
  readonly name: string | undefined;
  describe(): string;
}

/** One request a router handled, and its outcome. */
export class Call<R extends CallRoute = CallRoute> {
  /** The request, with its body read (`request.content`). */
  readonly request: Request;
  /** The route that answered, `null` when none matched. */
  readonly route: R | null;
  /** What the route's pattern captured: path parameters, RegExp named groups. */
  readonly params: Captures;
  #response: Response | undefined;
  #error: unknown;
  #failed = false;

  constructor(request: Request, route: R | null, params: Captures) {
    this.request = request;
    this.route = route;
    this.params = params;
  }

  /**
   * The response the request was answered with.
   *
   * @throws Error when the call raised an error instead, or is still waiting for its response.
   */
  get response(): Response {
    if (this.#response !== undefined) return this.#response;
    if (this.#failed) {
      throw new Error(
        `${this.#label()} raised an error instead of returning a response: ${describeError(this.#error)}`,
        {
          cause: this.#error,
        },
      );
    }
    throw new Error(`${this.#label()} has no response yet.`);
  }

  /** Whether the call has its response (it did not raise, and is not still waiting). */
  get hasResponse(): boolean {
    return this.#response !== undefined;
  }

  /** The error the call raised, `undefined` when it did not. */
  get error(): unknown {
    return this.#error;
  }

  /** Records the response. */
  resolve(response: Response): void {
    this.#response = response;
  }

  /** Records the error raised. */
  reject(error: unknown): void {
    this.#failed = true;
    this.#error = error;
  }

  #label(): string {
    return `The call ${this.request.method} ${this.request.url}`;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The calls of a router or a route, oldest first: iterable, with `length`, `at(index)`, `first` and `last`.
 *
 * ```ts
 * expect(route.calls).toHaveLength(2);
 * expect(route.calls.last.request.headers.get("authorization")).toBe("Bearer t0k3n");
 * ```
 */
export class CallHistory<R extends CallRoute = CallRoute> implements Iterable<Call<R>> {
  readonly #calls: Call<R>[] = [];
  readonly #owner: string;

  /** `owner` names the router or route in the error of `first` and `last` on an empty history. */
  constructor(owner: string) {
    this.#owner = owner;
  }

  /** How many calls there were. */
  get length(): number {
    return this.#calls.length;
  }

  /**
   * The first call.
   *
   * @throws Error when there was none.
   */
  get first(): Call<R> {
    return this.#calls[0] ?? this.#none();
  }

  /**
   * The latest call.
   *
   * @throws Error when there was none.
   */
  get last(): Call<R> {
    return this.#calls[this.#calls.length - 1] ?? this.#none();
  }

  /** The call at `index` (negative counts from the end), `undefined` when there is none. */
  at(index: number): Call<R> | undefined {
    return this.#calls.at(index);
  }

  /** The requests of every call, oldest first. */
  get requests(): Request[] {
    return this.#calls.map((call) => call.request);
  }

  /** The calls that pass `test`. */
  filter(test: (call: Call<R>) => boolean): Call<R>[] {
    return this.#calls.filter(test);
  }

  /** The calls as an array. */
  toArray(): Call<R>[] {
    return [...this.#calls];
  }

  [Symbol.iterator](): Iterator<Call<R>> {
    return this.#calls[Symbol.iterator]();
  }

  /** Adds a call. */
  record(call: Call<R>): void {
    this.#calls.push(call);
  }

  /** Forgets every call. */
  clear(): void {
    this.#calls.length = 0;
  }

  #none(): never {
    throw new Error(`${this.#owner} was not called.`);
  }
}

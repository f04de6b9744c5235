/**
 * `MockRouter`: a transport that answers requests from routes, records every call, and explains the requests it
 * cannot answer.
 *
 * @module
 */
import {
  BaseTransport,
  BytesStream,
  DEFAULT_LIMITS,
  type Request,
  Response,
  runtime,
  type SyncTransport,
  type TransportFactoryOptions,
  type URL,
} from "@ferry/core";
import { Call, CallHistory } from "./call-history.js";
import { delay, delaySync } from "./delay.js";
import { notCalledError, unmatchedError, unmockedError } from "./mock-errors.js";
import { Pattern } from "./patterns.js";
import type { RouteMatch } from "./replies.js";
import { RequestView } from "./request-view.js";
import { Route } from "./route.js";
import { type BaseUrl, compileSpec, parseBaseUrl, predicatePattern, type RouteSpec } from "./route-spec.js";
import { type Captures, NO_CAPTURES, ValueMatcher } from "./value-matchers.js";

/** Options of a {@link MockRouter}. */
export interface MockRouterOptions {
  /** Routes given a relative URL or path are under this URL: `"https://api.example.com/v1"`. */
  baseUrl?: string | URL | undefined;
  /**
   * Whether a request no route matches raises {@link UnmatchedRequestError} (the default). When `false` it is
   * answered with an empty 200 and recorded, for `assertAllMocked()`.
   */
  assertAllMocked?: boolean | undefined;
  /** The transport pass-through routes send requests to; by default the runtime's (when `ferry` is loaded). */
  passThrough?: BaseTransport | undefined;
}

/** What a route is given: the URL or path, or an object of parts. A RegExp or value test applies to the path. */
export type RouteTarget = string | RegExp | ValueMatcher | RouteSpec;

interface Dispatch {
  readonly route: Route;
  readonly call: Call<Route>;
  readonly match: RouteMatch<Route>;
}

/**
 * A transport that answers from routes: mount it on a Client (`transport: router`, or
 * `mounts: { "all://api.example.com": router }`) and describe what each request gets.
 *
 * ```ts
 * const router = new MockRouter({ baseUrl: "https://api.example.com" });
 * const user = router.get("/users/:id").respond((request, { params }) => ({ json: { id: Number(params.id) } }));
 * const client = new Client({ transport: router });
 * await client.get("https://api.example.com/users/7");
 * user.calls.last.request.url.path; // "/users/7"
 * router.assertAllCalled();
 * ```
 *
 * Routes are tried in the order they were added; the first that matches and is not used up answers. A request no
 * route matches raises an {@link UnmatchedRequestError} listing the closest routes and why each missed.
 */
export class MockRouter extends BaseTransport implements SyncTransport {
  /** Every call the router received, matched or not, oldest first. */
  readonly calls: CallHistory<Route> = new CallHistory("The router");
  readonly #base: BaseUrl | null;
  readonly #raiseUnmatched: boolean;
  readonly #routes: Route[] = [];
  #passThrough: BaseTransport | undefined;
  #ownsPassThrough = false;

  constructor(options: MockRouterOptions = {}) {
    super();
    if (options === null || typeof options !== "object") {
      throw new TypeError(`MockRouter options must be an object, got ${String(options)}.`);
    }
    this.#base = options.baseUrl === undefined ? null : parseBaseUrl(options.baseUrl);
    this.#raiseUnmatched = options.assertAllMocked ?? true;
    this.#passThrough = options.passThrough;
  }

  /** The base URL of relative routes, `null` when there is none. */
  get baseUrl(): string | null {
    return this.#base?.text ?? null;
  }

  /** The routes, in the order they are tried. */
  get routes(): readonly Route[] {
    return this.#routes;
  }

  /** Whether any request reached the router. */
  get called(): boolean {
    return this.calls.length > 0;
  }

  /** How many requests reached the router. */
  get callCount(): number {
    return this.calls.length;
  }

  /**
   * Adds a route for any method: an object of parts (`{ host, path, params, headers, json... }`), a pattern built
   * with `M`, or a function of the request. With no argument it matches every request (under the base URL).
   */
  route(spec: RouteSpec | Pattern | ((request: Request) => boolean) = {}): Route {
    if (spec instanceof Pattern) return this.#add({ pattern: spec });
    if (typeof spec === "function") return this.#add({ pattern: predicatePattern(spec, "route()") });
    return this.#add(spec);
  }

  /** Adds a `GET` route: `router.get("/users/:id")`, `router.get(/^\/users\/(?<id>\d+)$/, { headers })`. */
  get(target?: RouteTarget, spec?: RouteSpec): Route {
    return this.#method("GET", target, spec);
  }

  /** Adds a `POST` route. */
  post(target?: RouteTarget, spec?: RouteSpec): Route {
    return this.#method("POST", target, spec);
  }

  /** Adds a `PUT` route. */
  put(target?: RouteTarget, spec?: RouteSpec): Route {
    return this.#method("PUT", target, spec);
  }

  /** Adds a `PATCH` route. */
  patch(target?: RouteTarget, spec?: RouteSpec): Route {
    return this.#method("PATCH", target, spec);
  }

  /** Adds a `DELETE` route. */
  delete(target?: RouteTarget, spec?: RouteSpec): Route {
    return this.#method("DELETE", target, spec);
  }

  /** Adds a `HEAD` route. */
  head(target?: RouteTarget, spec?: RouteSpec): Route {
    return this.#method("HEAD", target, spec);
  }

  /** Adds an `OPTIONS` route. */
  options(target?: RouteTarget, spec?: RouteSpec): Route {
    return this.#method("OPTIONS", target, spec);
  }

  /** The route with this name, `undefined` when there is none. */
  getRoute(name: string): Route | undefined {
    return this.#routes.find((route) => route.name === name);
  }

  /** Removes a route. */
  removeRoute(route: Route): void {
    const index = this.#routes.indexOf(route);
    if (index !== -1) this.#routes.splice(index, 1);
  }

  #method(method: string, target: RouteTarget | undefined, spec: RouteSpec = {}): Route {
    if (target === undefined) return this.#add({ ...spec, method });
    if (typeof target === "string") return this.#add({ ...checkNoTarget(spec, "url"), url: target, method });
    if (target instanceof RegExp || typeof target === "function" || target instanceof ValueMatcher) {
      return this.#add({ ...checkNoTarget(spec, "path"), path: target, method });
    }
    return this.#add({ ...target, ...spec, method });
  }

  #add(spec: RouteSpec): Route {
    const { pattern, label } = compileSpec(spec, this.#base);
    const route = new Route(pattern, label, spec.name);
    this.#routes.push(route);
    return route;
  }

  /** Answers `request` from the first matching route. */
  handleRequest(request: Request): Promise<Response> {
    try {
      // An in-memory body needs no reading: skipping the await keeps the common case free of extra turns.
      if (!(request.stream instanceof BytesStream)) return request.read().then(() => this.#answer(request));
      return this.#answer(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #answer(request: Request): Promise<Response> {
    const dispatch = this.#dispatch(request);
    if (dispatch === null) return Promise.resolve(this.#unmatched(request));
    const { route, call, match } = dispatch;
    const fail = (error: unknown): never => {
      call.reject(error);
      throw error;
    };
    if (route.delayMs > 0 || route.passThroughTo !== null) {
      return this.#answerLater(route, request, match).then((response) => settle(call, response), fail);
    }
    try {
      const response = route.replyFor(match.callIndex).produce(request, match);
      if (response instanceof Promise) return response.then((value) => settle(call, value), fail);
      return Promise.resolve(settle(call, response));
    } catch (error) {
      return Promise.reject(error).catch(fail);
    }
  }

  async #answerLater(route: Route, request: Request, match: RouteMatch<Route>): Promise<Response> {
    await delay(route.delayMs, request);
    if (route.passThroughTo !== null) return this.#passThroughTransport(route).handleRequest(request);
    return route.replyFor(match.callIndex).produce(request, match);
  }

  /** Answers `request` synchronously, for a `SyncClient`: handlers must return without a Promise. */
  handleRequestSync(request: Request): Response {
    request.readSync();
    const dispatch = this.#dispatch(request);
    if (dispatch === null) return this.#unmatched(request);
    const { route, call, match } = dispatch;
    try {
      delaySync(route.delayMs, request);
      const response =
        route.passThroughTo === null
          ? syncResult(route.replyFor(match.callIndex).produce(request, match), route)
          : sendSync(this.#syncPassThroughTransport(route), request);
      return settle(call, response);
    } catch (error) {
      call.reject(error);
      throw error;
    }
  }

  /** Finds the route and records the call at once, so concurrent requests share a limited route fairly. */
  #dispatch(request: Request): Dispatch | null {
    const view = new RequestView(request);
    for (const route of this.#routes) {
      if (route.isUsedUp) continue;
      const params: Captures | undefined = route.pattern.match(view);
      if (params === undefined) continue;
      const callIndex = route.callCount;
      const call = new Call<Route>(request, route, params);
      route.calls.record(call);
      this.calls.record(call);
      return { route, call, match: { params, route, callIndex } };
    }
    return null;
  }

  #unmatched(request: Request): Response {
    const call = new Call<Route>(request, null, NO_CAPTURES);
    this.calls.record(call);
    if (this.#raiseUnmatched) {
      const error = unmatchedError(request, this.#routes);
      call.reject(error);
      throw error;
    }
    return settle(call, new Response(200));
  }

  #passThroughTransport(route: Route): BaseTransport {
    const target = route.passThroughTo;
    if (target !== null && target !== "router") return target;
    if (this.#passThrough === undefined && runtime.transportFactory !== undefined) {
      this.#passThrough = runtime.transportFactory(DEFAULT_NETWORK);
      this.#ownsPassThrough = true;
    }
    return this.#passThrough ?? noPassThrough(route);
  }

  #syncPassThroughTransport(route: Route): BaseTransport {
    const target = route.passThroughTo;
    if ((target !== null && target !== "router") || this.#passThrough !== undefined) {
      return this.#passThroughTransport(route);
    }
    const factory = runtime.syncTransportFactory?.();
    if (factory !== undefined) {
      this.#passThrough = factory(DEFAULT_NETWORK);
      this.#ownsPassThrough = true;
    }
    return this.#passThrough ?? noPassThrough(route);
  }

  /**
   * Checks that every route was called as often as it expects (once; `times(n)` times; once per reply of a
   * sequence). Routes marked `optional()` are left out.
   *
   * @throws MockAssertionError listing the routes that were not.
   */
  assertAllCalled(routes: Iterable<Route> = this.#routes): void {
    const pending = [...routes].filter((route) => !route.isDone);
    if (pending.length > 0) throw notCalledError(pending);
  }

  /**
   * Checks that every request the router received matched a route (useful when the code under test catches the
   * {@link UnmatchedRequestError}, or with `assertAllMocked: false`).
   *
   * @throws MockAssertionError listing the unmatched requests.
   */
  assertAllMocked(): void {
    const unmatched = this.calls.filter((call) => call.route === null).map((call) => call.request);
    if (unmatched.length > 0) throw unmockedError(unmatched);
  }

  /** Forgets every call, of the router and of its routes; routes stay, and limited ones answer again. */
  reset(): void {
    this.calls.clear();
    for (const route of this.#routes) route.reset();
  }

  /** Closes the pass-through transport the router built for itself. */
  override async close(): Promise<void> {
    if (this.#ownsPassThrough && this.#passThrough !== undefined) await this.#passThrough.close();
  }

  /** Closes the pass-through transport the router built for itself, without waiting (for a `SyncClient`). */
  closeSync(): void {
    if (!this.#ownsPassThrough || this.#passThrough === undefined) return;
    const transport = this.#passThrough as BaseTransport & { closeSync?: () => void };
    if (transport.closeSync !== undefined) transport.closeSync();
    else void transport.close();
  }
}

const DEFAULT_NETWORK: TransportFactoryOptions = {
  verify: true,
  cert: null,
  http1: true,
  http2: false,
  limits: DEFAULT_LIMITS,
  proxy: null,
  trustEnv: true,
};

function noPassThrough(route: Route): never {
  throw new Error(
    `The route ${route.describe()} passes requests through, but the router has no transport to send them ` +
      "with: give one (new MockRouter({ passThrough: transport }) or route.passThrough(transport)), or " +
      'import the Client from "ferry", which provides the default transport.',
  );
}

function settle(call: Call<Route>, response: Response): Response {
  response.request = call.request;
  call.resolve(response);
  return response;
}

function syncResult(result: Response | Promise<Response>, route: Route): Response {
  if (result instanceof Promise) {
    result.catch(() => {});
    throw new TypeError(
      `The handler of the route ${route.describe()} returned a Promise: a SyncClient needs a handler that returns ` +
        "the response directly (not an async function).",
    );
  }
  return result;
}

function sendSync(transport: BaseTransport, request: Request): Response {
  const sync = transport as BaseTransport & Partial<SyncTransport>;
  if (typeof sync.handleRequestSync !== "function") {
    throw new TypeError(
      `${transport.constructor.name} cannot send requests synchronously, as a SyncClient needs.`,
    );
  }
  return sync.handleRequestSync(request);
}

function checkNoTarget(spec: RouteSpec, key: "url" | "path"): RouteSpec {
  if (spec.url !== undefined || spec.path !== undefined) {
    throw new TypeError(`Give the route's ${key} once: as the first argument or in the options, not both.`);
  }
  return spec;
}

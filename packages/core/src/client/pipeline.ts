/**
 * The request pipeline of a Client, top-down: {@link send} → {@link sendHandlingAuth} →
 * {@link sendHandlingRedirects} → the transport.
 *
 * Each step is a generator of effects (effects.ts), run by the async or the sync driver (drive.ts), so `Client`
 * and `SyncClient` share it. Policy lives here (auth, redirects, cookies, hooks); the transport only moves bytes.
 * The async Client sends a request without auth or hooks through {@link sendAsync}'s shorter path, which takes the
 * first hop itself and hands any redirect to follow over to {@link send}.
 *
 * @module
 */
import type { Auth, AuthFlow } from "../auth.js";
import type { BaseTransport } from "../base-transport.js";
import type { Cookies } from "../cookies.js";
import { HTTPError, TooManyRedirects } from "../errors.js";
import type { Request } from "../request.js";
import { type Response, startElapsed } from "../response.js";
import type { DefaultEncoding } from "../text-decoding.js";
import type { URL } from "../url.js";
import { runAsync } from "./drive.js";
import { callEffect, closeEffect, type Flow, readEffect, sendEffect } from "./effects.js";
import { buildRedirectRequest } from "./redirects.js";
import type { RequestHook, ResponseHook } from "./types.js";

/** What the pipeline reads from its Client. */
export interface PipelineContext {
  readonly requestHooks: readonly RequestHook[];
  readonly responseHooks: readonly ResponseHook[];
  readonly maxRedirects: number;
  /** The client's jar: every response's cookies go in, and each redirect hop's `Cookie` header comes out. */
  readonly cookies: Cookies;
  readonly defaultEncoding: DefaultEncoding;
  /** The transport mounted for `url`; throws `UnsupportedProtocol` when there is none. */
  transportFor(url: URL): BaseTransport;
}

/** How one `send` goes: resolved from the per-request options and the client's defaults. */
export interface SendPolicy {
  /** Leave the final response's body unread. */
  readonly stream: boolean;
  /** `null` for no authentication. */
  readonly auth: Auth | null;
  readonly followRedirects: boolean;
}

const NO_HISTORY: readonly Response[] = Object.freeze([]);

/**
 * Sends `request` and returns the final response, its body read unless `policy.stream`. Without auth, `history`
 * holds the redirects already followed to reach `request`.
 */
export function* send(
  context: PipelineContext,
  request: Request,
  policy: SendPolicy,
  history: readonly Response[] = NO_HISTORY,
): Flow<Response> {
  const response =
    policy.auth === null
      ? yield* sendHandlingRedirects(context, request, policy.followRedirects, history)
      : yield* sendHandlingAuth(context, request, policy.auth, policy.followRedirects);
  if (policy.stream) return response;
  try {
    yield readEffect(response);
  } catch (error) {
    yield closeEffect(response);
    throw error;
  }
  return response;
}

/**
 * Runs the auth flow: each request it yields goes through the redirect handling, and its response goes back in.
 * Responses the flow answers with another request go to `history`, bodies read.
 */
export function* sendHandlingAuth(
  context: PipelineContext,
  request: Request,
  auth: Auth,
  followRedirects: boolean,
): Flow<Response> {
  if (auth.requiresRequestBody) yield readEffect(request);
  const flow = auth.authFlow(request);
  const history: Response[] = [];
  let next: IteratorResult<Request, void> | undefined;
  try {
    next = yield* authStep(flow, undefined);
    if (next.done)
      throw new TypeError(`${auth.constructor.name}.authFlow() ended without yielding a request.`);
    for (;;) {
      const response: Response = yield* sendHandlingRedirects(context, next.value, followRedirects, history);
      try {
        if (auth.requiresResponseBody) yield readEffect(response);
        next = yield* authStep(flow, response);
        if (next.done) return response;
        response.history = [...history];
        yield readEffect(response);
        history.push(response);
      } catch (error) {
        yield closeEffect(response);
        throw error;
      }
    }
  } catch (error) {
    if (next?.done !== true) yield* abandon(flow);
    throw error;
  }
}

/** Ends a flow left early by an error, so its own `finally` blocks run; the original error is what reaches the caller. */
function* abandon(flow: AuthFlow): Flow<void> {
  try {
    yield callEffect(() => flow.return(undefined), "The auth flow's return()");
  } catch {
    // Reporting this instead would hide the error that stopped the flow.
  }
}

function* authStep(flow: AuthFlow, response: Response | undefined): Flow<IteratorResult<Request, void>> {
  // A flow's first next() takes no value; later ones resume the flow's `yield` with the response.
  const step = response === undefined ? () => flow.next() : () => flow.next(response);
  return (yield callEffect(step, "The auth flow")) as IteratorResult<Request, void>;
}

/**
 * Sends `request` and, while the response is a redirect to follow, the next request; runs the event hooks for
 * every hop. Without `followRedirects`, a redirect response is returned with its `nextRequest` set.
 */
export function* sendHandlingRedirects(
  context: PipelineContext,
  request: Request,
  followRedirects: boolean,
  history: readonly Response[],
): Flow<Response> {
  for (;;) {
    if (history.length > context.maxRedirects) {
      throw new TooManyRedirects("Exceeded maximum allowed redirects.", { request });
    }
    for (const hook of context.requestHooks) yield callEffect(() => hook(request), "A request event hook");
    // Sending one request is written out here rather than delegated to a generator of its own: a level of
    // `yield*` costs iterator results for each effect that passes through it, on every request.
    const start = performance.now();
    let response: Response;
    try {
      response = (yield sendEffect(context.transportFor(request.url), request)) as Response;
    } catch (error) {
      throw withRequest(error, request);
    }
    bindResponse(context, request, response, start);
    try {
      for (const hook of context.responseHooks)
        yield callEffect(() => hook(response), "A response event hook");
      // A response starts with an empty history of its own: the first hop of a request needs no new array.
      if (history.length > 0 || response.history.length > 0) response.history = [...history];
      if (!response.hasRedirectLocation) return response;
      const redirect = buildRedirectRequest(request, response, context.cookies);
      history = [...history, response];
      if (!followRedirects) {
        response.nextRequest = redirect;
        return response;
      }
      yield readEffect(response);
      request = redirect;
    } catch (error) {
      yield closeEffect(response);
      throw error;
    }
  }
}

/** Runs {@link send} for the async Client, through {@link sendDirect} when there is no auth and no hook to run. */
export function sendAsync(context: PipelineContext, request: Request, policy: SendPolicy): Promise<Response> {
  return policy.auth === null && context.requestHooks.length === 0 && context.responseHooks.length === 0
    ? sendDirect(context, request, policy)
    : runAsync(send(context, request, policy));
}

/**
 * {@link send} without auth and event hooks, which is most requests: the same steps for the first hop, written as
 * one async function. Driving the generators costs a few hundred nanoseconds per request in a loop, and more on
 * the network, where the caches are cold between socket events. A redirect to follow hands over to {@link send}
 * after the first hop. The behaviour tables run against both paths (a Client with a hook takes the generators).
 */
async function sendDirect(context: PipelineContext, request: Request, policy: SendPolicy): Promise<Response> {
  const start = performance.now();
  let response: Response;
  try {
    response = await context.transportFor(request.url).handleRequest(request);
  } catch (error) {
    throw withRequest(error, request);
  }
  bindResponse(context, request, response, start);
  let redirect: Request | null = null;
  try {
    if (response.history.length > 0) response.history = [];
    if (response.hasRedirectLocation) {
      redirect = buildRedirectRequest(request, response, context.cookies);
      if (!policy.followRedirects) {
        response.nextRequest = redirect;
        redirect = null;
      }
    }
    if (redirect !== null || !policy.stream) await response.read();
  } catch (error) {
    await response.close();
    throw error;
  }
  return redirect === null ? response : runAsync(send(context, redirect, policy, [response]));
}

/** `error` with `request` attached when it is an {@link HTTPError} that names none. */
function withRequest(error: unknown, request: Request): unknown {
  if (error instanceof HTTPError && !error.hasRequest) error.request = request;
  return error;
}

/**
 * Binds the response to one request sent at `start` (no redirects): to its request, the client's jar (its
 * `Set-Cookie` headers are stored), the default encoding and the elapsed-time clock.
 */
function bindResponse(context: PipelineContext, request: Request, response: Response, start: number): void {
  response.request = request;
  startElapsed(response, start);
  context.cookies.extractCookies(response);
  // Assigning validates the label: skipped for the usual default.
  if (context.defaultEncoding !== response.defaultEncoding)
    response.defaultEncoding = context.defaultEncoding;
}

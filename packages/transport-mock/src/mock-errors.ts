/**
 * The errors of a {@link MockRouter}: a request no route matches, shown with the routes that came closest and why
 * each missed; and failed assertions on the router's calls.
 *
 * @module
 */
import type { Request } from "@ferry/core";
import { RequestView } from "./request-view.js";
import type { Route } from "./route.js";

/** A route that nearly matched an unmatched request, and why it did not. */
export interface NearMiss {
  readonly route: Route;
  /** One line per failing part: `path: expected "/users/:id", got "/user/1"`. */
  readonly reasons: readonly string[];
  /** The share of the route's tests the request passed, from 0 to 1. */
  readonly score: number;
}

/**
 * Raised for a request that no route of a {@link MockRouter} matches. It is not a `TransportError`: code that
 * retries or swallows network errors does not hide it.
 */
export class UnmatchedRequestError extends Error {
  /** The request that nothing matched. */
  readonly request: Request;
  /** The routes that came closest, closest first. */
  readonly nearMisses: readonly NearMiss[];

  constructor(request: Request, nearMisses: readonly NearMiss[], message: string) {
    super(message);
    this.name = "UnmatchedRequestError";
    this.request = request;
    this.nearMisses = nearMisses;
  }
}

/** Raised by `assertAllCalled()` and `assertAllMocked()` when the calls are not what the routes expect. */
export class MockAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MockAssertionError";
  }
}

const SHOWN_NEAR_MISSES = 3;
const SHOWN_BODY = 200;

/** Builds the error for a request no route matched, ranking every route by how close it came. */
export function unmatchedError(request: Request, routes: readonly Route[]): UnmatchedRequestError {
  const view = new RequestView(request);
  const nearMisses = routes
    .map((route, index) => ({ ...nearMiss(route, view), index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, SHOWN_NEAR_MISSES)
    .map(({ route, reasons, score }) => ({ route, reasons, score }));
  const lines = [`No route matches ${request.method} ${request.url}`, ...requestDetails(view, routes)];
  if (routes.length === 0) {
    lines.push("", "The router has no routes.");
  } else {
    lines.push("", nearMisses.length === routes.length ? "Routes:" : `Closest routes (of ${routes.length}):`);
    nearMisses.forEach(({ route, reasons }, index) => {
      lines.push(`  ${index + 1}. ${route.describe()}`, ...reasons.map((reason) => `     - ${reason}`));
    });
  }
  return new UnmatchedRequestError(request, nearMisses, lines.join("\n"));
}

function nearMiss(route: Route, view: RequestView): NearMiss {
  if (route.isUsedUp && route.pattern.match(view) !== undefined) {
    const reason = `matches, but is used up: it answered ${route.callCount} of ${route.limit} calls`;
    return { route, reasons: [reason], score: 1 };
  }
  const reasons = route.pattern.explain(view);
  const size = Math.max(route.pattern.size, reasons.length);
  return { route, reasons, score: (size - reasons.length) / size };
}

/** The headers worth showing (those routes test, plus the usual suspects) and the body when a route reads it. */
function requestDetails(view: RequestView, routes: readonly Route[]): string[] {
  const names = new Set(["content-type", "accept", "authorization"]);
  for (const route of routes) for (const name of route.pattern.headerNames) names.add(name);
  const lines: string[] = [];
  for (const name of names) {
    for (const value of view.request.headers.getList(name)) {
      lines.push(`  ${name}: ${name === "authorization" ? maskCredentials(value) : value}`);
    }
  }
  const content = view.request.content;
  if (content.byteLength > 0 && routes.some((route) => route.pattern.readsBody)) {
    const text = view.text;
    const printable = !text.includes("\uFFFD");
    lines.push(`  body: ${printable ? clip(text) : `${content.byteLength} bytes`}`);
  }
  return lines;
}

/** Shows the auth scheme and the start of the credentials: enough to tell tokens apart, not to reuse one. */
function maskCredentials(value: string): string {
  const space = value.indexOf(" ");
  const scheme = space === -1 ? "" : value.slice(0, space + 1);
  const secret = value.slice(space + 1);
  return secret.length <= 8 ? `${scheme}${secret.slice(0, 2)}...` : `${scheme}${secret.slice(0, 4)}...`;
}

function clip(text: string): string {
  return text.length > SHOWN_BODY ? `${text.slice(0, SHOWN_BODY)}... (${text.length} characters)` : text;
}

/** The error of `assertAllCalled()` for the routes that were not called as often as they expect. */
export function notCalledError(routes: readonly Route[]): MockAssertionError {
  const lines = routes.map((route) => {
    const limit = route.limit === Number.POSITIVE_INFINITY ? 1 : route.limit;
    return `  - ${route.describe()} (called ${route.callCount} of ${limit} times)`;
  });
  const count = routes.length === 1 ? "1 route was" : `${routes.length} routes were`;
  return new MockAssertionError(`${count} not called as expected:\n${lines.join("\n")}`);
}

/** The error of `assertAllMocked()` for requests that no route matched. */
export function unmockedError(requests: readonly Request[]): MockAssertionError {
  const lines = requests.map((request) => `  - ${request.method} ${request.url}`);
  const count = requests.length === 1 ? "1 request was" : `${requests.length} requests were`;
  return new MockAssertionError(`${count} not matched by any route:\n${lines.join("\n")}`);
}

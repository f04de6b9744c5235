/**
 * `@ferry/transport-mock`: transports for testing code that uses Ferry, without a network.
 *
 * @packageDocumentation
 */

export {
  AppTransport,
  type AppTransportOptions,
  type AppTypes,
  type FetchApp,
  type FetchHandler,
  type NodeApp,
  type NodeRequestListener,
} from "./app-transport.js";
export { Call, CallHistory, type CallRoute } from "./call-history.js";
export { PartialJson } from "./json-match.js";
export { MockAssertionError, type NearMiss, UnmatchedRequestError } from "./mock-errors.js";
export { type MockHandler, MockTransport } from "./mock-transport.js";
export { M, type PatternBuilder } from "./pattern-builder.js";
export { Pattern } from "./patterns.js";
export type {
  ErrorClass,
  MockReply,
  ResponseShorthand,
  RouteHandler,
  RouteMatch,
  RouteReply,
  StreamBody,
  StreamChunk,
} from "./replies.js";
export { type PassThrough, Route } from "./route.js";
export { ExactFields, type FieldsLike, type FieldValueLike, type RouteSpec } from "./route-spec.js";
export { MockRouter, type MockRouterOptions, type RouteTarget } from "./router.js";
export { type AsymmetricMatcher, type Captures, type ValueLike, ValueMatcher } from "./value-matchers.js";

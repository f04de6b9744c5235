/**
 * `@ferry/transport-fetch`: {@link FetchTransport}, Ferry's transport for any runtime with a standard `fetch`.
 *
 * @packageDocumentation
 */
export { detectRuntime, type FetchRuntime, RUNTIME_NAMES } from "./environment.js";
export { FetchTransport } from "./fetch-transport.js";
export type { NetworkOptions, ProxyLike } from "./network-options.js";
export type { FetchFunction, FetchInit, FetchTransportOptions } from "./options.js";

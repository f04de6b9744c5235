/**
 * `@ferry/transport-retry`: {@link RetryTransport}, which retries requests through another transport, and the
 * {@link Retry} policy it follows (urllib3 and httpx-retries semantics).
 *
 * @packageDocumentation
 */
export { type ErrorClass, Retry, type RetryOptions } from "./retry.js";
export { RetryTransport, type RetryTransportOptions } from "./retry-transport.js";

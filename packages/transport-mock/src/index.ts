/**
 * `@ferry/transport-mock`: transports for testing code that uses Ferry, without a network.
 *
 * @packageDocumentation
 */
export { type MockHandler, MockTransport } from "./mock-transport.js";

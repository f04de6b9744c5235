/**
 * `@ferry/transport-undici`: Ferry's production transport for Node, on undici 7. Pools, HTTP/1.1 and HTTP/2, TLS
 * with client certificates, HTTP and SOCKS proxies, timeouts by phase, streaming both ways.
 *
 * @packageDocumentation
 */
export type { SocketOptions } from "./connector.js";
export { type Phase, toFerryError } from "./errors.js";
export type { UndiciTransportOptions } from "./options.js";
export type { ProxyLike } from "./proxy.js";
export type { CertTypes, VerifyTypes } from "./tls.js";
export { UndiciTransport } from "./transport.js";

/**
 * `@ferry/test-servers`: real servers on loopback ports for Ferry's tests. Each starts on port 0 and is closed,
 * with every open connection, by `close()` (or `await using`).
 *
 * @packageDocumentation
 */
export { certs } from "./certs.js";
export {
  type Http2Handler,
  type Http2ServerOptions,
  type HttpServerOptions,
  readRequestHead,
  startHttp2Server,
  startHttpServer,
  startRawServer,
} from "./http-servers.js";
export type { ListenOptions, TestServer } from "./listen.js";
export {
  type HttpProxyOptions,
  type ProxiedRequest,
  type Socks4ServerOptions,
  type Socks5ServerOptions,
  startHttpProxy,
  startSocks4Server,
  startSocks5Server,
  type TestProxy,
  type TestSocksServer,
} from "./proxies.js";

/**
 * `@ferry/core`: the models, configuration, auth, errors and Client of Ferry. No network code: transports live in
 * their own packages, and `ferry` wires the right one for each runtime.
 *
 * @packageDocumentation
 */

export {
  Auth,
  type AuthFlow,
  type AuthTypes,
  BasicAuth,
  buildAuth,
  DigestAuth,
  FunctionAuth,
  NetRCAuth,
} from "./auth.js";
export { BaseTransport } from "./base-transport.js";
export { Client } from "./client/client.js";
export type { SyncTransport } from "./client/drive.js";
export { SyncClient, type SyncStreamCallback } from "./client/sync-client.js";
export type { BlockingTransport, SyncTransportFactory } from "./client/sync-transport.js";
export {
  type BodilessRequestOptions,
  type BuildRequestOptions,
  type CertTypes,
  type ClientOptions,
  type EventHooks,
  type ProxyTypes,
  type RequestHook,
  type RequestMethodOptions,
  type ResponseHook,
  type SendOptions,
  type SendPolicyOptions,
  type StreamCallback,
  USE_CLIENT_DEFAULT,
  type UseClientDefault,
  type VerifyTypes,
} from "./client/types.js";
export {
  DEFAULT_LIMITS,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_CONFIG,
  Limits,
  type LimitsOptions,
  Proxy,
  type ProxyOptions,
  Timeout,
  type TimeoutExtension,
  type TimeoutOptions,
  type TimeoutTypes,
} from "./config.js";
export type { RequestContent, RequestData } from "./content.js";
export { type CookieScope, Cookies, type CookieTypes } from "./cookies.js";
export { supportedEncodings } from "./decoders.js";
export {
  CloseError,
  ConnectError,
  ConnectTimeout,
  CookieConflict,
  DecodingError,
  HTTPError,
  type HTTPErrorOptions,
  HTTPStatusError,
  type HTTPStatusErrorOptions,
  InvalidURL,
  LocalProtocolError,
  NetworkError,
  PoolTimeout,
  ProtocolError,
  ProxyError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  RequestError,
  RequestNotRead,
  ResponseNotRead,
  StreamClosed,
  StreamConsumed,
  StreamError,
  TimeoutException,
  TooManyRedirects,
  TransportError,
  UnsupportedProtocol,
  WriteError,
  WriteTimeout,
} from "./errors.js";
export { Headers, type HeaderTypes } from "./headers.js";
export type { Link } from "./links.js";
export type { FileContent, FileValue, RequestFiles } from "./multipart.js";
export { type PrimitiveData, QueryParams, type QueryParamTypes } from "./query-params.js";
export { Request, type RequestOptions } from "./request.js";
export { Response, type ResponseOptions } from "./response.js";
export {
  type ContentDecoder,
  configureRuntime,
  type DecoderFactory,
  type Runtime,
  registerDecoder,
  runtime,
  setSyncTransportFactory,
  setTransportFactory,
  type TransportFactory,
  type TransportFactoryOptions,
} from "./runtime.js";
export { codes, type StatusCodeHelpers, type StatusCodeName, type StatusCodes } from "./status-codes.js";
export {
  type AsyncByteStream,
  type ByteStream,
  BytesStream,
  concatBytes,
  isAsyncByteStream,
  isSyncByteStream,
  readAll,
  readAllSync,
  type SyncByteStream,
} from "./streams.js";
export type { DefaultEncoding } from "./text-decoding.js";
export { URL, type URLOptions } from "./url.js";
export { URLPattern } from "./url-pattern.js";
export { VERSION } from "./version.js";

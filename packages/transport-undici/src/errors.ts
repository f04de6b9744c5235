/**
 * The one place where undici's and Node's errors become Ferry's `TransportError` classes.
 *
 * @module
 */
import {
  ConnectError,
  ConnectTimeout,
  LocalProtocolError,
  ProxyError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  type Request,
  TransportError,
  WriteError,
} from "@ferry/core";
import { ProxyHandshakeError } from "./connector.js";

/**
 * Where the request was when it failed: opening the connection, sending the request, or receiving the response.
 * The same network error means a different class in each phase (a reset while connecting is a `ConnectError`,
 * while reading a `ReadError`).
 */
export type Phase = "connect" | "write" | "read";

/** undici error codes with the same Ferry class in every phase. */
const BY_CODE: Record<string, typeof TransportError> = {
  UND_ERR_CONNECT_TIMEOUT: ConnectTimeout,
  UND_ERR_HEADERS_TIMEOUT: ReadTimeout,
  UND_ERR_BODY_TIMEOUT: ReadTimeout,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: RemoteProtocolError,
  UND_ERR_RES_EXCEEDED_MAX_SIZE: RemoteProtocolError,
  UND_ERR_HEADERS_OVERFLOW: RemoteProtocolError,
  UND_ERR_INVALID_ARG: LocalProtocolError,
  UND_ERR_NOT_SUPPORTED: LocalProtocolError,
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: LocalProtocolError,
  UND_ERR_SOCKS5: ProxyError,
  UND_ERR_PRX_TLS: ProxyError,
  // Node's TLS failures are connect failures whenever they happen.
  ERR_TLS_CERT_ALTNAME_INVALID: ConnectError,
  ERR_SSL_WRONG_VERSION_NUMBER: ConnectError,
};

/** The peer closed the connection cleanly (FIN) before the response was complete: a protocol violation. */
function isEarlyClose(error: { code?: unknown; message: string }): boolean {
  return error.code === "UND_ERR_SOCKET" && error.message === "other side closed";
}

function isParserError(error: { code?: unknown; name?: unknown }): boolean {
  return (
    error.name === "HTTPParserError" ||
    (typeof error.code === "string" && error.code.startsWith("HPE_")) ||
    error.code === "ERR_HTTP2_ERROR" ||
    error.code === "ERR_HTTP2_INVALID_HEADER_VALUE" ||
    error.code === "ERR_HTTP2_STREAM_ERROR" ||
    error.code === "ERR_HTTP2_SESSION_ERROR" ||
    error.code === "ERR_HTTP2_GOAWAY_SESSION"
  );
}

function message(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${error.message} (${code})`
      : error.message;
  }
  return String(error);
}

/**
 * Maps an error raised by undici, Node's sockets or the connector to Ferry's class for it, with `request` attached
 * and the original error as `cause`. Ferry errors pass through unchanged (with `request` attached when missing).
 *
 * | raised | Ferry class |
 * | --- | --- |
 * | connect timeout | `ConnectTimeout` |
 * | headers or body timeout | `ReadTimeout` |
 * | refused, DNS failure, TLS failure, reset while connecting | `ConnectError` |
 * | proxy refused the tunnel, SOCKS failure | `ProxyError` |
 * | malformed response, early close, content-length mismatch, HTTP/2 protocol error | `RemoteProtocolError` |
 * | invalid header or request, unsupported feature | `LocalProtocolError` |
 * | socket error while sending | `WriteError` |
 * | socket error while receiving | `ReadError` |
 */
export function toFerryError(error: unknown, request: Request, phase: Phase = "read"): TransportError {
  if (error instanceof TransportError) {
    if (!error.hasRequest) error.request = request;
    return error;
  }
  const options = { request, cause: error };
  if (error instanceof ProxyHandshakeError) return new ProxyError(error.message, options);
  if (!(error instanceof Error)) return new TransportError(String(error), options);
  const code = (error as { code?: unknown }).code;
  const mapped = typeof code === "string" ? BY_CODE[code] : undefined;
  // The connector's own timeout already says in plain words what timed out.
  if (code === "UND_ERR_CONNECT_TIMEOUT") return new ConnectTimeout(error.message, options);
  if (mapped !== undefined) return new mapped(message(error), options);
  if (phase === "connect") return new ConnectError(message(error), options);
  if (isEarlyClose(error)) {
    const what =
      phase === "read" ? "Server disconnected" : "Server disconnected while the request was being sent";
    return new RemoteProtocolError(`${what} (${error.message})`, options);
  }
  if (isParserError(error)) return new RemoteProtocolError(message(error), options);
  if (code === "UND_ERR_DESTROYED" || code === "UND_ERR_CLOSED") {
    const Class = phase === "write" ? WriteError : ReadError;
    return new Class(`The transport was closed while the request was in flight (${error.message})`, options);
  }
  if (phase === "write") return new WriteError(message(error), options);
  return new ReadError(message(error), options);
}

/**
 * Ferry's exceptions, with httpx's names and hierarchy.
 *
 * ```
 * HTTPError
 * ├── RequestError
 * │   ├── TransportError
 * │   │   ├── TimeoutException
 * │   │   │   ├── ConnectTimeout
 * │   │   │   ├── ReadTimeout
 * │   │   │   ├── WriteTimeout
 * │   │   │   └── PoolTimeout
 * │   │   ├── NetworkError
 * │   │   │   ├── ConnectError
 * │   │   │   ├── ReadError
 * │   │   │   ├── WriteError
 * │   │   │   └── CloseError
 * │   │   ├── ProtocolError
 * │   │   │   ├── LocalProtocolError
 * │   │   │   └── RemoteProtocolError
 * │   │   ├── ProxyError
 * │   │   └── UnsupportedProtocol
 * │   ├── DecodingError
 * │   └── TooManyRedirects
 * └── HTTPStatusError
 * InvalidURL
 * CookieConflict
 * StreamError
 * ├── StreamConsumed
 * ├── StreamClosed
 * ├── ResponseNotRead
 * └── RequestNotRead
 * ```
 *
 * Every class sets `name` to its own name, so `error.name` and `instanceof` agree across the hierarchy.
 *
 * @module
 */
import type { Request } from "./request.js";
import type { Response } from "./response.js";

/** Options shared by Ferry's request-bound errors. */
export interface HTTPErrorOptions {
  /** The request that was being sent when the error happened. */
  request?: Request | undefined;
  /** The underlying error (a runtime's network error, a decoder's error...). */
  cause?: unknown;
}

/**
 * Base class for {@link RequestError} and {@link HTTPStatusError}: catch it to handle any error raised while
 * sending a request or by `raiseForStatus()`.
 */
export class HTTPError extends Error {
  #request: Request | undefined;

  constructor(message: string, options: HTTPErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.#request = options.request;
  }

  /** The request this error relates to. Throws when the error was raised without one. */
  get request(): Request {
    if (this.#request === undefined) {
      throw new Error(`The .request property has not been set on this ${this.name}.`);
    }
    return this.#request;
  }

  set request(request: Request) {
    this.#request = request;
  }

  /** Whether a request is attached to this error. */
  get hasRequest(): boolean {
    return this.#request !== undefined;
  }
}

/** Base class for all errors that happen while issuing a request. */
export class RequestError extends HTTPError {}

/** Base class for errors raised by a transport while sending a request or receiving a response. */
export class TransportError extends RequestError {}

/** Base class for timeouts of a phase of the request: connect, read, write or pool. */
export class TimeoutException extends TransportError {}

/** Timed out while connecting to the host. */
export class ConnectTimeout extends TimeoutException {}

/** Timed out while receiving data from the host. */
export class ReadTimeout extends TimeoutException {}

/** Timed out while sending data to the host. */
export class WriteTimeout extends TimeoutException {}

/** Timed out waiting for a connection from the pool. */
export class PoolTimeout extends TimeoutException {}

/** Base class for network failures: connecting, reading, writing or closing. */
export class NetworkError extends TransportError {}

/** Failed to establish a connection (refused, DNS failure, TLS handshake failure...). */
export class ConnectError extends NetworkError {}

/** Failed to receive data from the network. */
export class ReadError extends NetworkError {}

/** Failed to send data through the network. */
export class WriteError extends NetworkError {}

/** Failed to close a connection. */
export class CloseError extends NetworkError {}

/** The HTTP protocol was violated, by the client or by the server. */
export class ProtocolError extends TransportError {}

/** The client was about to violate the protocol: for example a header carrying CR, LF or NUL. */
export class LocalProtocolError extends ProtocolError {}

/** The server violated the protocol: malformed response, early close, content-length mismatch... */
export class RemoteProtocolError extends ProtocolError {}

/** An error occurred while establishing a proxy connection. */
export class ProxyError extends TransportError {}

/** The URL scheme is not supported, or is missing. */
export class UnsupportedProtocol extends TransportError {}

/** Decoding the response body failed (corrupt gzip data, for example). */
export class DecodingError extends RequestError {}

/** More redirects than `maxRedirects` were followed. */
export class TooManyRedirects extends RequestError {}

/** Options of {@link HTTPStatusError}: the request and the response whose status was an error. */
export interface HTTPStatusErrorOptions {
  request: Request;
  response: Response;
}

/** The response had an error status: raised by `response.raiseForStatus()`. */
export class HTTPStatusError extends HTTPError {
  /** The response whose status code was not a success. */
  readonly response: Response;

  constructor(message: string, options: HTTPStatusErrorOptions) {
    super(message, { request: options.request });
    this.response = options.response;
  }
}

/** A URL could not be parsed or built. Not bound to a request: it is raised before one exists. */
export class InvalidURL extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidURL";
  }
}

/** `cookies.get(name)` matched more than one cookie: give a domain and path to choose one. */
export class CookieConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CookieConflict";
  }
}

/** Base class for misuse of a request or response stream. */
export class StreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream was already read, and cannot be read again. */
export class StreamConsumed extends StreamError {
  constructor(message?: string) {
    super(
      message ??
        "Attempted to read or stream some content, but the content has already been streamed. For requests, " +
          "this could be due to passing a one-shot stream as request content and then sending the request " +
          "twice (after a redirect or an auth retry, for example). For responses, this could be due to " +
          "iterating the raw stream after reading its content.",
    );
  }
}

/** The response was closed before its content was read. */
export class StreamClosed extends StreamError {
  constructor(message?: string) {
    super(message ?? "Attempted to read or stream content, but the stream has been closed.");
  }
}

/** The response content was accessed before `read()` (or a streaming read) completed. */
export class ResponseNotRead extends StreamError {
  constructor(message?: string) {
    super(
      message ??
        "Attempted to access streaming response content, without having called `read()`. " +
          "Call `await response.read()` first.",
    );
  }
}

/** The request content was accessed before `read()` completed on a streaming request body. */
export class RequestNotRead extends StreamError {
  constructor(message?: string) {
    super(
      message ??
        "Attempted to access streaming request content, without having called `read()`. " +
          "Call `await request.read()` first.",
    );
  }
}

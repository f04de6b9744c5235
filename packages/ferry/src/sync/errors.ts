/**
 * Errors across the thread boundary: the worker sends an error's class name, message and cause, and the calling
 * thread re-creates it as the same Ferry class (so `instanceof ReadTimeout` and `error.message` hold), attached to
 * the caller's request. {@link WorkerExited} is the error of the calling thread when the worker itself is gone.
 *
 * @module
 */
import {
  CloseError,
  ConnectError,
  ConnectTimeout,
  CookieConflict,
  DecodingError,
  HTTPError,
  InvalidURL,
  LocalProtocolError,
  NetworkError,
  PoolTimeout,
  ProtocolError,
  ProxyError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  type Request,
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
} from "@ferry/core";

/** An error as it crosses threads. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** `error.code` of Node's system errors (`ECONNREFUSED`...). */
  readonly code: string | undefined;
  readonly cause: WireError | undefined;
}

type HTTPErrorClass = new (message: string, options: { request?: Request; cause?: unknown }) => HTTPError;
type MessageErrorClass = new (message: string) => Error;

/** Ferry's request errors, by name: they carry the request and a cause. */
const HTTP_ERRORS: ReadonlyMap<string, HTTPErrorClass> = new Map<string, HTTPErrorClass>(
  [
    HTTPError,
    RequestError,
    TransportError,
    TimeoutException,
    ConnectTimeout,
    ReadTimeout,
    WriteTimeout,
    PoolTimeout,
    NetworkError,
    ConnectError,
    ReadError,
    WriteError,
    CloseError,
    ProtocolError,
    LocalProtocolError,
    RemoteProtocolError,
    ProxyError,
    UnsupportedProtocol,
    DecodingError,
    TooManyRedirects,
  ].map((Class) => [Class.name, Class]),
);

/** Other errors re-created by name with their message. */
const MESSAGE_ERRORS: ReadonlyMap<string, MessageErrorClass> = new Map<string, MessageErrorClass>([
  ["InvalidURL", InvalidURL],
  ["CookieConflict", CookieConflict],
  ["StreamError", StreamError],
  ["StreamConsumed", StreamConsumed],
  ["StreamClosed", StreamClosed],
  ["ResponseNotRead", ResponseNotRead],
  ["RequestNotRead", RequestNotRead],
  ["TypeError", TypeError],
  ["RangeError", RangeError],
  ["SyntaxError", SyntaxError],
  ["Error", Error],
]);

/** How deep a chain of causes is sent. */
const MAX_CAUSES = 4;

/** `error` as plain data that can be posted to another thread. */
export function toWireError(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) {
    return { name: "Error", message: String(error), stack: undefined, code: undefined, cause: undefined };
  }
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: unknown }).cause;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    code: typeof code === "string" ? code : undefined,
    cause: cause === undefined || depth >= MAX_CAUSES ? undefined : toWireError(cause, depth + 1),
  };
}

/**
 * Re-creates a posted error in this thread: Ferry's classes by name (request errors with `request` attached), the
 * built-in ones too, and anything else as an `Error` keeping the name. The error's stack is the calling thread's;
 * its causes keep the worker's.
 */
export function fromWireError(wire: WireError, request: Request | undefined): Error {
  const cause = wire.cause === undefined ? undefined : causeFromWire(wire.cause);
  const HTTPClass = HTTP_ERRORS.get(wire.name);
  let error: Error;
  if (HTTPClass !== undefined) {
    error = new HTTPClass(wire.message, {
      ...(request === undefined ? {} : { request }),
      ...(cause === undefined ? {} : { cause }),
    });
  } else {
    const MessageClass = MESSAGE_ERRORS.get(wire.name);
    error = MessageClass === undefined ? new Error(wire.message) : new MessageClass(wire.message);
    if (MessageClass === undefined) error.name = wire.name;
    if (cause !== undefined)
      Object.defineProperty(error, "cause", { value: cause, configurable: true, writable: true });
  }
  if (wire.code !== undefined) Object.assign(error, { code: wire.code });
  return error;
}

function causeFromWire(wire: WireError): Error {
  const cause = fromWireError(wire, undefined);
  if (wire.stack !== undefined) cause.stack = wire.stack;
  return cause;
}

/** How a worker thread ended, as far as the calling thread could see. */
export interface WorkerExit {
  /** The thread's exit code; `null` when it was stopped without running its exit handlers. */
  readonly code: number | null;
  /** What the worker reported before it stopped (an uncaught error), when it could. */
  readonly cause: Error | undefined;
}

/**
 * A SyncClient's worker thread exited while a request of the client was in flight (an uncaught error in it,
 * `worker.terminate()`, running out of memory). The request fails with this error; the client's next request
 * starts a fresh worker thread.
 */
export class WorkerExited extends TransportError {
  /** The worker thread's exit code; `null` when it was stopped without running its exit handlers. */
  readonly exitCode: number | null;

  constructor(exit: WorkerExit, request?: Request) {
    super(workerExitMessage(exit), {
      ...(request === undefined ? {} : { request }),
      ...(exit.cause === undefined ? {} : { cause: exit.cause }),
    });
    this.exitCode = exit.code;
  }
}

function workerExitMessage({ code, cause }: WorkerExit): string {
  const how =
    code === null
      ? "was stopped without an exit code (terminated, or out of memory)"
      : `exited with exit code ${code}`;
  const why = cause === undefined ? "" : `: ${cause.message}`;
  return `The SyncClient's worker thread ${how} before the response was complete${why}`;
}

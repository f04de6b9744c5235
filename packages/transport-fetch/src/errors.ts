/**
 * Maps what each runtime's `fetch` throws to Ferry's transport errors.
 *
 * Runtimes wrap network failures differently: Node's undici throws `TypeError: fetch failed` with the socket error
 * as `cause` (a `code` such as `ECONNREFUSED` or `UND_ERR_SOCKET`), Deno a `TypeError` whose message names the
 * failure ("tcp connect error", "connection closed before message completed"), Bun an error with a `code` such as
 * `ConnectionRefused`, workerd and browsers a bare `TypeError`. The codes and messages of the whole `cause` chain
 * are matched; what matches nothing is classified by the phase the exchange was in.
 *
 * @module
 */
import {
  ConnectError,
  ConnectTimeout,
  HTTPError,
  LocalProtocolError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  type Request,
  type TransportError,
  WriteError,
} from "@ferry/core";
import type { Exchange, Phase } from "./exchange.js";

type TransportErrorClass = new (
  message: string,
  options: { request: Request; cause?: unknown },
) => TransportError;

const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT",
  "ConnectionRefused",
  "FailedToOpenSocket",
  "UnableToConnect",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const CODE_CLASS: Readonly<Record<string, TransportErrorClass>> = {
  UND_ERR_CONNECT_TIMEOUT: ConnectTimeout,
  UND_ERR_HEADERS_TIMEOUT: ReadTimeout,
  UND_ERR_BODY_TIMEOUT: ReadTimeout,
  UND_ERR_SOCKET: RemoteProtocolError,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: RemoteProtocolError,
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: LocalProtocolError,
  ConnectionClosed: RemoteProtocolError,
};

const MESSAGE_CLASS: ReadonlyArray<readonly [RegExp, TransportErrorClass]> = [
  [
    /tcp connect error|connection refused|dns error|failed to lookup|unable to connect|certificate|getaddrinfo/i,
    ConnectError,
  ],
  [
    /other side closed|closed before message completed|unexpected eof|incomplete message|invalid http|parse error/i,
    RemoteProtocolError,
  ],
];

const PHASE_CLASS: Record<Phase, TransportErrorClass> = {
  connect: ConnectError,
  exchange: ConnectError,
  write: WriteError,
  response: ReadError,
  body: ReadError,
};

/** The errors of `error` and its `cause` chain, outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 8; ) {
    chain.push(current);
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

function errorCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function classify(chain: readonly unknown[], phase: Phase): TransportErrorClass {
  for (const error of chain) {
    const code = errorCode(error);
    if (code === undefined) continue;
    if (CONNECT_CODES.has(code)) return ConnectError;
    const byCode = CODE_CLASS[code];
    if (byCode !== undefined) return byCode;
    if (code.startsWith("HPE_")) return RemoteProtocolError;
  }
  const text = chain.map(errorMessage).join(" | ");
  for (const [pattern, errorClass] of MESSAGE_CLASS) {
    if (pattern.test(text)) return errorClass;
  }
  return PHASE_CLASS[phase];
}

/**
 * Turns what `fetch` (or a read of its body) threw into a Ferry error for `exchange`'s request. A timer of the
 * exchange that expired wins over whatever the runtime threw when it was aborted; Ferry errors pass unchanged.
 */
export function toFerryError(error: unknown, exchange: Exchange): Error {
  if (error instanceof HTTPError) return error;
  const expired = exchange.expired;
  if (expired !== undefined) return exchange.timeoutError(expired, error);
  const chain = causeChain(error);
  const errorClass = classify(chain, exchange.phase);
  const detail = chain.map(errorMessage).filter((message, index, all) => all.indexOf(message) === index);
  return new errorClass(detail.join(": ") || "The request failed.", {
    request: exchange.request,
    cause: error,
  });
}

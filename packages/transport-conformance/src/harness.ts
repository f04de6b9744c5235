/**
 * What a case works with: a fresh transport, the suite's server, and helpers to build requests and read raw bodies.
 *
 * @module
 */
import {
  type BaseTransport,
  isAsyncByteStream,
  Request,
  type RequestOptions,
  type Response,
  type TimeoutExtension,
} from "@ferry/core";
import { ConformanceFailure, show } from "./failure.js";
import type { ConformanceServer } from "./server.js";
import type {
  ConformanceContext,
  ConformanceOptions,
  ConformanceSupports,
  TransportFactory,
} from "./types.js";

/** Timeouts for cases that are not about timeouts: a hang fails in seconds, not at the case's limit. */
export const GENEROUS: TimeoutExtension = { connect: 5000, read: 5000, write: 5000, pool: 5000 };

/** One case of the suite: a rule of the contract and how to check it. */
export interface ConformanceCase {
  /** The rule, then what the case checks: `"redirects: a 3xx response is returned, never followed"`. */
  readonly name: string;
  /** The rule the case checks, as named in failures: `"redirects"`. */
  readonly rule: string;
  /** Capabilities the transport must have, else the case is skipped. */
  readonly needs?: readonly (keyof ConformanceSupports)[];
  /** Whether the suite's options give the case what it needs (a second factory, certificates); default yes. */
  applies?(options: ConformanceOptions): boolean;
  /** Checks the rule, throwing a `ConformanceFailure` (or the transport's own error) when it is broken. */
  run(env: CaseEnv): Promise<void>;
}

/** Options of {@link CaseEnv.request}: a request's options plus the timeouts to put in its extensions. */
export interface CaseRequestOptions extends RequestOptions {
  timeout?: Partial<TimeoutExtension>;
}

/** The environment of one case. */
export class CaseEnv {
  readonly #cleanups: (() => unknown)[] = [];

  constructor(
    /** The transport under test, built for this case. */
    readonly transport: BaseTransport,
    /** The suite's HTTP server. */
    readonly server: ConformanceServer,
    /** The suite's options. */
    readonly options: ConformanceOptions,
    /** The context handed to factories. */
    readonly context: ConformanceContext,
  ) {}

  /** Builds a request whose extensions carry `timeout` (generous phases unless given). */
  request(method: string, url: string, options: CaseRequestOptions = {}): Request {
    const { timeout, ...rest } = options;
    return new Request(method, url, { ...rest, extensions: { timeout: { ...GENEROUS, ...timeout } } });
  }

  /** Sends `request` through the transport; the response is closed when the case ends. */
  async send(request: Request): Promise<Response> {
    const response = await this.transport.handleRequest(request);
    this.defer(() => response.close());
    return response;
  }

  /** Builds a transport with `factory` (for cases that need a second one); it is closed when the case ends. */
  async build(factory: TransportFactory): Promise<BaseTransport> {
    const transport = await factory(this.context);
    this.defer(() => transport.close());
    return transport;
  }

  /** Registers work to do when the case ends, whatever its outcome. */
  defer(cleanup: () => unknown): void {
    this.#cleanups.push(cleanup);
  }

  /** Runs the registered cleanups, newest first, ignoring their errors. */
  async cleanup(): Promise<void> {
    for (const cleanup of this.#cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // A cleanup after a failed case may meet a half-closed transport; the case's own error is what matters.
      }
    }
  }
}

/** The raw chunks of a response body, from the transport's stream, without `Content-Encoding` decoding. */
export async function* rawChunks(response: Response): AsyncGenerator<Uint8Array, void, undefined> {
  const stream = response.stream;
  if (isAsyncByteStream(stream)) {
    for await (const chunk of stream) yield chunk;
  } else {
    for (const chunk of stream) yield chunk;
  }
}

/** Reads the raw body of `response` whole. */
export async function readRaw(response: Response): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of rawChunks(response)) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Reads the raw body of `response` as UTF-8 text. */
export async function readRawText(response: Response): Promise<string> {
  return new TextDecoder().decode(await readRaw(response));
}

/** Whether two byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Deterministic pseudo-random bytes, so a reordered or corrupted body cannot pass for the original. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** A promise and its resolver, to hand control between a server handler and a case. */
export interface Signal<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

/** Creates a {@link Signal}. */
export function signal<T = void>(): Signal<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Waits `ms` milliseconds. Used only where a case must observe that something does not happen. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with what `promise` rejects with; a fulfilment is a failure of `rule`. */
export async function rejection(promise: Promise<unknown>, rule: string, what: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new ConformanceFailure(rule, `${what}, but it succeeded.`);
}

/**
 * Checks `error` is an instance of `expected` bound to `request`, and carrying a `cause` when `needsCause` (a timeout
 * a transport's own timer raised has no underlying error).
 */
export function checkTransportError(
  error: unknown,
  expected: readonly (abstract new (...args: never[]) => Error)[],
  request: Request,
  rule: string,
  needsCause = true,
): void {
  const names = expected.map((type) => type.name).join(" or ");
  if (error instanceof ConformanceFailure) throw error;
  if (!expected.some((type) => error instanceof type)) {
    throw new ConformanceFailure(rule, `expected ${names}, got ${show(error)}.`, { cause: error });
  }
  const bound = error as Error & { hasRequest?: boolean; request?: Request };
  if (bound.hasRequest !== true || bound.request !== request) {
    throw new ConformanceFailure(
      rule,
      `the ${names} does not carry the request it was raised for (.request).`,
    );
  }
  if (needsCause && bound.cause === undefined) {
    throw new ConformanceFailure(rule, `the ${names} does not carry the underlying error (.cause).`);
  }
}

/**
 * The retry policy: which requests, statuses and errors are retried, how many times, and how long to wait.
 *
 * @module
 */
import { type Headers, NetworkError, RemoteProtocolError, TimeoutException } from "@ferry/core";

/** A class of error to retry: `TimeoutException`, `ConnectError`, or any class of your own. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Options of {@link Retry}. Durations are milliseconds. */
export interface RetryOptions {
  /** How many times a request may be retried (attempts = retries + 1). Default 10. */
  total?: number;
  /** The base of the exponential backoff: retry `n` waits `backoffFactor × 2ⁿ` ms. Default 0 (no wait). */
  backoffFactor?: number;
  /** How much of each wait is random, from 0 (none) to 1 (anywhere between 0 and the full wait). Default 1. */
  backoffJitter?: number;
  /** The longest wait between two attempts, `Retry-After` included. Default 120 000 (two minutes). */
  maxBackoffWait?: number;
  /** Status codes to retry. Default 429, 502, 503, 504. */
  statusForcelist?: Iterable<number>;
  /** Methods to retry. Default the idempotent ones: HEAD, GET, PUT, DELETE, OPTIONS, TRACE. */
  allowedMethods?: Iterable<string>;
  /** Whether to wait as long as a response's `Retry-After` asks (capped by `maxBackoffWait`). Default true. */
  respectRetryAfterHeader?: boolean;
  /** Error classes to retry. Default `TimeoutException`, `NetworkError` and `RemoteProtocolError`. */
  retryOnExceptions?: Iterable<ErrorClass>;
}

const DEFAULT_METHODS = ["HEAD", "GET", "PUT", "DELETE", "OPTIONS", "TRACE"];
const DEFAULT_STATUSES = [429, 502, 503, 504];
const DEFAULT_ERRORS: readonly ErrorClass[] = [TimeoutException, NetworkError, RemoteProtocolError];
const OPTION_NAMES = new Set([
  "total",
  "backoffFactor",
  "backoffJitter",
  "maxBackoffWait",
  "statusForcelist",
  "allowedMethods",
  "respectRetryAfterHeader",
  "retryOnExceptions",
]);
const DIGITS = /^\d+$/;

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function number(
  name: string,
  value: unknown,
  fallback: number,
  check: (n: number) => boolean,
  rule: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`Retry option '${name}' must be a number, got ${describe(value)}.`);
  }
  if (!check(value)) throw new RangeError(`Retry option '${name}' must be ${rule}, got ${value}.`);
  return value;
}

function list<T>(name: string, value: Iterable<T> | undefined, fallback: readonly T[]): T[] {
  if (value === undefined) return [...fallback];
  // A string is iterable, but "GET" is a name, not a list of names.
  if (
    typeof value === "string" ||
    typeof (value as Partial<Iterable<T>> | null)?.[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(`Retry option '${name}' must be a list, got ${describe(value)}.`);
  }
  return [...value];
}

function statusCodes(value: Iterable<number> | undefined): ReadonlySet<number> {
  const codes = list("statusForcelist", value, DEFAULT_STATUSES);
  for (const code of codes) {
    if (!Number.isInteger(code) || code < 100 || code > 999) {
      throw new RangeError(`Retry option 'statusForcelist' must hold status codes, got ${describe(code)}.`);
    }
  }
  return new Set(codes);
}

function methods(value: Iterable<string> | undefined): ReadonlySet<string> {
  const names = list("allowedMethods", value, DEFAULT_METHODS);
  for (const name of names) {
    if (typeof name !== "string") {
      throw new TypeError(`Retry option 'allowedMethods' must hold method names, got ${describe(name)}.`);
    }
  }
  return new Set(names.map((name) => name.toUpperCase()));
}

function errorClasses(value: Iterable<ErrorClass> | undefined): readonly ErrorClass[] {
  const classes = list("retryOnExceptions", value, DEFAULT_ERRORS);
  for (const type of classes) {
    if (typeof type !== "function") {
      throw new TypeError(`Retry option 'retryOnExceptions' must hold error classes, got ${describe(type)}.`);
    }
  }
  return classes;
}

/**
 * A retry policy, with the semantics of urllib3's `Retry` as httpx-retries applies them: only idempotent methods by
 * default, statuses 429/502/503/504, timeouts, network errors and protocol errors; an exponential backoff with
 * jitter, and `Retry-After` (seconds or an HTTP date) honoured up to `maxBackoffWait`. Immutable, so one policy can
 * serve many transports.
 *
 * ```ts
 * const retry = new Retry({ total: 3, backoffFactor: 500 }); // waits up to 1 s, 2 s, then 4 s
 * ```
 */
export class Retry {
  /** How many times a request may be retried. */
  readonly total: number;
  /** The base of the exponential backoff, in milliseconds. */
  readonly backoffFactor: number;
  /** How much of each wait is random, from 0 to 1. */
  readonly backoffJitter: number;
  /** The longest wait between two attempts, in milliseconds. */
  readonly maxBackoffWait: number;
  /** Status codes that are retried. */
  readonly statusForcelist: ReadonlySet<number>;
  /** Methods that are retried, upper-cased. */
  readonly allowedMethods: ReadonlySet<string>;
  /** Whether a `Retry-After` header sets the wait. */
  readonly respectRetryAfterHeader: boolean;
  /** Error classes that are retried. */
  readonly retryOnExceptions: readonly ErrorClass[];

  /** Checks and freezes the options; a bad value is a `TypeError` or `RangeError` naming the option. */
  constructor(options: RetryOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Retry options must be an object, got ${describe(options)}.`);
    }
    for (const name of Object.keys(options)) {
      if (!OPTION_NAMES.has(name)) throw new TypeError(`Retry has no option '${name}'.`);
    }
    this.total = number("total", options.total, 10, (n) => Number.isInteger(n) && n >= 0, "an integer ≥ 0");
    this.backoffFactor = number("backoffFactor", options.backoffFactor, 0, (n) => n >= 0, "≥ 0");
    this.backoffJitter = number(
      "backoffJitter",
      options.backoffJitter,
      1,
      (n) => n >= 0 && n <= 1,
      "in [0, 1]",
    );
    this.maxBackoffWait = number("maxBackoffWait", options.maxBackoffWait, 120_000, (n) => n > 0, "> 0");
    this.statusForcelist = statusCodes(options.statusForcelist);
    this.allowedMethods = methods(options.allowedMethods);
    const respect = options.respectRetryAfterHeader ?? true;
    if (typeof respect !== "boolean") {
      throw new TypeError(
        `Retry option 'respectRetryAfterHeader' must be a boolean, got ${describe(respect)}.`,
      );
    }
    this.respectRetryAfterHeader = respect;
    this.retryOnExceptions = errorClasses(options.retryOnExceptions);
    Object.freeze(this);
  }

  /** Whether requests with `method` may be retried. */
  isRetryableMethod(method: string): boolean {
    return this.allowedMethods.has(method.toUpperCase());
  }

  /** Whether a response with `statusCode` is retried. */
  isRetryableStatusCode(statusCode: number): boolean {
    return this.statusForcelist.has(statusCode);
  }

  /** Whether `error` is retried. */
  isRetryableError(error: unknown): boolean {
    return this.retryOnExceptions.some((type) => error instanceof type);
  }

  /** The backoff before retry number `retry` (1 for the first retry), jitter applied and capped. */
  backoff(retry: number, random: () => number = Math.random): number {
    if (this.backoffFactor === 0) return 0;
    let wait = this.backoffFactor * 2 ** retry;
    if (this.backoffJitter > 0) wait *= 1 - this.backoffJitter * random();
    return Math.min(wait, this.maxBackoffWait);
  }

  /**
   * The wait a `Retry-After` value asks for, in milliseconds (0 for a date in the past), or `null` when the value is
   * neither a number of seconds nor an HTTP date.
   */
  parseRetryAfter(value: string, now: number = Date.now()): number | null {
    const trimmed = value.trim();
    if (DIGITS.test(trimmed)) return Number(trimmed) * 1000;
    // An HTTP date always names the day and the zone ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse is lenient.
    if (!/^[A-Za-z]{3},? /.test(trimmed) && !/ GMT$/.test(trimmed)) return null;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? null : Math.max(0, date - now);
  }

  /**
   * How long to wait before retry number `retry`: what a `Retry-After` header among `headers` asks for when it is
   * honoured and positive, else the backoff; never more than `maxBackoffWait`.
   */
  delay(retry: number, headers?: Headers): number {
    if (this.respectRetryAfterHeader && headers !== undefined) {
      const header = headers.get("retry-after");
      const asked = header === undefined ? null : this.parseRetryAfter(header);
      if (asked !== null && asked > 0) return Math.min(asked, this.maxBackoffWait);
    }
    return this.backoff(retry);
  }
}

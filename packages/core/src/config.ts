/**
 * Client configuration: {@link Timeout}, {@link Limits}, {@link Proxy} and the defaults a Client starts from.
 * Every class validates its input with zod once, at construction, and is frozen afterwards, so the per-request
 * path only reads resolved values.
 *
 * @module
 */
import { z } from "zod";

/** Timeouts of one request, in milliseconds per phase; `null` disables that phase's timeout. */
export interface TimeoutExtension {
  connect: number | null;
  read: number | null;
  write: number | null;
  pool: number | null;
}

/**
 * What a `timeout` option accepts: a number of milliseconds for all four phases, `null` for none, a
 * {@link Timeout}, or an object giving each phase.
 */
export type TimeoutTypes = number | null | Timeout | TimeoutExtension;

/** Per-phase overrides given next to a default: `new Timeout(10_000, { connect: 2_000 })`. */
export interface TimeoutOptions {
  connect?: number | null | undefined;
  read?: number | null | undefined;
  write?: number | null | undefined;
  pool?: number | null | undefined;
}

const PHASES = ["connect", "read", "write", "pool"] as const;

const durationSchema = z.number().nonnegative().nullable();
const timeoutObjectSchema = z.strictObject({
  connect: durationSchema,
  read: durationSchema,
  write: durationSchema,
  pool: durationSchema,
});
const timeoutOptionsSchema = z.strictObject({
  connect: durationSchema.optional(),
  read: durationSchema.optional(),
  write: durationSchema.optional(),
  pool: durationSchema.optional(),
});

/** Renders a value for an error message: strings quoted, objects as JSON where possible. */
function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value !== null && typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    value =
      value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return value;
}

/**
 * Parses `input` with `schema`, turning the first zod issue into a `TypeError` (wrong type, unknown option) or
 * a `RangeError` (a number out of range) that names the option and the value given.
 */
function parseOption<T>(
  schema: z.ZodType<T>,
  input: unknown,
  owner: string,
  expected: string | Readonly<Record<string, string>>,
): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === "unrecognized_keys") {
    throw new TypeError(
      `${owner}: unknown option ${issue.keys.map((key) => JSON.stringify(key)).join(", ")}.`,
    );
  }
  const path = issue?.path ?? [];
  const value = valueAt(input, path);
  const name = path.length > 0 ? `${owner} ${path.map(String).join(".")}` : owner;
  const outOfRange = typeof value === "number" && !Number.isNaN(value);
  const ErrorClass = outOfRange ? RangeError : TypeError;
  const wanted = typeof expected === "string" ? expected : (expected[String(path[0])] ?? "a valid value");
  throw new ErrorClass(`Invalid ${name}: ${show(value)} (expected ${wanted}).`);
}

const DURATION = "a non-negative, finite number of milliseconds, or null";

/**
 * Timeout configuration of a request, per phase, in milliseconds: `connect` (establishing a connection),
 * `read` (waiting for data), `write` (sending data) and `pool` (waiting for a free connection). `null` disables a
 * phase's timeout.
 *
 * ```ts
 * new Timeout(null);                       // no timeouts
 * new Timeout(5_000);                      // 5 s on every phase
 * new Timeout(null, { connect: 5_000 });   // 5 s to connect, no other timeout
 * new Timeout(5_000, { connect: 10_000 }); // 10 s to connect, 5 s elsewhere
 * new Timeout({ connect: 1_000, read: 2_000, write: 2_000, pool: null });
 * ```
 */
export class Timeout implements TimeoutExtension {
  /** Milliseconds allowed to establish a connection, or `null` for no limit. */
  readonly connect: number | null;
  /** Milliseconds allowed between chunks of received data, or `null` for no limit. */
  readonly read: number | null;
  /** Milliseconds allowed between chunks of sent data, or `null` for no limit. */
  readonly write: number | null;
  /** Milliseconds allowed to wait for a connection from the pool, or `null` for no limit. */
  readonly pool: number | null;
  readonly #extension: Readonly<TimeoutExtension>;

  /**
   * Resolves `timeout` (the default for every phase) and `options` (per-phase overrides). Without a default,
   * `options` must give all four phases.
   *
   * @throws TypeError when a value is not a number or `null`, or when neither a default nor all four phases are
   *   given; RangeError when a value is negative or infinite.
   */
  constructor(timeout?: TimeoutTypes, options: TimeoutOptions = {}) {
    const overrides = parseOption(timeoutOptionsSchema, options, "timeout", DURATION);
    const base = resolveBase(timeout, overrides);
    this.connect = overrides.connect === undefined ? base.connect : overrides.connect;
    this.read = overrides.read === undefined ? base.read : overrides.read;
    this.write = overrides.write === undefined ? base.write : overrides.write;
    this.pool = overrides.pool === undefined ? base.pool : overrides.pool;
    this.#extension = Object.freeze({
      connect: this.connect,
      read: this.read,
      write: this.write,
      pool: this.pool,
    });
    Object.freeze(this);
  }

  /** The timeouts as a plain, frozen object: the form carried in `request.extensions.timeout`. */
  asExtension(): TimeoutExtension {
    return this.#extension;
  }

  /** Whether `other` is a {@link Timeout} (or a `{ connect, read, write, pool }` object) with the same values. */
  equals(other: unknown): boolean {
    if (other === null || typeof other !== "object") return false;
    const candidate = other as Partial<Record<(typeof PHASES)[number], unknown>>;
    return PHASES.every((phase) => candidate[phase] === this[phase]);
  }

  /** A readable form: `Timeout(timeout=5000)`, or each phase when they differ. */
  toString(): string {
    const { connect, read, write, pool } = this;
    if (connect === read && read === write && write === pool) return `Timeout(timeout=${connect})`;
    return `Timeout(connect=${connect}, read=${read}, write=${write}, pool=${pool})`;
  }
}

/** Reads the default for every phase; overrides are already validated and may fill in for a missing default. */
function resolveBase(timeout: TimeoutTypes | undefined, overrides: TimeoutOptions): TimeoutExtension {
  if (timeout instanceof Timeout) return timeout;
  if (timeout === undefined) {
    if (PHASES.some((phase) => overrides[phase] === undefined)) {
      throw new TypeError(
        "Timeout must either include a default, or set all four phases (connect, read, write, pool) explicitly.",
      );
    }
    return { connect: null, read: null, write: null, pool: null };
  }
  if (timeout !== null && typeof timeout === "object") {
    return parseOption(timeoutObjectSchema, timeout, "timeout", DURATION);
  }
  const value = parseOption(durationSchema, timeout, "timeout", DURATION);
  return { connect: value, read: value, write: value, pool: value };
}

/** Options of {@link Limits}; `null` means unlimited (or, for `keepaliveExpiry`, never expire). */
export interface LimitsOptions {
  /** Most connections open at once. */
  maxConnections?: number | null | undefined;
  /** Most idle connections kept alive for reuse; should not exceed `maxConnections`. */
  maxKeepaliveConnections?: number | null | undefined;
  /** Milliseconds an idle kept-alive connection lives before it is closed (default 5000). */
  keepaliveExpiry?: number | null | undefined;
}

const limitsSchema = z.strictObject({
  maxConnections: z.number().int().positive().nullable().optional(),
  maxKeepaliveConnections: z.number().int().nonnegative().nullable().optional(),
  keepaliveExpiry: durationSchema.optional(),
});

const LIMITS_EXPECTED = {
  maxConnections: "a positive whole number, or null",
  maxKeepaliveConnections: "a non-negative whole number, or null",
  keepaliveExpiry: DURATION,
};

/** Connection pool limits: how many connections a transport may open and keep alive, and for how long. */
export class Limits {
  /** Most connections open at once, or `null` for no limit. */
  readonly maxConnections: number | null;
  /** Most idle connections kept alive, or `null` for no limit. */
  readonly maxKeepaliveConnections: number | null;
  /** Milliseconds an idle connection is kept alive, or `null` to keep it until the server closes it. */
  readonly keepaliveExpiry: number | null;

  /**
   * Validates and freezes the limits.
   *
   * @throws TypeError for a non-numeric value or an unknown option; RangeError for a negative or fractional count
   *   or a negative expiry.
   */
  constructor(options: LimitsOptions = {}) {
    const parsed = parseOption(limitsSchema, options, "Limits", LIMITS_EXPECTED);
    this.maxConnections = parsed.maxConnections ?? null;
    this.maxKeepaliveConnections = parsed.maxKeepaliveConnections ?? null;
    this.keepaliveExpiry = parsed.keepaliveExpiry === undefined ? 5000 : parsed.keepaliveExpiry;
    Object.freeze(this);
  }

  /** Whether `other` is a {@link Limits} with the same values. */
  equals(other: unknown): boolean {
    return (
      other instanceof Limits &&
      other.maxConnections === this.maxConnections &&
      other.maxKeepaliveConnections === this.maxKeepaliveConnections &&
      other.keepaliveExpiry === this.keepaliveExpiry
    );
  }

  /** A readable form listing the three limits. */
  toString(): string {
    return (
      `Limits(maxConnections=${this.maxConnections}, ` +
      `maxKeepaliveConnections=${this.maxKeepaliveConnections}, keepaliveExpiry=${this.keepaliveExpiry})`
    );
  }
}

/** The timeout a Client uses unless told otherwise: 5000 ms on every phase. */
export const DEFAULT_TIMEOUT_CONFIG: Timeout = new Timeout(5000);

/** The pool limits a Client uses unless told otherwise: 100 connections, 20 kept alive, 5000 ms expiry. */
export const DEFAULT_LIMITS: Limits = new Limits({ maxConnections: 100, maxKeepaliveConnections: 20 });

/** How many redirects a Client follows before raising `TooManyRedirects`. */
export const DEFAULT_MAX_REDIRECTS = 20;

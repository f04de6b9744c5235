/**
 * Client configuration: {@link Timeout}, {@link Limits}, {@link Proxy} and the defaults a Client starts from.
 * Every class validates its input with zod once, at construction, and is frozen afterwards, so the per-request
 * path only reads resolved values.
 *
 * @module
 */
import * as z from "zod/mini";
import { Headers, type HeaderTypes } from "./headers.js";
import { URL } from "./url.js";

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

const durationSchema = z.nullable(z.number().check(z.nonnegative()));
const timeoutObjectSchema = z.strictObject({
  connect: durationSchema,
  read: durationSchema,
  write: durationSchema,
  pool: durationSchema,
});
const timeoutOptionsSchema = z.strictObject({
  connect: z.optional(durationSchema),
  read: z.optional(durationSchema),
  write: z.optional(durationSchema),
  pool: z.optional(durationSchema),
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
  schema: z.ZodMiniType<T>,
  input: unknown,
  owner: string,
  expected: string | Readonly<Record<string, string>>,
): T {
  const result = z.safeParse(schema, input);
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
  // A number of the right type but outside the allowed values (negative, infinite, fractional) is a range error.
  const numeric = issue?.code === "invalid_type" && (issue.expected === "number" || issue.expected === "int");
  const bound = (issue?.code === "too_small" || issue?.code === "too_big") && typeof value === "number";
  const outOfRange = bound || (numeric && typeof value === "number" && !Number.isNaN(value));
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
  maxConnections: z.optional(z.nullable(z.int().check(z.positive()))),
  maxKeepaliveConnections: z.optional(z.nullable(z.int().check(z.nonnegative()))),
  keepaliveExpiry: z.optional(durationSchema),
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

/** Options of {@link Proxy}. */
export interface ProxyOptions {
  /** Username and password for the proxy; credentials in the proxy URL take precedence, as in httpx. */
  auth?: readonly [username: string, password: string] | null | undefined;
  /** Headers sent to the proxy only (on `CONNECT`, or with each request to an HTTP proxy). */
  headers?: HeaderTypes | null | undefined;
}

const PROXY_SCHEMES: ReadonlySet<string> = new Set(["http", "https", "socks5", "socks5h", "socks4"]);

const proxyOptionsSchema = z.strictObject({
  auth: z.optional(z.nullable(z.tuple([z.string(), z.string()]))),
  headers: z.optional(z.unknown()),
});

function basicCredentials(username: string, password: string): string {
  // btoa takes Latin-1 only, so UTF-8 bytes go through it one code unit each.
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * A proxy to route requests through: its URL (`http`, `https`, `socks5`, `socks5h` or `socks4`), the
 * credentials to give it, and headers meant for it alone. Credentials come from `auth` or from the URL's userinfo
 * (which is then removed from {@link Proxy.url}); with credentials, `headers` carries a
 * `Proxy-Authorization: Basic ...` header.
 *
 * ```ts
 * new Proxy("http://user:secret@proxy.internal:3128");
 * new Proxy("socks5://proxy.internal:1080", { auth: ["user", "secret"] });
 * ```
 */
// biome-ignore lint/suspicious/noShadowRestrictedNames: httpx's name for it, and Ferry's public API; the global is not used here.
export class Proxy {
  /** The proxy URL, without credentials. */
  readonly url: URL;
  /** The username and password for the proxy, or `null`. */
  readonly auth: readonly [username: string, password: string] | null;
  /** Headers for the proxy, `Proxy-Authorization` included when there are credentials. */
  readonly headers: Headers;

  /**
   * Parses and checks the proxy URL and options.
   *
   * @throws TypeError for a scheme other than http, https, socks5, socks5h or socks4, or a malformed option;
   *   InvalidURL for a URL that cannot be parsed.
   */
  constructor(url: string | URL, options: ProxyOptions = {}) {
    const parsed = parseOption(proxyOptionsSchema, options, "Proxy", "auth as [username, password]");
    let proxyUrl = new URL(url);
    if (!PROXY_SCHEMES.has(proxyUrl.scheme)) {
      throw new TypeError(
        `Unsupported proxy scheme ${JSON.stringify(proxyUrl.scheme)} for proxy URL ` +
          `${JSON.stringify(`${proxyUrl.scheme}://${proxyUrl.netloc}`)}: use http, https, socks5, socks5h or socks4.`,
      );
    }
    let auth = parsed.auth ?? null;
    if (proxyUrl.username !== "" || proxyUrl.password !== "") {
      auth = [proxyUrl.username, proxyUrl.password];
      proxyUrl = proxyUrl.copyWith({ userinfo: "" });
    }
    this.url = proxyUrl;
    this.auth = auth === null ? null : Object.freeze([auth[0], auth[1]] as const);
    this.headers = new Headers(options.headers);
    if (this.auth !== null) this.headers.set("Proxy-Authorization", basicCredentials(...this.auth));
    Object.freeze(this);
  }

  /** A readable form, with the password masked. */
  toString(): string {
    const auth = this.auth === null ? "" : `, auth=[${JSON.stringify(this.auth[0])}, "********"]`;
    return `Proxy(${JSON.stringify(this.url.toString())}${auth})`;
  }
}

/** The timeout a Client uses unless told otherwise: 5000 ms on every phase. */
export const DEFAULT_TIMEOUT_CONFIG: Timeout = new Timeout(5000);

/** The pool limits a Client uses unless told otherwise: 100 connections, 20 kept alive, 5000 ms expiry. */
export const DEFAULT_LIMITS: Limits = new Limits({ maxConnections: 100, maxKeepaliveConnections: 20 });

/** How many redirects a Client follows before raising `TooManyRedirects`. */
export const DEFAULT_MAX_REDIRECTS = 20;

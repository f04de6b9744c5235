/**
 * Validation of a Client's options, once, at construction and in its property setters; the request path only
 * reads the results.
 *
 * @module
 */
import { Limits, Timeout, type TimeoutExtension, type TimeoutTypes } from "../config.js";
import { type DefaultEncoding, isKnownEncoding } from "../text-decoding.js";
import { URL } from "../url.js";
import type { ClientOptions, EventHooks, RequestHook, ResponseHook } from "./types.js";

/** The names of every Client option, in API order. */
export const CLIENT_OPTION_NAMES: readonly (keyof ClientOptions)[] = [
  "auth",
  "params",
  "headers",
  "cookies",
  "verify",
  "cert",
  "trustEnv",
  "http1",
  "http2",
  "proxy",
  "limits",
  "mounts",
  "timeout",
  "followRedirects",
  "maxRedirects",
  "eventHooks",
  "baseUrl",
  "transport",
  "defaultEncoding",
];

/** Renders a value for an error message: strings quoted, objects by class or as JSON. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return String(value);
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  if (name !== undefined && name !== "Object" && name !== "Array") return `a ${name}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws a `TypeError` for an option of the wrong type. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw new TypeError(`Invalid Client option "${option}": ${show(value)} (expected ${expected}).`);
}

/**
 * Checks that `options` is an object holding only Client options.
 *
 * @throws TypeError naming an unknown option, with the known option it resembles.
 */
export function checkOptionNames(options: unknown): asserts options is ClientOptions {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`Client options must be an object, got ${show(options)}.`);
  }
  for (const name of Object.keys(options)) {
    if (!(CLIENT_OPTION_NAMES as readonly string[]).includes(name)) {
      const near = nearestOptionName(name);
      const hint = near === undefined ? "" : ` Did you mean "${near}"?`;
      throw new TypeError(
        `Unknown Client option "${name}" (given ${show((options as Record<string, unknown>)[name])}).${hint}`,
      );
    }
  }
}

function nearestOptionName(name: string): string | undefined {
  const squash = (text: string): string => text.toLowerCase().replaceAll("_", "");
  return CLIENT_OPTION_NAMES.find((known) => {
    const [a, b] = [squash(known), squash(name)];
    return a === b || a.startsWith(b) || b.startsWith(a) || editDistance(a, b) <= 2;
  });
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A boolean option, or its default when left out. */
export function booleanOption(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") invalidOption(option, value, "true or false");
  return value;
}

/**
 * `maxRedirects`: a non-negative integer.
 *
 * @throws TypeError when not a number; RangeError when negative, fractional or not finite.
 */
export function maxRedirectsOption(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") invalidOption("maxRedirects", value, "a non-negative integer");
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`Invalid Client option "maxRedirects": ${value} (expected a non-negative integer).`);
  }
  return value;
}

/** The `Timeout` of a `timeout` option; `undefined` gives `fallback`. */
export function timeoutOption(value: TimeoutTypes | undefined, fallback: Timeout): Timeout {
  if (value === undefined) return fallback;
  return value instanceof Timeout ? value : new Timeout(value);
}

const NO_TIMEOUT: TimeoutExtension = Object.freeze({ connect: null, read: null, write: null, pool: null });

/**
 * The `extensions.timeout` of a per-request `timeout` option, skipping the `Timeout` constructor for the common
 * forms (a number of milliseconds, `null`, a `Timeout`).
 */
export function timeoutExtension(timeout: TimeoutTypes): TimeoutExtension {
  if (timeout === null) return NO_TIMEOUT;
  if (typeof timeout === "number" && timeout >= 0 && Number.isFinite(timeout)) {
    return { connect: timeout, read: timeout, write: timeout, pool: timeout };
  }
  return (timeout instanceof Timeout ? timeout : new Timeout(timeout)).asExtension();
}

/** `limits`: a `Limits`. */
export function limitsOption(value: unknown, fallback: Limits): Limits {
  if (value === undefined) return fallback;
  if (!(value instanceof Limits)) invalidOption("limits", value, "a Limits");
  return value;
}

/** `baseUrl` as a URL whose path ends with "/", so that relative request URLs are appended to it. */
export function baseUrlOption(value: unknown): URL {
  if (value === undefined) return new URL("");
  if (typeof value !== "string" && !(value instanceof URL))
    invalidOption("baseUrl", value, "a string or a URL");
  const url = value instanceof URL ? value : new URL(value);
  return url.rawPath.endsWith("/") ? url : url.copyWith({ rawPath: `${url.rawPath}/` });
}

/**
 * `defaultEncoding`: an encoding label, or a function choosing one from the content.
 *
 * @throws TypeError for another type; RangeError for a label that names no encoding Ferry can decode.
 */
export function defaultEncodingOption(value: unknown): DefaultEncoding {
  if (value === undefined) return "utf-8";
  if (typeof value === "function") return value as DefaultEncoding;
  if (typeof value !== "string") {
    invalidOption("defaultEncoding", value, "an encoding label or a function of the content");
  }
  if (!isKnownEncoding(value)) {
    throw new RangeError(
      `Invalid Client option "defaultEncoding": ${show(value)} is not a known text encoding.`,
    );
  }
  return value;
}

/** Event hook lists, copied so that the caller's arrays stay theirs. */
export interface ResolvedEventHooks {
  request: RequestHook[];
  response: ResponseHook[];
}

/**
 * `eventHooks`: `{ request?: [...], response?: [...] }`, each an array of functions.
 *
 * @throws TypeError for another key, or a hook that is not a function.
 */
export function eventHooksOption(value: unknown): ResolvedEventHooks {
  if (value === undefined || value === null) return { request: [], response: [] };
  if (typeof value !== "object" || Array.isArray(value)) {
    invalidOption("eventHooks", value, "an object { request?: [...], response?: [...] }");
  }
  for (const key of Object.keys(value)) {
    if (key !== "request" && key !== "response") {
      invalidOption("eventHooks", value, `only "request" and "response" hooks, not "${key}"`);
    }
  }
  const hooks = value as EventHooks;
  return { request: hookList("request", hooks.request), response: hookList("response", hooks.response) };
}

function hookList<T extends RequestHook | ResponseHook>(event: string, hooks: unknown): T[] {
  if (hooks === undefined) return [];
  if (!Array.isArray(hooks)) invalidOption(`eventHooks.${event}`, hooks, "an array of functions");
  for (const hook of hooks) {
    if (typeof hook !== "function") invalidOption(`eventHooks.${event}`, hook, "a function");
  }
  return [...(hooks as T[])];
}

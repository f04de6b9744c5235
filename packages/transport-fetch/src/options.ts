/**
 * The options of {@link FetchTransport}, checked once at construction and resolved into a frozen configuration the
 * per-request path only reads.
 *
 * @module
 */
import {
  type DecodedCodings,
  decodedCodings,
  detectRuntime,
  type FetchRuntime,
  supportsRequestStreams,
} from "./environment.js";
import { type NetworkOptions, networkInit } from "./network-options.js";

/** The `fetch` function a transport calls: the runtime's `globalThis.fetch` or any compatible one. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<globalThis.Response>;

/** Members of `RequestInit` that FetchTransport sets itself for each request. */
type OwnInitMembers = "method" | "headers" | "body" | "redirect" | "signal" | "duplex";

/**
 * Extra `fetch` init members sent with every request: `credentials`, `mode`, `cache`, `referrerPolicy`, `keepalive`,
 * `priority`, or a runtime's own (Deno's `client`, Bun's `tls`, workerd's `cf`).
 */
export type FetchInit = Omit<RequestInit, OwnInitMembers> & { readonly [member: string]: unknown };

/** Options of {@link FetchTransport}. */
export interface FetchTransportOptions extends NetworkOptions {
  /** The `fetch` to call; `globalThis.fetch` by default, looked up when the transport is built. */
  fetch?: FetchFunction | typeof globalThis.fetch | undefined;
  /** Extra init members for every request. Those the transport sets itself (`method`, `body`...) are refused. */
  init?: FetchInit | undefined;
  /**
   * Whether `fetch` runs under a browser's rules, where a manual redirect comes back opaque and `Set-Cookie` is
   * hidden: then the browser follows redirects and keeps cookies. Detected from the runtime by default.
   */
  browser?: boolean | undefined;
  /**
   * The content codings this `fetch` decodes by itself (`"all"` for every one), so that Ferry does not decode them
   * again. Detected from the runtime by default; give it with a custom `fetch` that decodes differently.
   */
  decodedEncodings?: readonly string[] | "all" | undefined;
}

/** The resolved configuration of a transport. */
export interface ResolvedFetchOptions {
  readonly fetch: FetchFunction;
  readonly init: Readonly<Record<string, unknown>>;
  readonly runtime: FetchRuntime;
  readonly browser: boolean;
  readonly streaming: boolean;
  readonly decoded: DecodedCodings;
}

const OPTION_NAMES = ["fetch", "init", "browser", "decodedEncodings", "verify", "cert", "proxy"];
const OWN_INIT_MEMBERS: readonly OwnInitMembers[] = [
  "method",
  "headers",
  "body",
  "redirect",
  "signal",
  "duplex",
];

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkOptionNames(options: Record<string, unknown>): void {
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) {
      throw new TypeError(
        `FetchTransport has no option '${name}'; its options are ${OPTION_NAMES.join(", ")}.`,
      );
    }
  }
}

function checkInit(init: unknown): Record<string, unknown> {
  if (init === undefined) return {};
  if (!isRecord(init))
    throw new TypeError(`FetchTransport option 'init' must be an object, got ${describe(init)}.`);
  for (const member of OWN_INIT_MEMBERS) {
    if (init[member] !== undefined) {
      throw new TypeError(
        `FetchTransport option 'init.${member}' cannot be given: the transport sets it for each request.`,
      );
    }
  }
  if (init["mode"] === "no-cors") {
    throw new TypeError(
      "FetchTransport option 'init.mode' cannot be \"no-cors\": its responses hide status, headers and body.",
    );
  }
  return init;
}

function resolveFetch(value: unknown): FetchFunction {
  const fetchFunction = value ?? globalThis.fetch;
  if (typeof fetchFunction !== "function") {
    throw new TypeError(
      value === undefined
        ? "FetchTransport needs a 'fetch' option: this runtime has no globalThis.fetch."
        : `FetchTransport option 'fetch' must be a function, got ${describe(value)}.`,
    );
  }
  // Called through a wrapper so a host `fetch` that needs `this === globalThis` (browsers) keeps it.
  return value === undefined
    ? (input, init) => globalThis.fetch(input, init)
    : (fetchFunction as FetchFunction);
}

function resolveDecoded(value: unknown, runtime: FetchRuntime): DecodedCodings {
  if (value === undefined) return decodedCodings(runtime);
  if (value === "all") return { codings: "all", chains: true };
  if (Array.isArray(value) && value.every((coding) => typeof coding === "string")) {
    return { codings: new Set(value.map((coding: string) => coding.toLowerCase())), chains: true };
  }
  throw new TypeError(
    `FetchTransport option 'decodedEncodings' must be "all" or an array of strings, got ${describe(value)}.`,
  );
}

/** Checks `options` and resolves them; throws a `TypeError` naming the option and the value it cannot use. */
export function resolveOptions(options: unknown): ResolvedFetchOptions {
  if (options === undefined) options = {};
  if (!isRecord(options))
    throw new TypeError(`FetchTransport options must be an object, got ${describe(options)}.`);
  checkOptionNames(options);
  const runtime = detectRuntime();
  const browser = options["browser"] ?? runtime === "browser";
  if (typeof browser !== "boolean") {
    throw new TypeError(`FetchTransport option 'browser' must be a boolean, got ${describe(browser)}.`);
  }
  const init = { ...checkInit(options["init"]), ...networkInit(options as NetworkOptions, runtime) };
  return Object.freeze({
    fetch: resolveFetch(options["fetch"]),
    init: Object.freeze(init),
    runtime,
    browser,
    // Browsers stream request bodies only over HTTP/2 and fail on HTTP/1.1, so there bodies are buffered.
    streaming: !browser && supportsRequestStreams(),
    decoded: resolveDecoded(options["decodedEncodings"], browser ? "browser" : runtime),
  });
}

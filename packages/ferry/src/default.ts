/**
 * The entry of `ferry` for every runtime but Node (Deno, Bun, workerd, browsers, other workers): a Client's
 * default transport is a {@link FetchTransport} on the runtime's own `fetch`.
 *
 * Client options that the runtime's `fetch` cannot honour are refused when the Client is built, with a
 * `TypeError` naming the option and the runtime, never ignored: `limits` (fetch pools connections its own way),
 * `http1: false`, `http2: true` where the runtime does not negotiate HTTP/2 itself, and `verify`, `cert` and
 * `proxy` where the runtime's `fetch` has no way to set them (Bun and Deno have; workerd and browsers have not).
 *
 * @module
 */
import {
  configureRuntime,
  DEFAULT_LIMITS,
  setTransportFactory,
  type TransportFactoryOptions,
} from "@ferry/core";
import { detectRuntime, type FetchRuntime, FetchTransport, RUNTIME_NAMES } from "@ferry/transport-fetch";

/** Runtimes whose `fetch` negotiates HTTP/2 by itself (ALPN), so `http2: true` is honoured there. */
const NEGOTIATES_HTTP2: ReadonlySet<FetchRuntime> = new Set(["deno", "browser"]);

function refuse(option: string, runtime: FetchRuntime, why: string): never {
  throw new TypeError(
    `The Client option '${option}' cannot be honoured in ${RUNTIME_NAMES[runtime]}: ${why}.`,
  );
}

function sameAsDefault(limits: TransportFactoryOptions["limits"]): boolean {
  return (
    limits.maxConnections === DEFAULT_LIMITS.maxConnections &&
    limits.maxKeepaliveConnections === DEFAULT_LIMITS.maxKeepaliveConnections &&
    limits.keepaliveExpiry === DEFAULT_LIMITS.keepaliveExpiry
  );
}

function checkProtocols(options: TransportFactoryOptions, runtime: FetchRuntime): void {
  if (!options.http1) refuse("http1: false", runtime, "fetch always allows HTTP/1.1");
  if (options.http2 && !NEGOTIATES_HTTP2.has(runtime)) {
    refuse("http2: true", runtime, "its fetch speaks HTTP/1.1 only");
  }
}

/** Builds the default transport of a Client from its network options. */
function fetchTransportFactory(options: TransportFactoryOptions): FetchTransport {
  const runtime = detectRuntime();
  if (!sameAsDefault(options.limits)) {
    refuse("limits", runtime, "fetch keeps its own connection pool, which Ferry cannot size");
  }
  checkProtocols(options, runtime);
  try {
    return new FetchTransport({ verify: options.verify, cert: options.cert, proxy: options.proxy });
  } catch (error) {
    if (error instanceof TypeError) throw new TypeError(`Client: ${error.message}`, { cause: error });
    throw error;
  }
}

interface DenoLike {
  env: { toObject(): Record<string, string> };
  readTextFileSync(path: string): string;
}

interface ProcessLike {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (name: string) => unknown;
}

/** Environment (for `trustEnv`) and file reading (for `.netrc`) where the runtime has them. */
function configureServices(runtime: FetchRuntime): void {
  const deno = (globalThis as { Deno?: DenoLike }).Deno;
  if (runtime === "deno" && deno !== undefined) {
    const env = (): Record<string, string> => {
      try {
        return deno.env.toObject();
      } catch {
        // Without --allow-env the environment is out of reach: no proxies or netrc from it.
        return {};
      }
    };
    configureRuntime({
      env,
      readTextFile: (path) => deno.readTextFileSync(path),
      homeDir: () => env()["HOME"] ?? "",
    });
    return;
  }
  const process = (globalThis as { process?: ProcessLike }).process;
  if (runtime === "bun" && process?.env !== undefined) {
    const processEnv = process.env;
    const fs = process.getBuiltinModule?.("node:fs") as {
      readFileSync(path: string, encoding: "utf8"): string;
    };
    configureRuntime({
      env: () => processEnv,
      readTextFile: (path) => fs.readFileSync(path, "utf8"),
      homeDir: () => processEnv["HOME"] ?? "",
    });
  }
}

const runtime = detectRuntime();
configureServices(runtime);
setTransportFactory(fetchTransportFactory);

export * from "./index.js";

/**
 * What differs between JavaScript runtimes, supplied by the runtime's entry point instead of imported by core.
 *
 * Core imports no `node:` module. The `ferry` package's entry for each runtime (and `@ferry/core/node` on Node)
 * registers the pieces that runtime has: faster or extra content decoders, the default transport, the process
 * environment for `trustEnv`, file reading for `.netrc` and CA bundles.
 *
 * @module
 */
import type { BaseTransport } from "./base-transport.js";
import type { SyncTransportFactory } from "./client/sync-transport.js";
import type { Limits, Proxy as ProxyConfig } from "./config.js";

/**
 * An incremental, synchronous content decoder (gzip, deflate, br, zstd...). `decode` is called with each chunk as
 * it arrives and returns what can be decoded so far; `flush` is called once at the end of the body.
 */
export interface ContentDecoder {
  decode(data: Uint8Array): Uint8Array;
  flush(): Uint8Array;
}

/** Makes a fresh decoder for one response body. */
export type DecoderFactory = () => ContentDecoder;

/** The network options of a Client, handed to the runtime's transport factory. */
export interface TransportFactoryOptions {
  verify: boolean | string | Record<string, unknown>;
  cert: string | readonly [string, string?, string?] | null;
  http1: boolean;
  http2: boolean;
  limits: Limits;
  proxy: ProxyConfig | null;
  trustEnv: boolean;
}

/** Builds the default transport (and the transports of proxy mounts) for a Client. */
export type TransportFactory = (options: TransportFactoryOptions) => BaseTransport;

/** The runtime services core can use. Every member is optional but `decoders`. */
export interface Runtime {
  /** Decoders by `Content-Encoding` name, lower case. Their order is the order of `Accept-Encoding`. */
  readonly decoders: Map<string, DecoderFactory>;
  /** Builds the default transport; set by `ferry` for the current runtime. */
  transportFactory: TransportFactory | undefined;
  /** Builds a `SyncClient`'s blocking transports; set by `ferry` where the runtime can block (Node). */
  syncTransportFactory: SyncTransportFactory | undefined;
  /** Reads the process environment, for `trustEnv` (proxies, `SSL_CERT_FILE`, `NETRC`). */
  env: (() => Readonly<Record<string, string | undefined>>) | undefined;
  /** Reads a text file synchronously, for `.netrc`. */
  readTextFile: ((path: string) => string) | undefined;
  /** The user's home directory, where `.netrc` is looked for. */
  homeDir: (() => string) | undefined;
}

/** The services of the current runtime. Entry points fill it in once, at import. */
export const runtime: Runtime = {
  decoders: new Map(),
  transportFactory: undefined,
  syncTransportFactory: undefined,
  env: undefined,
  readTextFile: undefined,
  homeDir: undefined,
};

/** Registers (or replaces) the decoder used for a `Content-Encoding` value. */
export function registerDecoder(encoding: string, factory: DecoderFactory): void {
  runtime.decoders.set(encoding.toLowerCase(), factory);
}

/** Sets the factory that builds a Client's default transport when none is given. */
export function setTransportFactory(factory: TransportFactory | undefined): void {
  runtime.transportFactory = factory;
}

/** Sets the factory that builds a `SyncClient`'s blocking transports when none is given. */
export function setSyncTransportFactory(factory: SyncTransportFactory | undefined): void {
  runtime.syncTransportFactory = factory;
}

/** Sets the runtime's environment, file and home-directory services. */
export function configureRuntime(services: Partial<Omit<Runtime, "decoders">>): void {
  Object.assign(runtime, services);
}

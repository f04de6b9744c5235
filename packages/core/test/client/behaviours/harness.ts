/**
 * Behaviours of a Client written once and run against both `Client` and `SyncClient`: each table row is a
 * {@link Behaviour} that drives a client through a {@link Harness}. A behaviour `await`s every call, which for a
 * SyncClient awaits a plain value; the SyncClient harness also checks that no method returned a Promise.
 */
import {
  Client,
  type ClientOptions,
  type Request,
  type RequestMethodOptions,
  Response,
  SyncClient,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import type { BaseClient } from "../../../src/client/base-client.js";

type Awaitable<T> = T | Promise<T>;
type Methods =
  | "request"
  | "get"
  | "head"
  | "options"
  | "delete"
  | "post"
  | "put"
  | "patch"
  | "send"
  | "stream";

/** The surface `Client` and `SyncClient` share, with each method's result awaitable. */
export type AnyClient = BaseClient & {
  [M in Exclude<Methods, "stream">]: (...args: Parameters<Client[M]>) => Awaitable<Response>;
} & {
  stream(method: string, url: string, options?: RequestMethodOptions): Awaitable<Response>;
  close(): Awaitable<void>;
};

/** How a behaviour drives one kind of client. */
export interface Harness {
  /** `"Client"` or `"SyncClient"`. */
  readonly name: string;
  /** Builds a client of this kind. */
  client(options?: ClientOptions): AnyClient;
  /** Reads a streaming response's body (`read()` or `readSync()`). */
  read(response: Response): Awaitable<Uint8Array>;
  /** The text chunks of a streaming response (`iterText()` or `iterTextSync()`). */
  texts(response: Response): Awaitable<string[]>;
  /** Closes a response (`close()` or `closeSync()`). */
  close(response: Response): Awaitable<void>;
  /** `client.stream(method, url, options, callback)`: the callback gets the open response and returns a value. */
  streamWith<T>(
    client: AnyClient,
    method: string,
    url: string,
    options: RequestMethodOptions,
    callback: (response: Response) => T,
  ): Awaitable<T>;
}

/** One row of a behaviour table. */
export interface Behaviour {
  readonly name: string;
  run(harness: Harness): Promise<void>;
}

/** A row of a behaviour table. */
export function behaviour(name: string, run: (harness: Harness) => Promise<void>): Behaviour {
  return { name, run };
}

/** The async `Client`. */
export const clientHarness: Harness = {
  name: "Client",
  client: (options) => new Client(options) as unknown as AnyClient,
  read: (response) => response.read(),
  texts: async (response) => {
    const texts: string[] = [];
    for await (const text of response.iterText()) texts.push(text);
    return texts;
  },
  close: (response) => response.close(),
  streamWith: (client, method, url, options, callback) =>
    (client as unknown as Client).stream(method, url, options, callback),
};

/**
 * The async `Client` with a response hook that does nothing, which sends every request through the generator
 * pipeline: without hooks or auth, a `Client` takes a shorter path of its own that must behave the same.
 */
export const hookedClientHarness: Harness = {
  ...clientHarness,
  name: "Client (hooked)",
  client: (options = {}) => {
    const hooks = options.eventHooks ?? {};
    const eventHooks = { ...hooks, response: [...(hooks.response ?? []), () => {}] };
    return new Client({ ...options, eventHooks }) as unknown as AnyClient;
  },
};

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** A SyncClient whose methods throw if one returns a Promise, so a behaviour proves they block. */
function blocking(client: SyncClient): AnyClient {
  return new Proxy(client, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (isThenable(result)) throw new Error(`SyncClient.${String(key)}() returned a Promise.`);
        return result;
      };
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  }) as unknown as AnyClient;
}

/** The blocking `SyncClient`. */
export const syncClientHarness: Harness = {
  name: "SyncClient",
  client: (options) => blocking(new SyncClient(options)),
  read: (response) => response.readSync(),
  texts: (response) => [...response.iterTextSync()],
  close: (response) => response.closeSync(),
  streamWith: (client, method, url, options, callback) =>
    (client as unknown as SyncClient).stream(method, url, options, callback),
};

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** What {@link echo} answers with. */
export interface Echo {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
  extensions: Record<string, unknown>;
}

/** Answers with the method, URL, headers (as sent, in order), body and extensions of the request. */
export function echo(request: Request): Response {
  const body: Echo = {
    method: request.method,
    url: String(request.url),
    headers: request.headers.raw.map(([name, value]) => [name, value]),
    body: decoder.decode(request.content),
    extensions: request.extensions,
  };
  return new Response(200, { json: body });
}

/** A client of `harness`'s kind whose transport echoes each request. */
export function echoClient(harness: Harness, options: ClientOptions = {}): AnyClient {
  return harness.client({ transport: new MockTransport(echo), ...options });
}

/** What {@link echo} answered, and the echoed headers by lower-case name. */
export function echoed(response: Response): Echo & { header: Record<string, string> } {
  const json = response.json<Echo>();
  return {
    ...json,
    header: Object.fromEntries(json.headers.map(([name, value]) => [name.toLowerCase(), value])),
  };
}

/** A transport that answers with its name as JSON, so a test sees which transport carried a request. */
export function named(name: string): MockTransport {
  return new MockTransport(() => new Response(200, { json: name }));
}

/** `text` as UTF-8 chunks from a synchronous generator (which either kind of client can send or stream). */
export function* chunks(...texts: string[]): Generator<Uint8Array> {
  for (const text of texts) yield encoder.encode(text);
}

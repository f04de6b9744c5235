/**
 * Clients built on a WHATWG `fetch`: undici's `fetch` and Node's global `fetch` (node-fetch and ky reuse the parts).
 *
 * @module
 */
import { Agent, fetch as undiciFetch } from "undici";
import type { BenchClient, ClientSpec, Target, UploadSource } from "./types.js";
import { webStream } from "./web-stream.js";

/** What the benchmark reads of a `fetch` response. */
export interface FetchResponse {
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly body: AsyncIterable<Uint8Array> | null;
}
/** Any `fetch`, as the benchmark calls it. */
export type Fetch = (url: string, init: Record<string, unknown>) => Promise<FetchResponse>;

/** A client that sends every request through `fetch` with `init` added. */
export function fetchClient(
  origin: string,
  fetch: Fetch,
  init: Record<string, unknown>,
  uploadBody: (source: UploadSource) => unknown,
  close: () => Promise<void>,
): BenchClient {
  const jsonHeaders = { "content-type": "application/json" };
  return {
    async getJson(path) {
      return (await fetch(origin + path, init)).json();
    },
    async postJson(path, body) {
      const options = { ...init, method: "POST", headers: jsonHeaders, body: JSON.stringify(body) };
      return (await fetch(origin + path, options)).json();
    },
    async getBytes(path) {
      return (await (await fetch(origin + path, init)).arrayBuffer()).byteLength;
    },
    async download(path) {
      const response = await fetch(origin + path, init);
      let length = 0;
      for await (const chunk of response.body ?? []) length += chunk.length;
      return length;
    },
    async upload(path, source) {
      const options = { ...init, method: "POST", body: uploadBody(source), duplex: "half" };
      return (await fetch(origin + path, options)).json();
    },
    close,
  };
}

/** An undici `Agent` with HTTP/2 by ALPN and the test CA when the target is HTTPS. */
export function undiciAgent(target: Target): Agent {
  return new Agent({ allowH2: target.http2, connect: target.http2 ? { ca: target.ca } : {} });
}

/** undici's `fetch` on its own `Agent`. */
export const undiciFetchSpec: ClientSpec = {
  name: "undici fetch",
  source: "fetch-like.js",
  http2: true,
  create(target) {
    const dispatcher = undiciAgent(target);
    const fetch = undiciFetch as unknown as Fetch;
    return fetchClient(target.origin, fetch, { dispatcher }, webStream, () => dispatcher.close());
  },
};

/** Node's global `fetch` (the undici bundled with Node), untouched. */
export const nodeGlobalFetchSpec: ClientSpec = {
  name: "node fetch (global)",
  source: "fetch-like.js",
  http2: false,
  create(target) {
    const fetch = globalThis.fetch as unknown as Fetch;
    return fetchClient(target.origin, fetch, {}, webStream, async () => {});
  },
};

/**
 * Ferry, as its users write it: `Client` from `ferry` (UndiciTransport by default on Node), and the same Client on
 * `FetchTransport`.
 *
 * @module
 */
import { FetchTransport } from "@ferry/transport-fetch";
import { Client, type ClientOptions } from "ferry";
import { fetch as undiciFetch } from "undici";
import { undiciAgent } from "./fetch-like.js";
import type { BenchClient, ClientSpec } from "./types.js";

function ferryClient(client: Client, origin: string): BenchClient {
  return {
    async getJson(path) {
      return (await client.get(origin + path)).json();
    },
    async postJson(path, json) {
      return (await client.post(origin + path, { json })).json();
    },
    async getBytes(path) {
      return (await client.get(origin + path)).content.length;
    },
    download(path) {
      return client.stream("GET", origin + path, async (response) => {
        let length = 0;
        for await (const chunk of response.iterBytes()) length += chunk.length;
        return length;
      });
    },
    async upload(path, source) {
      return (await client.post(origin + path, { content: source() })).json();
    },
    close: () => client.close(),
  };
}

/** Ferry's `Client` with its default transport on Node, `UndiciTransport`. */
export const ferryUndiciSpec: ClientSpec = {
  name: "ferry (undici)",
  source: "ferry.js",
  ferry: true,
  http2: true,
  create(target) {
    const options: ClientOptions = target.http2 ? { http2: true, verify: { ca: target.ca } } : {};
    return ferryClient(new Client(options), target.origin);
  },
};

/**
 * Ferry's `Client` on `FetchTransport`: Node's global `fetch` over HTTP/1.1; for HTTP/2, undici's `fetch` with an
 * HTTP/2 agent, since Node's global `fetch` cannot be given a CA or offered HTTP/2.
 */
export const ferryFetchSpec: ClientSpec = {
  name: "ferry (fetch)",
  source: "ferry.js",
  ferry: true,
  http2: true,
  create(target) {
    const transport = target.http2
      ? new FetchTransport({
          fetch: undiciFetch as unknown as typeof fetch,
          init: { dispatcher: undiciAgent(target) },
        })
      : new FetchTransport();
    return ferryClient(new Client({ transport }), target.origin);
  },
};

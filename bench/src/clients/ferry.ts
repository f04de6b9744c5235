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

/**
 * The Client is bound to the server's origin with `baseUrl`, as an SDK for one service would be (and as axios gets
 * `baseURL`, undici `request` a `Pool` for the origin): each request names its path.
 */
function ferryClient(client: Client): BenchClient {
  return {
    async getJson(path) {
      return (await client.get(path)).json();
    },
    async postJson(path, json) {
      return (await client.post(path, { json })).json();
    },
    async getBytes(path) {
      return (await client.get(path)).content.length;
    },
    download(path) {
      return client.stream("GET", path, async (response) => {
        let length = 0;
        for await (const chunk of response.iterBytes()) length += chunk.length;
        return length;
      });
    },
    async upload(path, source) {
      return (await client.post(path, { content: source() })).json();
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
    const options: ClientOptions = target.http2
      ? { baseUrl: target.origin, http2: true, verify: { ca: target.ca } }
      : { baseUrl: target.origin };
    return ferryClient(new Client(options));
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
    return ferryClient(new Client({ baseUrl: target.origin, transport }));
  },
};

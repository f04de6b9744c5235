/**
 * node-fetch 3 on a keep-alive `http.Agent`.
 *
 * @module
 */
import { Readable } from "node:stream";
import nodeFetch from "node-fetch";
import { keepAliveAgent } from "./agents.js";
import { type Fetch, fetchClient } from "./fetch-like.js";
import type { ClientSpec, UploadSource } from "./types.js";

/** node-fetch with a keep-alive agent. */
export const nodeFetchSpec: ClientSpec = {
  name: "node-fetch",
  source: "node-fetch.js",
  http2: false,
  create(target) {
    const agent = keepAliveAgent();
    const fetch = nodeFetch as unknown as Fetch;
    const body = (source: UploadSource) => Readable.from(source());
    return fetchClient(target.origin, fetch, { agent }, body, async () => agent.destroy());
  },
};

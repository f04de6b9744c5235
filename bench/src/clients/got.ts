/**
 * got on a keep-alive agent, without retries (HTTP/2 through its `http2` option).
 *
 * @module
 */
import { Readable } from "node:stream";
import got from "got";
import { keepAliveAgent } from "./agents.js";
import type { ClientSpec } from "./types.js";

/** got with a keep-alive agent and retries off. */
export const gotSpec: ClientSpec = {
  name: "got",
  source: "got.js",
  http2: true,
  create(target) {
    const agent = keepAliveAgent();
    const instance = got.extend({
      agent: { http: agent },
      retry: { limit: 0 },
      http2: target.http2,
      https: { certificateAuthority: target.ca },
    });
    const { origin } = target;
    return {
      async getJson(path) {
        return instance.get(origin + path).json();
      },
      async postJson(path, json) {
        return instance.post(origin + path, { json }).json();
      },
      async getBytes(path) {
        return (await instance.get(origin + path).buffer()).length;
      },
      async download(path) {
        let length = 0;
        for await (const chunk of instance.stream(origin + path)) length += (chunk as Buffer).length;
        return length;
      },
      async upload(path, source) {
        return instance.post(origin + path, { body: Readable.from(source()) }).json();
      },
      async close() {
        agent.destroy();
      },
    };
  },
};

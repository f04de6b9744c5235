/**
 * ky, on Node's global `fetch`, without retries or its own timeout.
 *
 * @module
 */
import ky from "ky";
import type { ClientSpec } from "./types.js";
import { webStream } from "./web-stream.js";

/** ky with retries and its timeout off. */
export const kySpec: ClientSpec = {
  name: "ky",
  source: "ky.js",
  http2: false,
  create(target) {
    const instance = ky.create({ retry: 0, timeout: false });
    const { origin } = target;
    return {
      async getJson(path) {
        return instance.get(origin + path).json();
      },
      async postJson(path, json) {
        return instance.post(origin + path, { json }).json();
      },
      async getBytes(path) {
        return (await instance.get(origin + path).arrayBuffer()).byteLength;
      },
      async download(path) {
        const response = await instance.get(origin + path);
        const body = response.body as unknown as AsyncIterable<Uint8Array>;
        let length = 0;
        for await (const chunk of body) length += chunk.length;
        return length;
      },
      async upload(path, source) {
        return instance.post(origin + path, { body: webStream(source) }).json();
      },
      async close() {},
    };
  },
};

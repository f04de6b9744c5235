/**
 * axios on keep-alive agents (HTTP/2 through its `httpVersion: 2` option).
 *
 * @module
 */
import { Readable } from "node:stream";
import axios from "axios";
import { keepAliveAgent } from "./agents.js";
import type { ClientSpec } from "./types.js";

/** axios with a keep-alive agent and no body size limits. */
export const axiosSpec: ClientSpec = {
  name: "axios",
  source: "axios.js",
  http2: true,
  create(target) {
    const httpAgent = keepAliveAgent();
    const instance = axios.create({
      baseURL: target.origin,
      httpAgent,
      maxBodyLength: Number.POSITIVE_INFINITY,
      maxContentLength: Number.POSITIVE_INFINITY,
      ...(target.http2 ? { httpVersion: 2 as const, http2Options: { ca: target.ca } } : {}),
    });
    return {
      async getJson(path) {
        return (await instance.get(path)).data;
      },
      async postJson(path, body) {
        return (await instance.post(path, body)).data;
      },
      async getBytes(path) {
        const response = await instance.get<ArrayBuffer>(path, { responseType: "arraybuffer" });
        return response.data.byteLength;
      },
      async download(path) {
        const response = await instance.get<Readable>(path, { responseType: "stream" });
        let length = 0;
        for await (const chunk of response.data) length += (chunk as Buffer).length;
        return length;
      },
      async upload(path, source) {
        const headers = { "content-type": "application/octet-stream" };
        return (await instance.post(path, Readable.from(source()), { headers })).data;
      },
      async close() {
        httpAgent.destroy();
      },
    };
  },
};

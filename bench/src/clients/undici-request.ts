/**
 * undici's `request` on a `Pool`: the lowest-level client here, the baseline Ferry over undici is measured against.
 *
 * @module
 */
import type { Readable } from "node:stream";
import { Pool } from "undici";
import type { ClientSpec } from "./types.js";

/** undici `request` on one `Pool` per origin. */
export const undiciRequestSpec: ClientSpec = {
  name: "undici request",
  source: "undici-request.js",
  http2: true,
  create(target) {
    const pool = new Pool(target.origin, {
      allowH2: target.http2,
      connect: target.http2 ? { ca: target.ca } : {},
    });
    const jsonHeaders = { "content-type": "application/json" };
    return {
      async getJson(path) {
        const { body } = await pool.request({ path, method: "GET" });
        return body.json();
      },
      async postJson(path, value) {
        const text = JSON.stringify(value);
        const { body } = await pool.request({ path, method: "POST", headers: jsonHeaders, body: text });
        return body.json();
      },
      async getBytes(path) {
        const { body } = await pool.request({ path, method: "GET" });
        return (await body.arrayBuffer()).byteLength;
      },
      async download(path) {
        const { body } = await pool.request({ path, method: "GET" });
        let length = 0;
        for await (const chunk of body) length += (chunk as Buffer).length;
        return length;
      },
      async upload(path, source) {
        // undici takes an async iterable body as it is, though its types only name Readable.
        const stream = source() as unknown as Readable;
        const { body } = await pool.request({ path, method: "POST", body: stream });
        return body.json();
      },
      close: () => pool.close(),
    };
  },
};

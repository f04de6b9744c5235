/**
 * The HTTP/2 case: a transport that speaks HTTP/2 reports it, and keeps the rest of the contract over it.
 *
 * @module
 */
import { createSecureServer } from "node:http2";
import type { Server } from "node:net";
import { check, show } from "../failure.js";
import { type ConformanceCase, readRawText } from "../harness.js";
import { listen } from "../server.js";

const http2: ConformanceCase = {
  name: "http2: an HTTP/2 response reports http_version HTTP/2, headers and body intact",
  rule: "http2",
  needs: ["http2"],
  applies: (options) => options.tls !== undefined,
  async run(env) {
    const tls = env.options.tls!;
    const secure = createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, (req, res) => {
      res.setHeader("x-ferry-multi", ["first", "second"]);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`${req.method} ${req.url}`);
    });
    const server = await listen(secure as unknown as Server, "https", "secureConnection");
    env.defer(() => server.close());
    const response = await env.send(env.request("GET", `https://127.0.0.1:${server.port}/h2?x=1`));
    const text = await readRawText(response);
    const version = response.extensions["http_version"];
    check(
      version === "HTTP/2",
      "http2",
      () => `expected extensions.http_version "HTTP/2", got ${show(version)}.`,
    );
    check(text === "GET /h2?x=1", "http2", () => `expected "GET /h2?x=1", got ${show(text)}.`);
    const multi = response.headers.getList("x-ferry-multi", true);
    check(JSON.stringify(multi) === '["first","second"]', "http2", () => `got X-Ferry-Multi ${show(multi)}.`);
  },
};

/** The cases about HTTP/2. */
export const http2Cases: readonly ConformanceCase[] = [http2];

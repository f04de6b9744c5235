/**
 * Cases for what comes back: the status line, repeated headers, and the body as an unread stream that is neither
 * read ahead nor decoded.
 *
 * @module
 */
import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { check, show, within } from "../failure.js";
import {
  type ConformanceCase,
  pause,
  rawChunks,
  readRaw,
  readRawText,
  sameBytes,
  signal,
} from "../harness.js";

const STATUSES: readonly [number, string][] = [
  [200, "OK"],
  [201, "Made It"],
  [299, "Ferry Custom Phrase"],
  [404, "Not Here"],
  [418, "I'm a teapot"],
];

const statusLine: ConformanceCase = {
  name: "status-line: status code, reason phrase and http_version are reported",
  rule: "status-line",
  async run(env) {
    for (const [status, phrase] of STATUSES) {
      const route = env.server.route((_req, res) => {
        res.writeHead(status, phrase).end("body");
      });
      const response = await env.send(env.request("GET", route.url));
      await response.close();
      check(
        response.statusCode === status,
        "status-line",
        () => `expected ${status}, got ${response.statusCode}.`,
      );
      check(response.reasonPhrase === phrase, "status-line", () => {
        return `the server sent the reason phrase ${show(phrase)}, the response reports ${show(response.reasonPhrase)} (extensions.reason_phrase).`;
      });
      const version = response.extensions["http_version"];
      check(version === "HTTP/1.1", "status-line", () => {
        return `an HTTP/1.1 response must report extensions.http_version "HTTP/1.1", got ${show(version)}.`;
      });
    }
  },
};

const repeatedHeaders: ConformanceCase = {
  name: "response-headers: repeated headers and Set-Cookie lines are all returned, in order",
  rule: "response-headers",
  async run(env) {
    const route = env.server.route((_req, res) => {
      res.setHeader("X-Ferry-Multi", ["first", "second"]);
      res.setHeader("Set-Cookie", ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT"]);
      res.end("ok");
    });
    const response = await env.send(env.request("GET", route.url));
    await response.close();
    const multi = response.headers.getList("x-ferry-multi", true);
    check(JSON.stringify(multi) === '["first","second"]', "response-headers", () => {
      return `the server sent X-Ferry-Multi: first and second, the response holds ${show(multi)}.`;
    });
    const cookies = response.headers.getList("set-cookie");
    const expected = ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT"];
    check(JSON.stringify(cookies) === JSON.stringify(expected), "response-headers", () => {
      return `two Set-Cookie lines must stay two values, got ${show(cookies)}.`;
    });
  },
};

const unread: ConformanceCase = {
  name: "response-stream: the body is returned as an unread stream",
  rule: "response-stream",
  async run(env) {
    const route = env.server.route((_req, res) => {
      res.end("hello, stream");
    });
    const response = await env.send(env.request("GET", route.url));
    check(!response.isStreamConsumed && !response.isClosed, "response-stream", () => {
      return "the response's body was already read when handleRequest returned: return it as an unread stream.";
    });
    const text = await readRawText(response);
    check(text === "hello, stream", "response-stream", () => `expected "hello, stream", got ${show(text)}.`);
  },
};

const handedOver: ConformanceCase = {
  name: "response-stream: the response is returned before its body ends",
  rule: "response-stream",
  async run(env) {
    const release = signal();
    const route = env.server.route(async (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write("head of the body;");
      await Promise.race([release.promise, pause(5000)]);
      res.end("tail of the body");
    });
    const sending = env.send(env.request("GET", route.url));
    const response = await within(
      sending,
      2500,
      "response-stream",
      "handleRequest waited for the end of the body: a response must be returned once its headers are in",
    ).catch((error: unknown) => {
      release.resolve();
      throw error;
    });
    const iterator = rawChunks(response)[Symbol.asyncIterator]();
    const first = await within(
      iterator.next(),
      2500,
      "response-stream",
      "the first chunk was not handed over",
    );
    release.resolve();
    let text = first.done ? "" : new TextDecoder().decode(first.value);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      text += new TextDecoder().decode(next.value);
    }
    check(text === "head of the body;tail of the body", "response-stream", () => `got ${show(text)}.`);
  },
};

/** Resolves once `res` can take more data, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}

const MIB = 1024 * 1024;
const BIG = 64 * MIB;

const readAhead: ConformanceCase = {
  name: "read-ahead: a slow 64 MiB body is not buffered ahead of the reader",
  rule: "read-ahead",
  async run(env) {
    const progress = { written: 0, last: 0, done: false };
    const go = signal();
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const route = env.server.route(async (_req, res) => {
      res.writeHead(200, { "content-length": String(BIG + 5) });
      res.write("first");
      await go.promise;
      while (progress.written < BIG && !res.destroyed) {
        progress.written += chunk.byteLength;
        progress.last = performance.now();
        if (!res.write(chunk)) await drained(res);
      }
      progress.done = true;
      res.end();
    });
    env.defer(() => go.resolve());
    const response = await env.send(env.request("GET", route.url, { timeout: { read: 10_000 } }));
    const iterator = rawChunks(response)[Symbol.asyncIterator]();
    let received = 0;
    const first = await within(iterator.next(), 2500, "read-ahead", "the first chunk was not handed over");
    if (!first.done) received += first.value.byteLength;
    progress.last = performance.now();
    go.resolve();
    // Nobody reads now: a transport that keeps to the reader's pace stalls the server once the socket buffers fill.
    while (!progress.done && performance.now() - progress.last < 400) await pause(50);
    check(!progress.done, "read-ahead", () => {
      return "the transport took in the whole 64 MiB body while nobody read it: a body must be pulled from the socket as it is read.";
    });
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      received += next.value.byteLength;
    check(received === BIG + 5, "read-ahead", () => `expected ${BIG + 5} bytes, got ${received}.`);
  },
};

const head: ConformanceCase = {
  name: "response-stream: a HEAD response has an empty body",
  rule: "response-stream",
  async run(env) {
    const route = env.server.route((_req, res) => {
      res.writeHead(200, { "content-length": "11", "content-type": "text/plain" }).end();
    });
    const response = await env.send(env.request("HEAD", route.url));
    const body = await within(
      readRaw(response),
      2500,
      "response-stream",
      "the HEAD response's body never ended",
    );
    check(
      body.byteLength === 0,
      "response-stream",
      () => `a HEAD response yielded ${body.byteLength} bytes.`,
    );
    check(response.headers.get("content-length") === "11", "response-stream", () => {
      return `the HEAD response's Content-Length must be reported as sent ("11"), got ${show(response.headers.get("content-length"))}.`;
    });
  },
};

const PLAIN = new TextEncoder().encode("Ferry passes Content-Encoding through to the Response. ".repeat(20));
const GZIPPED = new Uint8Array(gzipSync(PLAIN));

const contentEncoding: ConformanceCase = {
  name: "content-encoding: a gzip body is passed through raw, or flagged as decoded",
  rule: "content-encoding",
  async run(env) {
    const route = env.server.route((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/plain" }).end(GZIPPED);
    });
    const request = env.request("GET", route.url, { headers: { "accept-encoding": "gzip" } });
    const response = await env.send(request);
    const body = await readRaw(response);
    check(response.headers.get("content-encoding") === "gzip", "content-encoding", () => {
      return `the Content-Encoding header must be returned as sent ("gzip"), got ${show(response.headers.get("content-encoding"))}.`;
    });
    if (response.extensions["decoded_content"] === true) {
      check(
        sameBytes(body, PLAIN),
        "content-encoding",
        () => "the body flagged decoded_content is not the decoded body.",
      );
      return;
    }
    check(sameBytes(body, GZIPPED), "content-encoding", () => {
      return sameBytes(body, PLAIN)
        ? "the transport decoded a gzip body without setting extensions.decoded_content = true: the Response would decode it again."
        : `the gzip body arrived as ${body.byteLength} bytes that are neither the raw nor the decoded body.`;
    });
  },
};

const trailers: ConformanceCase = {
  name: "trailers: a chunked body followed by trailer fields arrives intact",
  rule: "trailers",
  needs: ["trailers"],
  async run(env) {
    const route = env.server.route((_req, res) => {
      res.writeHead(200, { "transfer-encoding": "chunked", trailer: "X-Ferry-Checksum" });
      res.write("body with ");
      res.addTrailers({ "X-Ferry-Checksum": "abc123" });
      res.end("trailers");
    });
    const response = await env.send(env.request("GET", route.url));
    const text = await readRawText(response);
    check(
      text === "body with trailers",
      "trailers",
      () => `expected "body with trailers", got ${show(text)}.`,
    );
  },
};

/** The cases about what a transport returns. */
export const responseCases: readonly ConformanceCase[] = [
  statusLine,
  repeatedHeaders,
  unread,
  handedOver,
  readAhead,
  head,
  contentEncoding,
  trailers,
];

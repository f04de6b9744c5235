/**
 * Cases for what goes out: the request line, the headers and the body, sent as given.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { check, show, within } from "../failure.js";
import { type ConformanceCase, patternBytes, pause, sameBytes, signal } from "../harness.js";
import { readRequestBody } from "../server.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"];

const requestLine: ConformanceCase = {
  name: "request-line: method, path and query are sent as given",
  rule: "request-line",
  async run(env) {
    const seen: { method?: string | undefined; url?: string | undefined } = {};
    const route = env.server.route((req, res) => {
      seen.method = req.method;
      seen.url = req.url;
      res.end("ok");
    });
    for (const method of METHODS) {
      const request = env.request(method, `${route.url}/a%20b/c;p=1?x=1&x=2&y=%2F&z`);
      const path = request.url.rawPath;
      await (await env.send(request)).close();
      check(
        seen.method === method,
        "request-line",
        () => `sent ${method}, the server saw ${show(seen.method)}.`,
      );
      check(seen.url === path, "request-line", () => `sent ${show(path)}, the server saw ${show(seen.url)}.`);
    }
  },
};

function headerRoute(env: Parameters<ConformanceCase["run"]>[0]) {
  const seen: { raw: string[][]; joined: string | undefined; host: string | undefined } = {
    raw: [],
    joined: undefined,
    host: undefined,
  };
  const route = env.server.route((req, res) => {
    seen.raw = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!.toLowerCase();
      if (name.startsWith("x-ferry-")) seen.raw.push([name, req.rawHeaders[i + 1]!]);
    }
    seen.joined = req.headers["x-ferry-a"] as string | undefined;
    seen.host = req.headers.host;
    res.end("ok");
  });
  return { route, seen };
}

const SENT_HEADERS: [string, string][] = [
  ["X-Ferry-A", "1"],
  ["X-Ferry-B", "two words"],
  ["X-Ferry-A", "3"],
];

const headerValues: ConformanceCase = {
  name: "request-headers: every header value and the Host header arrive",
  rule: "request-headers",
  async run(env) {
    const { route, seen } = headerRoute(env);
    const request = env.request("GET", route.url, { headers: SENT_HEADERS });
    await (await env.send(request)).close();
    check(
      seen.joined === "1, 3",
      "request-headers",
      () => `sent X-Ferry-A: 1 and 3, got ${show(seen.joined)}.`,
    );
    const b = seen.raw.find(([name]) => name === "x-ferry-b")?.[1];
    check(b === "two words", "request-headers", () => `sent X-Ferry-B: "two words", got ${show(b)}.`);
    const host = request.headers.get("host");
    check(seen.host === host, "request-headers", () => `sent Host ${show(host)}, got ${show(seen.host)}.`);
  },
};

const headerOrder: ConformanceCase = {
  name: "request-headers: repeated headers are sent in order, one line each",
  rule: "request-headers",
  needs: ["headerOrder"],
  async run(env) {
    const { route, seen } = headerRoute(env);
    await (await env.send(env.request("GET", route.url, { headers: SENT_HEADERS }))).close();
    const expected = SENT_HEADERS.map(([name, value]) => [name.toLowerCase(), value]);
    check(
      JSON.stringify(seen.raw) === JSON.stringify(expected),
      "request-headers",
      () => `sent ${show(expected)}, the server saw ${show(seen.raw)}.`,
    );
  },
};

function echoRoute(env: Parameters<ConformanceCase["run"]>[0]) {
  const seen: { body?: Buffer; headers?: Record<string, unknown> } = {};
  const route = env.server.route(async (req, res) => {
    seen.headers = { ...req.headers };
    seen.body = await readRequestBody(req);
    res.end("ok");
  });
  return { route, seen };
}

function digest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const bodyBytes: ConformanceCase = {
  name: "request-body: bytes and an empty body arrive intact",
  rule: "request-body",
  async run(env) {
    const { route, seen } = echoRoute(env);
    for (const content of [patternBytes(65_536), new Uint8Array(0)]) {
      await (await env.send(env.request("POST", route.url, { content }))).close();
      const got = seen.body ?? Buffer.alloc(0);
      check(sameBytes(got, content), "request-body", () => {
        return `sent ${content.byteLength} bytes, the server received ${got.byteLength} different bytes.`;
      });
      const length = seen.headers?.["content-length"];
      check(length === String(content.byteLength), "request-body", () => {
        return `a ${content.byteLength}-byte body went with Content-Length ${show(length)}.`;
      });
    }
  },
};

const bodyStream: ConformanceCase = {
  name: "request-body: a streamed body and a 16 MiB body arrive intact",
  rule: "request-body",
  async run(env) {
    const { route, seen } = echoRoute(env);
    const parts = Array.from({ length: 10 }, (_, i) => patternBytes(1000 + i, i + 1));
    async function* stream(): AsyncGenerator<Uint8Array> {
      for (const part of parts) yield part;
    }
    await (await env.send(env.request("POST", route.url, { content: stream() }))).close();
    const expected = Buffer.concat(parts);
    check(sameBytes(seen.body ?? Buffer.alloc(0), expected), "request-body", () => {
      return `a streamed body of ${expected.byteLength} bytes arrived as ${seen.body?.byteLength} different bytes.`;
    });
    const large = patternBytes(16 * 1024 * 1024, 7);
    await (await env.send(env.request("PUT", route.url, { content: large }))).close();
    const received = seen.body ?? Buffer.alloc(0);
    check(digest(received) === digest(large), "request-body", () => {
      return `a 16 MiB body arrived as ${received.byteLength} bytes with a different SHA-256.`;
    });
  },
};

const bodyStreaming: ConformanceCase = {
  name: "upload-streaming: a streamed body is sent as it is produced",
  rule: "upload-streaming",
  needs: ["uploadStreaming"],
  async run(env) {
    const firstArrived = signal();
    const route = env.server.route(async (req, res) => {
      req.once("data", () => firstArrived.resolve());
      await readRequestBody(req);
      res.end("ok");
    });
    let buffered = false;
    async function* stream(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("first chunk");
      // The second chunk is produced only once the server has the first: a transport that reads the whole body
      // before sending it never gets there.
      buffered = await Promise.race([firstArrived.promise.then(() => false), pause(3000).then(() => true)]);
      yield new TextEncoder().encode("second chunk");
    }
    const sending = env.send(env.request("POST", route.url, { content: stream() }));
    await within(
      sending.then((response) => response.close()),
      10_000,
      "upload-streaming",
      "no response came",
    );
    check(!buffered, "upload-streaming", () => {
      return "the first chunk of a streamed body did not reach the server before the second was produced: the body was read whole before sending.";
    });
  },
};

/** The cases about what a transport sends. */
export const requestCases: readonly ConformanceCase[] = [
  requestLine,
  headerValues,
  headerOrder,
  bodyBytes,
  bodyStream,
  bodyStreaming,
];

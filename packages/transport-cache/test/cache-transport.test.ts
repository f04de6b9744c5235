import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { Client, Request, type RequestOptions, Response } from "@ferry/core";
import { startHttpServer, type TestServer } from "@ferry/test-servers";
import { type CacheOptions, CacheTransport, MemoryStorage } from "@ferry/transport-cache";
import { MockTransport } from "@ferry/transport-mock";
import { UndiciTransport } from "@ferry/transport-undici";
import { afterEach, describe, expect, it } from "vitest";

const TIMEOUT = { connect: 2000, read: 2000, write: 2000, pool: 2000 };
const opened: CacheTransport[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((transport) => transport.close()));
});

function cache(options: CacheOptions = {}, storage = new MemoryStorage()): CacheTransport {
  const transport = new CacheTransport({ transport: new UndiciTransport(), storage, options });
  opened.push(transport);
  return transport;
}

interface Seen {
  method: string;
  headers: IncomingHttpHeaders;
}

type Answer = (seen: Seen, hit: number) => { status?: number; headers?: OutgoingHttpHeaders; body?: string };

/** A server answering with `answer`, recording what it saw. */
async function origin(answer: Answer): Promise<{ server: TestServer; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await startHttpServer(async (req, res) => {
    for await (const _ of req);
    const request = { method: req.method ?? "", headers: req.headers };
    seen.push(request);
    const { status = 200, headers = {}, body = "" } = answer(request, seen.length);
    res.writeHead(status, headers).end(status === 304 ? undefined : body);
  });
  return { server, seen };
}

async function send(
  transport: CacheTransport,
  method: string,
  url: string,
  options: RequestOptions = {},
): Promise<{ response: Response; text: string }> {
  const response = await transport.handleRequest(
    new Request(method, url, { ...options, extensions: { timeout: TIMEOUT } }),
  );
  const text = new TextDecoder().decode(await response.read());
  return { response, text };
}

describe("CacheTransport", () => {
  it("serves a fresh response (max-age) without a request", async () => {
    const { server, seen } = await origin((_s, hit) => ({
      headers: { "cache-control": "max-age=60", "X-Version": String(hit) },
      body: `v${hit}`,
    }));
    await using _ = server;
    const transport = cache();
    const first = await send(transport, "GET", server.url);
    expect(first.text).toBe("v1");
    expect(first.response.extensions).toMatchObject({ from_cache: false, cache_status: "stored" });
    const second = await send(transport, "GET", server.url);
    expect(second.text).toBe("v1");
    expect(second.response.extensions).toMatchObject({ from_cache: true, cache_status: "hit" });
    expect(second.response.headers.get("x-version")).toBe("1");
    expect(second.response.headers.has("age")).toBe(true);
    expect(second.response.extensions["http_version"]).toBe("HTTP/1.1");
    expect(seen).toHaveLength(1);
  });

  it("stores a response only once its body has been read to the end", async () => {
    const { server, seen } = await origin(() => ({
      headers: { "cache-control": "max-age=60" },
      body: "x".repeat(100_000),
    }));
    await using _ = server;
    const transport = cache();
    const first = await transport.handleRequest(
      new Request("GET", server.url, { extensions: { timeout: TIMEOUT } }),
    );
    await first.close();
    const second = await send(transport, "GET", server.url);
    expect(second.response.extensions["cache_status"]).toBe("stored");
    expect((await send(transport, "GET", server.url)).response.extensions["cache_status"]).toBe("hit");
    expect(seen).toHaveLength(2);
  });

  it("revalidates a stale response with If-None-Match, and turns a 304 into the stored response", async () => {
    const { server, seen } = await origin((request) =>
      request.headers["if-none-match"] === '"abc"'
        ? { status: 304, headers: { etag: '"abc"', "x-refreshed": "yes" } }
        : {
            headers: {
              etag: '"abc"',
              "cache-control": "no-cache",
              "content-type": "text/plain",
              "x-refreshed": "no",
            },
            body: "stored body",
          },
    );
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", server.url);
    const second = await send(transport, "GET", server.url);
    expect(second.text).toBe("stored body");
    expect(second.response.statusCode).toBe(200);
    expect(second.response.extensions).toMatchObject({ from_cache: true, cache_status: "revalidated" });
    expect(second.response.headers.get("content-type")).toBe("text/plain");
    expect(second.response.headers.get("x-refreshed")).toBe("yes");
    expect(seen.map((s) => s.headers["if-none-match"])).toEqual([undefined, '"abc"']);
  });

  it("revalidates with If-Modified-Since when there is only Last-Modified", async () => {
    const modified = "Wed, 21 Oct 2015 07:28:00 GMT";
    const { server, seen } = await origin((request) =>
      request.headers["if-modified-since"] === modified
        ? { status: 304 }
        : { headers: { "last-modified": modified, "cache-control": "max-age=0" }, body: "dated" },
    );
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", server.url);
    const second = await send(transport, "GET", server.url);
    expect(second.text).toBe("dated");
    expect(second.response.extensions["cache_status"]).toBe("revalidated");
    expect(seen[1]!.headers["if-modified-since"]).toBe(modified);
  });

  it("replaces the stored response when revalidation brings a new one", async () => {
    const { server } = await origin((_s, hit) => ({
      headers: { etag: `"v${hit}"`, "cache-control": "no-cache" },
      body: `version ${hit}`,
    }));
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", server.url);
    const second = await send(transport, "GET", server.url);
    expect(second.text).toBe("version 2");
    expect(second.response.extensions).toMatchObject({ from_cache: false, cache_status: "stored" });
  });

  it("honours Vary: another variant is not served from the stored one", async () => {
    const { server, seen } = await origin((request) => ({
      headers: { vary: "Accept-Language", "cache-control": "max-age=60" },
      body: `hello in ${request.headers["accept-language"]}`,
    }));
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", server.url, { headers: { "accept-language": "en" } });
    const english = await send(transport, "GET", server.url, { headers: { "accept-language": "en" } });
    expect(english.response.extensions["cache_status"]).toBe("hit");
    const french = await send(transport, "GET", server.url, { headers: { "accept-language": "fr" } });
    expect(french.text).toBe("hello in fr");
    expect(french.response.extensions["from_cache"]).toBe(false);
    expect(seen).toHaveLength(2);
  });

  it.each([
    ["no-store", { "cache-control": "no-store, max-age=60" }, {}],
    ["a request with no-store", { "cache-control": "max-age=60" }, { "cache-control": "no-store" }],
  ])("does not store a response to %s", async (_name, responseHeaders, requestHeaders) => {
    const { server, seen } = await origin(() => ({ headers: responseHeaders, body: "secret" }));
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", server.url, { headers: requestHeaders });
    const second = await send(transport, "GET", server.url);
    expect(second.response.extensions["from_cache"]).toBe(false);
    expect(seen).toHaveLength(2);
  });

  it("asks the server again when the request says no-cache", async () => {
    const { server, seen } = await origin(() => ({ headers: { "cache-control": "max-age=60" }, body: "x" }));
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", server.url);
    const second = await send(transport, "GET", server.url, { headers: { "cache-control": "no-cache" } });
    expect(second.response.extensions["from_cache"]).toBe(false);
    expect(seen).toHaveLength(2);
  });

  it.each([
    ["private", false, true, { "cache-control": "private, max-age=60" }, {}],
    ["private", true, false, { "cache-control": "private, max-age=60" }, {}],
    ["Authorization", false, true, { "cache-control": "max-age=60" }, { authorization: "Bearer t" }],
    ["Authorization", true, false, { "cache-control": "max-age=60" }, { authorization: "Bearer t" }],
    [
      "Authorization and public",
      true,
      true,
      { "cache-control": "public, max-age=60" },
      { authorization: "Bearer t" },
    ],
  ])(
    "with %s, a cache with shared=%s stores the response: %s",
    async (_name, shared, stored, responseHeaders, requestHeaders) => {
      const { server, seen } = await origin(() => ({ headers: responseHeaders, body: "mine" }));
      await using _ = server;
      const transport = cache({ shared });
      await send(transport, "GET", server.url, { headers: requestHeaders });
      const second = await send(transport, "GET", server.url, { headers: requestHeaders });
      expect(second.response.extensions["from_cache"]).toBe(stored);
      expect(seen).toHaveLength(stored ? 1 : 2);
    },
  );

  it.each(["POST", "PUT", "PATCH", "DELETE"])(
    "drops the stored response of a URL after a successful %s",
    async (method) => {
      const { server, seen } = await origin((request) => ({
        headers: request.method === "GET" ? { "cache-control": "max-age=60" } : {},
        body: request.method,
      }));
      await using _ = server;
      const transport = cache();
      await send(transport, "GET", `${server.url}/item`);
      expect((await send(transport, "GET", `${server.url}/item`)).response.extensions["cache_status"]).toBe(
        "hit",
      );
      const unsafe = await send(transport, method, `${server.url}/item`, { content: "change" });
      expect(unsafe.response.extensions["from_cache"]).toBe(false);
      const after = await send(transport, "GET", `${server.url}/item`);
      expect(after.response.extensions["from_cache"]).toBe(false);
      expect(seen.map((s) => s.method)).toEqual(["GET", method, "GET"]);
    },
  );

  it("drops the stored response named by Location after a POST", async () => {
    const { server } = await origin((request) =>
      request.method === "POST"
        ? { status: 201, headers: { location: "/items/1" } }
        : { headers: { "cache-control": "max-age=60" }, body: "item" },
    );
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", `${server.url}/items/1`);
    await send(transport, "POST", `${server.url}/items`, { json: { name: "one" } });
    expect((await send(transport, "GET", `${server.url}/items/1`)).response.extensions["from_cache"]).toBe(
      false,
    );
  });

  it("keeps the stored response after a failed POST", async () => {
    const { server } = await origin((request) =>
      request.method === "POST"
        ? { status: 500 }
        : { headers: { "cache-control": "max-age=60" }, body: "item" },
    );
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", server.url);
    await send(transport, "POST", server.url, { content: "x" });
    expect((await send(transport, "GET", server.url)).response.extensions["from_cache"]).toBe(true);
  });

  it("passes the caller's own conditional requests to the server", async () => {
    const { server, seen } = await origin((request) =>
      request.headers["if-none-match"]
        ? { status: 304, headers: { etag: '"e"' } }
        : {
            headers: { etag: '"e"', "cache-control": "max-age=60" },
            body: "x",
          },
    );
    await using _ = server;
    const transport = cache();
    await send(transport, "GET", server.url);
    const mine = await send(transport, "GET", server.url, { headers: { "if-none-match": '"e"' } });
    expect(mine.response.statusCode).toBe(304);
    expect(seen).toHaveLength(2);
  });

  it("does not store responses that could never be reused", async () => {
    const storage = new MemoryStorage();
    const { server } = await origin(() => ({ body: "plain" }));
    await using _ = server;
    await send(cache({}, storage), "GET", server.url);
    expect(storage.size).toBe(0);
  });

  it("works as a Client's transport, with the body decoded by the Response", async () => {
    const { server, seen } = await origin(() => ({
      headers: { "cache-control": "max-age=60" },
      body: '{"ok":true}',
    }));
    await using _ = server;
    await using client = new Client({ transport: cache() });
    expect((await client.get(server.url)).json()).toEqual({ ok: true });
    const second = await client.get(server.url);
    expect(second.json()).toEqual({ ok: true });
    expect(second.extensions["from_cache"]).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it("keeps the transport's decoded_content flag with a stored body", async () => {
    const inner = new MockTransport(
      () =>
        new Response(200, {
          headers: { "content-encoding": "gzip", "cache-control": "max-age=60" },
          content: "already decoded",
          extensions: { decoded_content: true, http_version: "HTTP/2" },
        }),
    );
    const transport = new CacheTransport({ transport: inner });
    await send(transport, "GET", "https://example.com/decoded");
    const hit = await send(transport, "GET", "https://example.com/decoded");
    expect(hit.response.extensions).toMatchObject({
      cache_status: "hit",
      decoded_content: true,
      http_version: "HTTP/2",
    });
    expect(hit.text).toBe("already decoded");
  });

  it("rejects bad options", () => {
    expect(() => new CacheTransport({} as never)).toThrow("CacheTransport needs { transport }");
    expect(() => cache({ cacheHeuristic: 2 })).toThrow("'cacheHeuristic' must be a number in [0, 1], got 2");
  });
});

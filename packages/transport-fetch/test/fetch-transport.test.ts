import { gzipSync } from "node:zlib";
import { LocalProtocolError, Request, UnsupportedProtocol } from "@ferry/core";
import { startHttpServer } from "@ferry/test-servers";
import { FetchTransport } from "@ferry/transport-fetch";
import { describe, expect, it } from "vitest";
import { readText, signal } from "./helpers.js";

const transport = new FetchTransport();

describe("FetchTransport sends the request", () => {
  it("sends method, URL, headers in order with repeats, and a buffered body with Content-Length", async () => {
    let seen: { method?: string; url?: string; raw: string[]; body: string } = { raw: [], body: "" };
    await using server = await startHttpServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      seen = { method: req.method!, url: req.url!, raw: req.rawHeaders, body };
      res.end("ok");
    });
    const request = new Request("PUT", `${server.url}/path?q=1`, {
      headers: [
        ["X-First", "1"],
        ["X-Repeat", "a"],
        ["X-Repeat", "b"],
      ],
      content: "hello",
    });
    const response = await transport.handleRequest(request);
    expect(response.statusCode).toBe(200);
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe("ok");
    expect(seen.method).toBe("PUT");
    expect(seen.url).toBe("/path?q=1");
    expect(seen.body).toBe("hello");
    const names = seen.raw.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
    expect(names.indexOf("x-first")).toBeLessThan(names.indexOf("x-repeat"));
    const values = seen.raw.filter((_, i) => i % 2 === 1);
    expect(values.join("|")).toMatch(/a(, |\|X-Repeat\|)b|a, b/);
    expect(names.filter((name) => name === "host")).toHaveLength(1);
    expect(names.filter((name) => name === "content-length")).toHaveLength(1);
  });

  it("gives fetch a Host header that names another host, and leaves the default one to fetch", async () => {
    const given: string[][] = [];
    const recording = async (_input: string, init: RequestInit): Promise<globalThis.Response> => {
      given.push([...new globalThis.Headers(init.headers).keys()]);
      return new globalThis.Response("");
    };
    const recorder = new FetchTransport({ fetch: recording });
    const url = "http://example.com:8080/";
    await recorder.handleRequest(new Request("GET", url, { headers: { Host: "other.example", "X-A": "1" } }));
    await recorder.handleRequest(new Request("GET", url, { headers: { "X-A": "1" } }));
    expect(given).toEqual([["host", "x-a"], ["x-a"]]);
  });

  it("streams the request body: each chunk reaches the server before the next is produced", async () => {
    const received: string[] = [];
    const arrived = [signal(), signal()];
    await using server = await startHttpServer(async (req, res) => {
      for await (const chunk of req) {
        received.push(String(chunk));
        arrived[received.length - 1]?.resolve();
      }
      res.end(`${req.headers["transfer-encoding"]}`);
    });
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("first");
      await arrived[0]!.promise;
      yield new TextEncoder().encode("second");
      await arrived[1]!.promise;
    }
    const response = await transport.handleRequest(new Request("POST", server.url, { content: body() }));
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe("chunked");
    expect(received).toEqual(["first", "second"]);
  });

  it("returns the response at its headers, with the body as a stream read as it arrives", async () => {
    const firstRead = signal();
    await using server = await startHttpServer(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("part one;");
      await firstRead.promise;
      res.end("part two");
    });
    const response = await transport.handleRequest(new Request("GET", server.url));
    const iterator = (response.stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(new TextDecoder().decode(first.value)).toBe("part one;");
    firstRead.resolve();
    let rest = "";
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      rest += new TextDecoder().decode(next.value);
    }
    expect(rest).toBe("part two");
  });

  it("does not follow redirects: the Client does", async () => {
    await using server = await startHttpServer((req, res) => {
      if (req.url === "/start") res.writeHead(302, { location: "/end" }).end();
      else res.end("end");
    });
    const response = await transport.handleRequest(new Request("GET", `${server.url}/start`));
    expect(response.statusCode).toBe(302);
    expect(response.headers.get("location")).toBe("/end");
  });

  it("lets the runtime follow redirects in browser mode, and reports the final URL", async () => {
    await using server = await startHttpServer((req, res) => {
      if (req.url === "/start") res.writeHead(302, { location: "/end" }).end();
      else res.end("end");
    });
    const browserLike = new FetchTransport({ browser: true });
    const response = await browserLike.handleRequest(new Request("GET", `${server.url}/start`));
    expect(response.statusCode).toBe(200);
    expect(response.extensions["url"]).toBe(`${server.url}/end`);
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe("end");
  });

  it("reports the status, reason phrase, HTTP version and every Set-Cookie", async () => {
    await using server = await startHttpServer((_req, res) => {
      res.statusMessage = "Very Created";
      res.writeHead(201, [
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
      ]);
      res.end();
    });
    const response = await transport.handleRequest(new Request("GET", server.url));
    expect(response.statusCode).toBe(201);
    expect(response.reasonPhrase).toBe("Very Created");
    expect(response.httpVersion).toBe("HTTP/1.1");
    expect(response.headers.getList("set-cookie")).toEqual(["a=1", "b=2"]);
  });

  it("gives HEAD responses an empty body", async () => {
    await using server = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-length": "5" }).end();
    });
    const response = await transport.handleRequest(new Request("HEAD", server.url));
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe("");
  });

  it("refuses schemes other than http and https", async () => {
    await expect(transport.handleRequest(new Request("GET", "ftp://example.com/"))).rejects.toThrow(
      UnsupportedProtocol,
    );
  });

  it("refuses a body with GET, which fetch cannot send", async () => {
    const request = new Request("GET", "http://127.0.0.1:9/", { content: "body" });
    await expect(transport.handleRequest(request)).rejects.toThrow(LocalProtocolError);
  });

  it("rethrows an error of the request body's own source unchanged", async () => {
    await using server = await startHttpServer(async (req, res) => {
      for await (const _ of req);
      res.end();
    });
    const failure = new Error("source broke");
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([1]);
      throw failure;
    }
    await expect(transport.handleRequest(new Request("POST", server.url, { content: body() }))).rejects.toBe(
      failure,
    );
  });
});

describe("FetchTransport decodes content once", () => {
  const text = "ferry ".repeat(100);

  it("flags a body Node's fetch already decoded, so the Response does not decode it again", async () => {
    await using server = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(text));
    });
    const response = await transport.handleRequest(new Request("GET", server.url));
    expect(response.extensions["decoded_content"]).toBe(true);
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe(text);
  });

  it("does not flag a body whose fetch decodes nothing", async () => {
    const encoded = gzipSync(text);
    const rawFetch = async (): Promise<globalThis.Response> =>
      new globalThis.Response(encoded, { headers: { "content-encoding": "gzip" } });
    const plain = new FetchTransport({ fetch: rawFetch, decodedEncodings: [] });
    const response = await plain.handleRequest(new Request("GET", "http://example.com/"));
    expect(response.extensions["decoded_content"]).toBeUndefined();
    expect(new TextDecoder().decode(await response.read())).toBe(text);
  });

  it("leaves the flag off when there is no Content-Encoding", async () => {
    await using server = await startHttpServer((_req, res) => res.end(text));
    const response = await transport.handleRequest(new Request("GET", server.url));
    expect(response.extensions["decoded_content"]).toBeUndefined();
  });
});

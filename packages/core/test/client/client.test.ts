import { Client, ConnectError, type Request, Response, Timeout, USE_CLIENT_DEFAULT } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";
import { type Echo, echoClient } from "./helpers.js";

const encoder = new TextEncoder();

describe("request methods", () => {
  it.each([
    ["get", "GET"],
    ["head", "HEAD"],
    ["options", "OPTIONS"],
    ["delete", "DELETE"],
    ["post", "POST"],
    ["put", "PUT"],
    ["patch", "PATCH"],
  ] as const)("%s sends %s", async (method, expected) => {
    const client = echoClient();
    const response = await client[method]("http://example.org/");
    expect(response.request.method).toBe(expected);
    expect(response.statusCode).toBe(200);
  });

  it("request() sends any method", async () => {
    const response = await echoClient().request("PROPFIND", "http://example.org/");
    expect(response.json<Echo>().method).toBe("PROPFIND");
  });

  it.each([
    ["content", { content: "Hello, world!" }, "Hello, world!", undefined],
    ["content bytes", { content: encoder.encode("bytes") }, "bytes", undefined],
    ["json", { json: { text: "Hello" } }, '{"text":"Hello"}', "application/json"],
    ["data", { data: { a: "1", b: ["x", "y"] } }, "a=1&b=x&b=y", "application/x-www-form-urlencoded"],
  ])("post sends %s", async (_, options, body, contentType) => {
    const response = await echoClient().post("http://example.org/", options);
    const echoed = response.json<Echo>();
    expect(echoed.body).toBe(body);
    expect(Object.fromEntries(echoed.headers)["Content-Type"]).toBe(contentType);
  });

  it("post sends files as multipart", async () => {
    const response = await echoClient().post("http://example.org/", {
      files: { upload: ["a.txt", "file content", "text/plain"] },
      data: { field: "value" },
    });
    const body = response.json<Echo>().body;
    expect(body).toContain('Content-Disposition: form-data; name="field"\r\n\r\nvalue\r\n');
    expect(body).toContain(
      'name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile content\r\n',
    );
  });

  it("streams an async iterable request body", async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield encoder.encode("Hello, ");
      yield encoder.encode("world!");
    }
    const response = await echoClient().put("http://example.org/", { content: body() });
    const echoed = response.json<Echo>();
    expect(echoed.body).toBe("Hello, world!");
    expect(Object.fromEntries(echoed.headers)["Transfer-Encoding"]).toBe("chunked");
  });

  it("sends a bodiless POST with Content-Length: 0", async () => {
    const request = echoClient().buildRequest("POST", "http://example.org/");
    expect(request.headers.get("content-length")).toBe("0");
  });

  it("passes extensions to the transport", async () => {
    const response = await echoClient().get("http://example.org/", { extensions: { trace: "on" } });
    expect(response.json<Echo>().extensions).toMatchObject({ trace: "on" });
  });
});

describe("buildRequest and send", () => {
  it("sends a built request with headers added afterwards", async () => {
    const client = echoClient();
    const request = client.buildRequest("GET", "http://example.org/echo_headers");
    request.headers.update({ "Custom-header": "value" });
    const response = await client.send(request);
    expect(response.url.equals("http://example.org/echo_headers")).toBe(true);
    expect(Object.fromEntries(response.json<Echo>().headers)["Custom-header"]).toBe("value");
    expect(response.request).toBe(request);
  });

  it("leaves the body unread with send({ stream: true })", async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield encoder.encode("streamed");
    }
    const client = new Client({ transport: new MockTransport(() => new Response(200, { content: body() })) });
    const response = await client.send(client.buildRequest("GET", "http://example.org/"), { stream: true });
    expect(response.isClosed).toBe(false);
    expect(() => response.content).toThrow();
    await response.read();
    expect(response.text).toBe("streamed");
  });

  it.each([
    ["https://www.example.com/", "http://www.example.com/", "http://www.example.com/"],
    ["https://www.example.com/", "/testing/123", "https://www.example.com/testing/123"],
    ["https://www.example.com/some/path", "/testing/123", "https://www.example.com/some/path/testing/123"],
    ["https://www.example.com/some/path", "testing/123", "https://www.example.com/some/path/testing/123"],
    ["https://www.example.com/some/path", "../testing/123", "https://www.example.com/some/testing/123"],
    ["https://www.example.com/some/path", "/testing:123", "https://www.example.com/some/path/testing:123"],
    ["https://www.example.com/", "/testing%2F123", "https://www.example.com/testing%2F123"],
    ["https://www.example.com/base%2Fpath", "/testing", "https://www.example.com/base%2Fpath/testing"],
    ["https://api.example.com/v1", "/users?x=1", "https://api.example.com/v1/users?x=1"],
    ["https://api.example.com/v1", "", "https://api.example.com/v1/"],
    ["https://api.example.com/v1/", "?page=2", "https://api.example.com/v1/?page=2"],
  ])("merges baseUrl %s with %s", (baseUrl, url, expected) => {
    const request = echoClient({ baseUrl }).buildRequest("GET", url);
    expect(String(request.url)).toBe(expected);
  });

  it("sends to the base URL", async () => {
    const response = await echoClient({ baseUrl: "http://example.org/api" }).get("/items");
    expect(response.json<Echo>().url).toBe("http://example.org/api/items");
  });

  it("uses a changed baseUrl", () => {
    const client = echoClient({ baseUrl: "https://a.test/" });
    client.baseUrl = "https://b.test/v2";
    expect(String(client.buildRequest("GET", "/x").url)).toBe("https://b.test/v2/x");
  });

  it("leaves a relative URL alone without a baseUrl", () => {
    expect(String(echoClient().buildRequest("GET", "/x?y=1").url)).toBe("/x?y=1");
  });
});

describe("timeouts", () => {
  const timeoutOf = async (client: Client, options: Parameters<Client["get"]>[1] = {}) =>
    (await client.get("http://example.org/", options)).json<Echo>().extensions["timeout"];
  const all = (value: number | null) => ({ connect: value, read: value, write: value, pool: value });

  it.each([
    ["the client's default", {}, {}, all(5000)],
    ["the client's timeout", { timeout: 1000 }, {}, all(1000)],
    ["the request's timeout", {}, { timeout: 250 }, all(250)],
    ["USE_CLIENT_DEFAULT", { timeout: 1000 }, { timeout: USE_CLIENT_DEFAULT }, all(1000)],
    ["null for none", { timeout: 1000 }, { timeout: null }, all(null)],
    [
      "a Timeout",
      {},
      { timeout: new Timeout(10, { connect: 1 }) },
      { connect: 1, read: 10, write: 10, pool: 10 },
    ],
    [
      "an object",
      {},
      { timeout: { connect: 1, read: 2, write: 3, pool: null } },
      { connect: 1, read: 2, write: 3, pool: null },
    ],
    ["extensions.timeout over timeout", {}, { timeout: 5, extensions: { timeout: all(7) } }, all(7)],
  ] as const)("puts %s in extensions.timeout", async (_, clientOptions, requestOptions, expected) => {
    expect(await timeoutOf(echoClient(clientOptions), requestOptions as never)).toEqual(expected);
  });

  it("uses an assigned client timeout", async () => {
    const client = echoClient();
    client.timeout = 42;
    expect(await timeoutOf(client)).toEqual(all(42));
  });

  it("rejects a bad request timeout", async () => {
    await expect(echoClient().get("http://example.org/", { timeout: -1 })).rejects.toThrow(RangeError);
  });

  it("lets send() set the timeout of a built request", async () => {
    const client = echoClient();
    const request = client.buildRequest("GET", "http://example.org/");
    const response = await client.send(request, { timeout: 99 });
    expect(response.json<Echo>().extensions["timeout"]).toEqual(all(99));
  });

  it("gives a hand-made request the client's timeout", async () => {
    const { Request: FerryRequest } = await import("@ferry/core");
    const client = echoClient({ timeout: 3 });
    const response = await client.send(new FerryRequest("GET", "http://example.org/"));
    expect(response.json<Echo>().extensions["timeout"]).toEqual(all(3));
  });
});

describe("stream()", () => {
  async function* slowBody(): AsyncGenerator<Uint8Array> {
    yield encoder.encode("Hello, ");
    yield encoder.encode("world!");
  }
  const streaming = () =>
    new Client({ transport: new MockTransport(() => new Response(200, { content: slowBody() })) });

  it("returns a streaming response for await using", async () => {
    const client = streaming();
    let seen: Response;
    {
      await using response = await client.stream("GET", "http://example.org/");
      seen = response;
      expect(response.isStreamConsumed).toBe(false);
      const chunks: string[] = [];
      for await (const chunk of response.iterText()) chunks.push(chunk);
      expect(chunks.join("")).toBe("Hello, world!");
    }
    expect(seen.isClosed).toBe(true);
  });

  it("closes the response when left unread", async () => {
    let seen: Response | undefined;
    {
      await using response = await streaming().stream("GET", "http://example.org/");
      seen = response;
    }
    expect(seen.isClosed).toBe(true);
    expect(seen.isStreamConsumed).toBe(false);
  });

  it("calls back with the response, closes it, and returns the callback's result", async () => {
    let seen: Response | undefined;
    const result = await streaming().stream("GET", "http://example.org/", async (response) => {
      seen = response;
      expect(response.isClosed).toBe(false);
      return response.statusCode;
    });
    expect(result).toBe(200);
    expect(seen?.isClosed).toBe(true);
  });

  it("takes options before the callback", async () => {
    const text = await echoClient().stream("POST", "http://example.org/", { json: [1] }, async (response) => {
      await response.read();
      return response.json<Echo>().body;
    });
    expect(text).toBe("[1]");
  });

  it("closes the response when the callback throws", async () => {
    let seen: Response | undefined;
    const failure = streaming().stream("GET", "http://example.org/", (response) => {
      seen = response;
      throw new Error("callback failed");
    });
    await expect(failure).rejects.toThrow("callback failed");
    expect(seen?.isClosed).toBe(true);
  });
});

describe("responses", () => {
  it("reads the body unless streaming", async () => {
    const response = await echoClient().get("http://example.org/");
    expect(response.isStreamConsumed).toBe(true);
    expect(response.isClosed).toBe(true);
    expect(response.history).toEqual([]);
    expect(response.nextRequest).toBeNull();
  });

  it("sets elapsed once the body is read", async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield encoder.encode("x");
    }
    const client = new Client({ transport: new MockTransport(() => new Response(200, { content: body() })) });
    const read = await client.get("http://example.org/");
    expect(read.elapsed).toBeGreaterThanOrEqual(0);

    const streamed = await client.stream("GET", "http://example.org/");
    expect(() => streamed.elapsed).toThrow(/elapsed/);
    await streamed.read();
    expect(streamed.elapsed).toBeGreaterThanOrEqual(0);
  });

  it("sets elapsed when a streaming response is closed unread", async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield encoder.encode("x");
    }
    const client = new Client({ transport: new MockTransport(() => new Response(200, { content: body() })) });
    const response = await client.stream("GET", "http://example.org/");
    await response.close();
    expect(response.elapsed).toBeGreaterThanOrEqual(0);
  });

  it("sets elapsed for a body that was in memory", async () => {
    const response = await echoClient().get("http://example.org/");
    expect(response.elapsed).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ["a label", "iso-8859-1", "café"],
    ["a function", () => "iso-8859-1", "café"],
    ["utf-8 by default", undefined, "caf\ufffd"],
  ])("decodes text without a charset using defaultEncoding as %s", async (_, defaultEncoding, expected) => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
    const transport = new MockTransport(() => new Response(200, { content: latin1 }));
    const client = new Client({ transport, ...(defaultEncoding === undefined ? {} : { defaultEncoding }) });
    expect((await client.get("http://example.org/")).text).toBe(expected);
  });

  it("closes the response when reading the body fails, and rejects", async () => {
    let closed = false;
    const stream = {
      async *[Symbol.asyncIterator]() {
        yield encoder.encode("partial");
        throw new ConnectError("connection reset");
      },
      close() {
        closed = true;
      },
    };
    const client = new Client({ transport: new MockTransport(() => new Response(200, { stream })) });
    await expect(client.get("http://example.org/")).rejects.toThrow("connection reset");
    expect(closed).toBe(true);
  });

  it("passes a handler's error to the caller as it is", async () => {
    const failure = new TypeError("handler bug");
    const client = new Client({
      transport: new MockTransport(() => {
        throw failure;
      }),
    });
    await expect(client.get("http://example.org/")).rejects.toBe(failure);
  });

  it("attaches the request to a transport error raised without one", async () => {
    const client = new Client({
      transport: new MockTransport(() => {
        throw new ConnectError("refused");
      }),
    });
    const error = (await client.get("http://example.org/x").catch((e: unknown) => e)) as ConnectError;
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.request.url.path).toBe("/x");
  });
});

describe("client state", () => {
  const hello = () => new MockTransport(() => new Response(200, { text: "Hello, world!" }));

  it("refuses requests once closed, and stays closed", async () => {
    const client = new Client({ transport: hello() });
    expect(client.isClosed).toBe(false);
    await client.get("http://example.com");
    expect(client.isClosed).toBe(false);
    await client.close();
    expect(client.isClosed).toBe(true);
    const message = "Cannot send a request, as the client has been closed.";
    await expect(client.get("http://example.com")).rejects.toThrow(message);
    await expect(client.stream("GET", "http://example.com")).rejects.toThrow(message);
    await expect(client.send(client.buildRequest("GET", "http://example.com"))).rejects.toThrow(message);
    await client.close();
    expect(client.isClosed).toBe(true);
  });

  it("closes with await using", async () => {
    let closed = 0;
    const transport = hello();
    transport.close = async () => {
      closed += 1;
    };
    let outer: Client;
    {
      await using client = new Client({ transport });
      outer = client;
      await client.get("http://example.com");
    }
    expect(outer.isClosed).toBe(true);
    expect(closed).toBe(1);
  });

  it("closes every transport even when one fails, then reports the failure", async () => {
    const failing = hello();
    failing.close = async () => {
      throw new Error("close failed");
    };
    let mountedClosed = false;
    const mounted = hello();
    mounted.close = async () => {
      mountedClosed = true;
    };
    const client = new Client({ transport: failing, mounts: { "https://a.test": mounted } });
    await expect(client.close()).rejects.toThrow("close failed");
    expect(mountedClosed).toBe(true);
    expect(client.isClosed).toBe(true);
  });

  it("sends concurrent requests", async () => {
    const client = echoClient();
    const urls = Array.from({ length: 10 }, (_, i) => `http://example.org/${i}`);
    const responses = await Promise.all(urls.map((url) => client.get(url)));
    expect(responses.map((r) => (r.request as Request).url.path)).toEqual(
      urls.map((u) => new globalThis.URL(u).pathname),
    );
  });
});

describe("per-request defaults", () => {
  const transport = () =>
    new MockTransport((request) =>
      request.url.path === "/redirect"
        ? new Response(302, { headers: { location: "/" } })
        : new Response(200, { json: request.headers.get("authorization") ?? null }),
    );

  it.each([
    ["left out", {}, "Basic dXNlcjpwYXNz", 200],
    [
      "USE_CLIENT_DEFAULT",
      { auth: USE_CLIENT_DEFAULT, followRedirects: USE_CLIENT_DEFAULT },
      "Basic dXNlcjpwYXNz",
      200,
    ],
    ["null auth and false followRedirects", { auth: null, followRedirects: false }, null, 302],
  ] as const)("use the client's auth and followRedirects when %s", async (_, options, auth, status) => {
    const client = new Client({ transport: transport(), auth: ["user", "pass"], followRedirects: true });
    const response = await client.get("https://example.org/redirect", options);
    expect(response.statusCode).toBe(status);
    if (status === 200) expect(response.json()).toBe(auth);
    else expect(response.request.headers.get("authorization") ?? null).toBe(auth);
  });

  it("treats null params, headers, cookies and extensions as not given", async () => {
    const client = echoClient({ params: { a: "1" }, headers: { "X-A": "1" }, cookies: { c: "1" } });
    const response = await client.get("http://example.org/", {
      params: null,
      headers: null,
      cookies: null,
      extensions: null,
    });
    const echoed = response.json<Echo>();
    const headers = Object.fromEntries(echoed.headers);
    expect(echoed.url).toBe("http://example.org/?a=1");
    expect([headers["X-A"], headers["Cookie"]]).toEqual(["1", "c=1"]);
    expect(echoed.extensions["timeout"]).toEqual({ connect: 5000, read: 5000, write: 5000, pool: 5000 });
  });
});

/** Behaviours of requests: methods, bodies, building and sending, baseUrl, timeouts and responses. */
import { ConnectError, Request, Response, Timeout, USE_CLIENT_DEFAULT } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { expect } from "vitest";
import { type Behaviour, behaviour, chunks, echoClient, echoed } from "./harness.js";

const encoder = new TextEncoder();
const URL_ = "http://example.org/";
const all = (value: number | null) => ({ connect: value, read: value, write: value, pool: value });

const methods: Behaviour[] = [
  ...(
    [
      ["get", "GET"],
      ["head", "HEAD"],
      ["options", "OPTIONS"],
      ["delete", "DELETE"],
      ["post", "POST"],
      ["put", "PUT"],
      ["patch", "PATCH"],
    ] as const
  ).map(([method, expected]) =>
    behaviour(`${method}() sends ${expected}`, async (h) => {
      const response = await echoClient(h)[method](URL_);
      expect(response.request.method).toBe(expected);
      expect(response.statusCode).toBe(200);
    }),
  ),
  behaviour("request() sends any method", async (h) => {
    expect(echoed(await echoClient(h).request("PROPFIND", URL_)).method).toBe("PROPFIND");
  }),
  ...(
    [
      ["content", { content: "Hello, world!" }, "Hello, world!", undefined],
      ["content bytes", { content: encoder.encode("bytes") }, "bytes", undefined],
      ["json", { json: { text: "Hello" } }, '{"text":"Hello"}', "application/json"],
      ["data", { data: { a: "1", b: ["x", "y"] } }, "a=1&b=x&b=y", "application/x-www-form-urlencoded"],
    ] as const
  ).map(([name, options, body, contentType]) =>
    behaviour(`post() sends ${name}`, async (h) => {
      const sent = echoed(await echoClient(h).post(URL_, options));
      expect(sent.body).toBe(body);
      expect(sent.headers.find(([name]) => name.toLowerCase() === "content-type")).toEqual(
        contentType === undefined ? undefined : ["Content-Type", contentType],
      );
    }),
  ),
  behaviour("post() sends files as multipart", async (h) => {
    const response = await echoClient(h).post(URL_, {
      files: { upload: ["a.txt", "file content", "text/plain"] },
      data: { field: "value" },
    });
    const body = echoed(response).body;
    expect(body).toContain('Content-Disposition: form-data; name="field"\r\n\r\nvalue\r\n');
    expect(body).toContain(
      'name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile content\r\n',
    );
  }),
  behaviour("streams a request body from an iterable, chunked", async (h) => {
    const sent = echoed(await echoClient(h).put(URL_, { content: chunks("Hello, ", "world!") }));
    expect(sent.body).toBe("Hello, world!");
    expect(sent.header["transfer-encoding"]).toBe("chunked");
  }),
  behaviour("sends a bodiless POST with Content-Length: 0", async (h) => {
    expect(echoClient(h).buildRequest("POST", URL_).headers.get("content-length")).toBe("0");
  }),
  behaviour("passes extensions to the transport", async (h) => {
    const response = await echoClient(h).get(URL_, { extensions: { trace: "on" } });
    expect(echoed(response).extensions).toMatchObject({ trace: "on" });
  }),
  behaviour("rejects an unknown option of a request method before sending", async (h) => {
    let sent = 0;
    const client = h.client({
      transport: new MockTransport(() => {
        sent += 1;
        return new Response(200);
      }),
    });
    await expect(async () => client.get(URL_, { param: { a: 1 } } as never)).rejects.toThrow(
      /client\.get\(\) got an unknown option "param"/,
    );
    await expect(async () => client.get(URL_, { json: 1 } as never)).rejects.toThrow(TypeError);
    await expect(async () => client.get(URL_, { json: 1 } as never)).rejects.toThrow(/unknown option "json"/);
    await expect(async () =>
      client.send(client.buildRequest("GET", URL_), { follow: true } as never),
    ).rejects.toThrow(/client\.send\(\) got an unknown option "follow"/);
    expect(sent).toBe(0);
  }),
];

const sending: Behaviour[] = [
  behaviour("sends a built request with headers added afterwards", async (h) => {
    const client = echoClient(h);
    const request = client.buildRequest("GET", "http://example.org/echo_headers");
    request.headers.update({ "Custom-header": "value" });
    const response = await client.send(request);
    expect(response.url.equals("http://example.org/echo_headers")).toBe(true);
    expect(echoed(response).headers).toContainEqual(["Custom-header", "value"]);
    expect(response.request).toBe(request);
  }),
  behaviour("leaves the body unread with send({ stream: true })", async (h) => {
    const client = h.client({
      transport: new MockTransport(() => new Response(200, { content: chunks("streamed") })),
    });
    const response = await client.send(client.buildRequest("GET", URL_), { stream: true });
    expect(response.isClosed).toBe(false);
    expect(() => response.content).toThrow();
    await h.read(response);
    expect(response.text).toBe("streamed");
  }),
  ...(
    [
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
    ] as const
  ).map(([baseUrl, url, expected]) =>
    behaviour(`merges baseUrl ${baseUrl} with "${url}"`, async (h) => {
      expect(String(echoClient(h, { baseUrl }).buildRequest("GET", url).url)).toBe(expected);
    }),
  ),
  behaviour("leaves a relative URL alone without a baseUrl", async (h) => {
    expect(String(echoClient(h).buildRequest("GET", "/x?y=1").url)).toBe("/x?y=1");
  }),
  behaviour("sends to the base URL", async (h) => {
    const response = await echoClient(h, { baseUrl: "http://example.org/api" }).get("/items");
    expect(echoed(response).url).toBe("http://example.org/api/items");
  }),
  behaviour("joins a path to the baseUrl the same way every time", async (h) => {
    const client = echoClient(h, { baseUrl: "https://a.test/v1/" });
    const first = client.buildRequest("GET", "/items?page=1");
    const again = client.buildRequest("GET", "items?page=1");
    expect(String(first.url)).toBe("https://a.test/v1/items?page=1");
    expect(String(again.url)).toBe(String(first.url));
    expect(String(client.buildRequest("GET", "/items?page=2").url)).toBe("https://a.test/v1/items?page=2");
    expect(String(client.buildRequest("GET", "/items#part").url)).toBe("https://a.test/v1/items");
  }),
  behaviour("uses a changed baseUrl", async (h) => {
    const client = echoClient(h, { baseUrl: "https://a.test/" });
    expect(String(client.buildRequest("GET", "/x").url)).toBe("https://a.test/x");
    client.baseUrl = "https://b.test/v2";
    expect(String(client.buildRequest("GET", "/x").url)).toBe("https://b.test/v2/x");
  }),
];

const timeouts: Behaviour[] = [
  ...(
    [
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
    ] as const
  ).map(([name, clientOptions, requestOptions, expected]) =>
    behaviour(`puts ${name} in extensions.timeout`, async (h) => {
      const response = await echoClient(h, clientOptions).get(URL_, requestOptions as never);
      expect(echoed(response).extensions["timeout"]).toEqual(expected);
    }),
  ),
  behaviour("uses an assigned client timeout", async (h) => {
    const client = echoClient(h);
    client.timeout = 42;
    expect(echoed(await client.get(URL_)).extensions["timeout"]).toEqual(all(42));
  }),
  behaviour("rejects a bad request timeout", async (h) => {
    const client = echoClient(h);
    await expect(async () => client.get(URL_, { timeout: -1 })).rejects.toThrow(RangeError);
  }),
  behaviour("lets send() set the timeout of a built request", async (h) => {
    const client = echoClient(h);
    const response = await client.send(client.buildRequest("GET", URL_), { timeout: 99 });
    expect(echoed(response).extensions["timeout"]).toEqual(all(99));
  }),
  behaviour("gives a hand-made request the client's timeout", async (h) => {
    const response = await echoClient(h, { timeout: 3 }).send(new Request("GET", URL_));
    expect(echoed(response).extensions["timeout"]).toEqual(all(3));
  }),
];

/** Answers 302 on /redirect, and elsewhere with the Authorization header it got. */
const authOrRedirect = () =>
  new MockTransport((request) =>
    request.url.path === "/redirect"
      ? new Response(302, { headers: { location: "/" } })
      : new Response(200, { json: request.headers.get("authorization") ?? null }),
  );

const perRequest: Behaviour[] = [
  ...(
    [
      ["left out", {}, "Basic dXNlcjpwYXNz", 200],
      [
        "USE_CLIENT_DEFAULT",
        { auth: USE_CLIENT_DEFAULT, followRedirects: USE_CLIENT_DEFAULT },
        "Basic dXNlcjpwYXNz",
        200,
      ],
      ["null auth and false followRedirects", { auth: null, followRedirects: false }, null, 302],
    ] as const
  ).map(([name, options, auth, status]) =>
    behaviour(`uses the client's auth and followRedirects when ${name}`, async (h) => {
      const client = h.client({ transport: authOrRedirect(), auth: ["user", "pass"], followRedirects: true });
      const response = await client.get("https://example.org/redirect", options);
      expect(response.statusCode).toBe(status);
      if (status === 200) expect(response.json()).toBe(auth);
      else expect(response.request.headers.get("authorization") ?? null).toBe(auth);
    }),
  ),
  behaviour("treats null params, headers, cookies and extensions as not given", async (h) => {
    const client = echoClient(h, { params: { a: "1" }, headers: { "X-A": "1" }, cookies: { c: "1" } });
    const response = await client.get(URL_, { params: null, headers: null, cookies: null, extensions: null });
    const sent = echoed(response);
    expect(sent.url).toBe("http://example.org/?a=1");
    expect([sent.header["x-a"], sent.header["cookie"]]).toEqual(["1", "c=1"]);
    expect(sent.extensions["timeout"]).toEqual(all(5000));
  }),
];

const responses: Behaviour[] = [
  behaviour("reads the body unless streaming", async (h) => {
    const response = await echoClient(h).get(URL_);
    expect(response.isStreamConsumed).toBe(true);
    expect(response.isClosed).toBe(true);
    expect(response.history).toEqual([]);
    expect(response.nextRequest).toBeNull();
  }),
  behaviour("sets elapsed once the body is read", async (h) => {
    const client = h.client({
      transport: new MockTransport(() => new Response(200, { content: chunks("x") })),
    });
    expect((await client.get(URL_)).elapsed).toBeGreaterThanOrEqual(0);
    const streamed = await client.stream("GET", URL_);
    expect(() => streamed.elapsed).toThrow(/elapsed/);
    await h.read(streamed);
    expect(streamed.elapsed).toBeGreaterThanOrEqual(0);
  }),
  behaviour("sets elapsed for a body that was in memory", async (h) => {
    expect((await echoClient(h).get(URL_)).elapsed).toBeGreaterThanOrEqual(0);
  }),
  behaviour("sets elapsed when a streaming response is closed unread", async (h) => {
    const client = h.client({
      transport: new MockTransport(() => new Response(200, { content: chunks("x") })),
    });
    const response = await client.stream("GET", URL_);
    await h.close(response);
    expect(response.elapsed).toBeGreaterThanOrEqual(0);
  }),
  ...(
    [
      ["a label", "iso-8859-1", "café"],
      ["a function", () => "iso-8859-1", "café"],
      ["utf-8 by default", undefined, "caf\ufffd"],
    ] as const
  ).map(([name, defaultEncoding, expected]) =>
    behaviour(`decodes text without a charset using defaultEncoding as ${name}`, async (h) => {
      const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
      const transport = new MockTransport(() => new Response(200, { content: latin1 }));
      const client = h.client({ transport, ...(defaultEncoding === undefined ? {} : { defaultEncoding }) });
      expect((await client.get(URL_)).text).toBe(expected);
    }),
  ),
  behaviour("closes the response when reading the body fails, and throws", async (h) => {
    let closed = false;
    const stream = {
      *[Symbol.iterator]() {
        yield encoder.encode("partial");
        throw new ConnectError("connection reset");
      },
      close() {
        closed = true;
      },
    };
    const client = h.client({ transport: new MockTransport(() => new Response(200, { stream })) });
    await expect(async () => client.get(URL_)).rejects.toThrow("connection reset");
    expect(closed).toBe(true);
  }),
  behaviour("passes a handler's error to the caller as it is", async (h) => {
    const failure = new TypeError("handler bug");
    const client = h.client({
      transport: new MockTransport(() => {
        throw failure;
      }),
    });
    await expect(async () => client.get(URL_)).rejects.toBe(failure);
  }),
  behaviour("attaches the request to a transport error raised without one", async (h) => {
    const client = h.client({
      transport: new MockTransport(() => {
        throw new ConnectError("refused");
      }),
    });
    const error = await (async () => client.get("http://example.org/x"))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).request.url.path).toBe("/x");
  }),
];

/** Requests, sending, timeouts, per-request defaults and responses. */
export const requestBehaviours: readonly Behaviour[] = [
  ...methods,
  ...sending,
  ...timeouts,
  ...perRequest,
  ...responses,
];

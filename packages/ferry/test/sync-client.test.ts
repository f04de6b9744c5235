import { createServer } from "node:net";
import {
  Client,
  ConnectError,
  ConnectTimeout,
  Limits,
  PoolTimeout,
  ReadTimeout,
  StreamConsumed,
  SyncClient,
  TimeoutException,
  TransportError,
  WriteTimeout,
} from "@ferry/core";
import { certs } from "@ferry/test-servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../src/node.js";
import { bundleSyncModules, type ServerThread, startServerThread } from "./sync-helpers.js";

let http: ServerThread;
let raw: ServerThread;

beforeAll(async () => {
  await bundleSyncModules();
  [http, raw] = await Promise.all([startServerThread("http"), startServerThread("raw")]);
});

afterAll(async () => {
  await Promise.all([http?.close(), raw?.close()]);
});

interface Echo {
  method: string;
  path: string;
  headers: [string, string][];
  body: string;
  httpVersion: string;
}

const encoder = new TextEncoder();

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 0;
}

describe("SyncClient over the network", () => {
  it("sends a request from its worker thread and returns the response", () => {
    using client = new SyncClient({ baseUrl: http.url });
    const response = client.post("/echo?x=1", { json: { hello: "world" } });
    expect(response.statusCode).toBe(200);
    expect(response.httpVersion).toBe("HTTP/1.1");
    expect(response.reasonPhrase).toBe("OK");
    const echo = response.json<Echo>();
    expect(echo).toMatchObject({ method: "POST", path: "/echo?x=1", body: '{"hello":"world"}' });
    expect(Object.fromEntries(echo.headers.map(([k, v]) => [k.toLowerCase(), v]))).toMatchObject({
      "content-type": "application/json",
      "user-agent": expect.stringMatching(/^ferry\//),
    });
    expect(response.elapsed).toBeGreaterThan(0);
  });

  it("streams a request body to the worker chunk by chunk", () => {
    function* body(): Generator<Uint8Array> {
      for (let i = 0; i < 64; i++) yield new Uint8Array(64 * 1024).fill(i);
    }
    using client = new SyncClient({ baseUrl: http.url });
    expect(client.post("/upload", { content: body() }).json()).toEqual({
      size: 64 * 64 * 1024,
      transferEncoding: "chunked",
    });
  });

  it("throws the error a request body's iterator raised, as it is", () => {
    const failure = new RangeError("the body failed");
    function* body(): Generator<Uint8Array> {
      yield encoder.encode("first");
      throw failure;
    }
    using client = new SyncClient({ baseUrl: http.url });
    expect(() => client.post("/upload", { content: body() })).toThrow(failure);
    expect(client.get("/bytes/3").text).toBe("aaa");
  });

  it("delivers each chunk of a streaming response as it arrives", () => {
    using client = new SyncClient({ baseUrl: http.url });
    using response = client.stream("GET", "/chunks?count=3&delay=200");
    const received: number[] = [];
    const sent: number[] = [];
    for (const line of response.iterLinesSync()) {
      received.push(Date.now());
      sent.push(Number(line.split(" ")[2]));
    }
    expect(sent).toHaveLength(3);
    // The first line was read before the server sent the second one.
    expect(received[0]).toBeLessThan(sent[1] as number);
  });

  it("reads part of an endless response and closes it", () => {
    using client = new SyncClient({ baseUrl: http.url });
    const lines: string[] = [];
    {
      using response = client.stream("GET", "/endless");
      for (const line of response.iterLinesSync()) {
        lines.push(line);
        if (lines.length === 5) break;
      }
    }
    expect(lines).toEqual(["line 0", "line 1", "line 2", "line 3", "line 4"]);
    expect(client.get("/bytes/2").text).toBe("aa");
  });

  it("does not read ahead more than a window of a large body", () => {
    using client = new SyncClient({ baseUrl: http.url });
    using response = client.stream("GET", "/big?mb=64");
    const [first] = response.iterBytesSync();
    expect(first?.byteLength).toBeGreaterThan(0);
    // Answers once the server's writer has been held back by backpressure (or has written everything).
    const stats = client.get("/stats").json<{ written: number; done: boolean }>();
    expect(stats.done).toBe(false);
    expect(stats.written).toBeLessThan(32 * 1024 * 1024);
  });

  it("reads a whole large body", () => {
    using client = new SyncClient({ baseUrl: http.url });
    expect(client.get("/bytes/5000000").content.byteLength).toBe(5_000_000);
  });

  it("decodes a gzip body in the calling thread", () => {
    using client = new SyncClient({ baseUrl: http.url });
    expect(client.get("/gzip").text).toBe("hello, gzip");
  });

  it("follows redirects and keeps cookies across requests", () => {
    using client = new SyncClient({ baseUrl: http.url, followRedirects: true });
    client.get("/cookies/set?session=abc");
    expect(client.cookies.get("session")).toBe("abc");
    const response = client.get(`/redirect?to=${encodeURIComponent("/echo")}&status=302`);
    expect(response.history.map((hop) => hop.statusCode)).toEqual([302]);
    const cookie = response.json<Echo>().headers.find(([name]) => name.toLowerCase() === "cookie");
    expect(cookie?.[1]).toBe("session=abc");
  });
});

describe("SyncClient request bodies across redirects", () => {
  const to307 = `/redirect?to=${encodeURIComponent("/upload")}&status=307`;

  it("sends a body again on a 307", () => {
    using client = new SyncClient({ baseUrl: http.url, followRedirects: true });
    expect(client.post(to307, { content: "twice" }).json()).toEqual({ size: 5, transferEncoding: null });
  });

  it("raises StreamConsumed when a one-shot body must be sent again", () => {
    function* body(): Generator<Uint8Array> {
      yield encoder.encode("once");
    }
    using client = new SyncClient({ baseUrl: http.url, followRedirects: true });
    expect(() => client.post(to307, { content: body() })).toThrow(StreamConsumed);
  });
});

describe("SyncClient through a proxy", () => {
  let proxy: ServerThread;
  beforeAll(async () => {
    proxy = await startServerThread("proxy");
  });
  afterAll(async () => {
    await proxy?.close();
  });
  const through = (credentials: string) => proxy.url.replace("//", `//${credentials}@`);

  it.each([
    ["the proxy option", "user:pass", 200],
    ["the proxy option, with the wrong credentials", "user:wrong", 407],
  ])("sends through %s", (_, credentials, status) => {
    using client = new SyncClient({ proxy: through(credentials) });
    expect(client.get(`${http.url}/bytes/3`).statusCode).toBe(status);
  });

  it("sends through the proxy of the environment", () => {
    const saved = process.env["HTTP_PROXY"];
    process.env["HTTP_PROXY"] = through("user:wrong");
    try {
      using client = new SyncClient();
      expect(client.get(`${http.url}/bytes/3`).statusCode).toBe(407);
      using direct = new SyncClient({ trustEnv: false });
      expect(direct.get(`${http.url}/bytes/3`).statusCode).toBe(200);
    } finally {
      if (saved === undefined) delete process.env["HTTP_PROXY"];
      else process.env["HTTP_PROXY"] = saved;
    }
  });
});

describe("SyncClient timeouts, by phase", () => {
  it("raises ConnectTimeout when the TLS handshake stalls", () => {
    using client = new SyncClient({ timeout: { connect: 100, read: 5000, write: 5000, pool: 5000 } });
    const url = `${raw.url.replace("http:", "https:")}/`;
    const error = catchError(() => client.get(url));
    expect(error).toBeInstanceOf(ConnectTimeout);
    expect(error).toBeInstanceOf(TimeoutException);
    expect((error as ConnectTimeout).request.url.equals(url)).toBe(true);
  });

  it("raises ReadTimeout when the response headers are late", () => {
    using client = new SyncClient({ baseUrl: http.url });
    expect(() => client.get("/slow-headers?delay=3000", { timeout: { ...none, read: 100 } })).toThrow(
      ReadTimeout,
    );
  });

  it("raises ReadTimeout while a streamed body stalls", () => {
    using client = new SyncClient({ baseUrl: http.url, timeout: { ...none, read: 150 } });
    using response = client.stream("GET", "/slow-body?delay=3000");
    const chunks = response.iterBytesSync()[Symbol.iterator]();
    expect(new TextDecoder().decode(chunks.next().value)).toBe("first part;");
    expect(() => chunks.next()).toThrow(ReadTimeout);
  });

  it("raises WriteTimeout when the server does not read an upload", () => {
    using client = new SyncClient({ baseUrl: raw.url });
    const content = new Uint8Array(64 * 1024 * 1024);
    expect(() => client.put("/", { content, timeout: { ...none, write: 150 } })).toThrow(WriteTimeout);
  });

  it("raises PoolTimeout when every connection is taken", () => {
    using client = new SyncClient({ baseUrl: http.url, limits: new Limits({ maxConnections: 1 }) });
    using held = client.stream("GET", "/slow-body?delay=3000");
    expect(held.statusCode).toBe(200);
    expect(() => client.get("/bytes/1", { timeout: { ...none, pool: 100 } })).toThrow(PoolTimeout);
  });

  it("raises ConnectError, with its cause, for a closed port", async () => {
    const port = await closedPort();
    using client = new SyncClient();
    const error = catchError(() => client.get(`http://127.0.0.1:${port}/`));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("raises the same error classes with the same messages as the async Client", async () => {
    const url = `${http.url}/slow-headers?delay=3000`;
    const timeout = { ...none, read: 100 };
    await using async = new Client();
    const expected = (await async.get(url, { timeout }).then(undefined, (e: unknown) => e)) as Error;
    using client = new SyncClient();
    const error = catchError(() => client.get(url, { timeout })) as Error;
    expect(error).toBeInstanceOf(TransportError);
    expect([error.name, error.message]).toEqual([expected.name, expected.message]);
  });
});

describe("SyncClient over HTTPS and HTTP/2", () => {
  let h2: ServerThread;
  let https: ServerThread;
  beforeAll(async () => {
    [h2, https] = await Promise.all([startServerThread("h2"), startServerThread("https")]);
  });
  afterAll(async () => {
    await Promise.all([h2?.close(), https?.close()]);
  });

  it("verifies the server with a CA bundle", () => {
    using client = new SyncClient({ baseUrl: https.url, verify: certs.caPath });
    expect(client.get("/bytes/4").text).toBe("aaaa");
  });

  it("refuses a server its CAs do not vouch for", () => {
    using client = new SyncClient({ baseUrl: https.url, trustEnv: false });
    expect(() => client.get("/bytes/4")).toThrow(ConnectError);
  });

  it("speaks HTTP/2 when asked, streaming the response", () => {
    using client = new SyncClient({ baseUrl: h2.url, http2: true, verify: certs.caPath });
    const echo = client.get("/echo");
    expect(echo.httpVersion).toBe("HTTP/2");
    expect(echo.json<Echo>().httpVersion).toBe("2.0");
    using response = client.stream("GET", "/chunks?count=3&delay=10");
    expect([...response.iterLinesSync()].map((line) => line.split(" ")[1])).toEqual(["0", "1", "2"]);
  });

  it("reads two responses streaming at once, in turns", () => {
    using client = new SyncClient({ baseUrl: h2.url, http2: true, verify: certs.caPath });
    using a = client.stream("GET", "/chunks?count=3&delay=20");
    using b = client.stream("GET", "/chunks?count=3&delay=20");
    const [linesA, linesB] = [a.iterLinesSync()[Symbol.iterator](), b.iterLinesSync()[Symbol.iterator]()];
    const turns: string[] = [];
    for (let i = 0; i < 3; i++)
      turns.push(`a${linesA.next().value?.split(" ")[1]}`, `b${linesB.next().value?.split(" ")[1]}`);
    expect(turns).toEqual(["a0", "b0", "a1", "b1", "a2", "b2"]);
  });
});

const none = { connect: null, read: null, write: null, pool: null };

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

import { gzipSync } from "node:zlib";
import { certs, startHttp2Server, startHttpProxy, startHttpServer } from "@ferry/test-servers";
import { UndiciTransport } from "@ferry/transport-undici";
import {
  Client,
  DEFAULT_LIMITS,
  Limits,
  Proxy as ProxyConfig,
  post,
  ReadTimeout,
  runtime,
  stream,
  Timeout,
  type TransportFactoryOptions,
} from "ferry";
import { afterEach, describe, expect, it } from "vitest";

const network: TransportFactoryOptions = {
  verify: true,
  cert: null,
  http1: true,
  http2: false,
  limits: DEFAULT_LIMITS,
  proxy: null,
  trustEnv: true,
};

afterEach(() => {
  delete process.env["HTTP_PROXY"];
  delete process.env["NO_PROXY"];
});

describe("ferry on Node", () => {
  it("makes UndiciTransport the default transport", async () => {
    const transport = runtime.transportFactory?.(network);
    expect(transport).toBeInstanceOf(UndiciTransport);
    await transport?.close();
  });

  it("top-level functions send over the network and read the body before their client closes", async () => {
    await using server = await startHttpServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk));
      req.on("end", () => res.end(`${req.method} ${body}`));
    });
    const response = await post(server.url, { json: { a: 1 }, trustEnv: false });
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('POST {"a":1}');
  });

  it("sends a Client's requests over the network with the default headers", async () => {
    await using server = await startHttpServer((req, res) => res.end(JSON.stringify(req.headers)));
    await using client = new Client({ baseUrl: server.url, trustEnv: false });
    const response = await client.get("/");
    const headers = response.json<Record<string, string>>();
    expect(headers["user-agent"]).toMatch(/^ferry\//);
    expect(headers["accept-encoding"]).toMatch(/^gzip, deflate/);
    expect(response.httpVersion).toBe("HTTP/1.1");
    expect(response.reasonPhrase).toBe("OK");
  });

  it("decodes a gzip body with node:zlib", async () => {
    await using server = await startHttpServer((_req, res) => {
      res.setHeader("Content-Encoding", "gzip");
      res.end(gzipSync("squeezed"));
    });
    await using client = new Client({ trustEnv: false });
    expect((await client.get(server.url)).text).toBe("squeezed");
  });

  it("negotiates HTTP/2 with http2: true", async () => {
    await using server = await startHttp2Server((_req, res) => res.end("two"));
    await using client = new Client({ http2: true, verify: certs.caPath, trustEnv: false });
    const response = await client.get(server.url);
    expect(response.httpVersion).toBe("HTTP/2");
    expect(response.text).toBe("two");
  });

  it("streams a response in 1024-byte chunks", async () => {
    await using server = await startHttpServer((_req, res) => res.end(Buffer.alloc(5000, "z")));
    await using client = new Client({ trustEnv: false });
    const sizes = await client.stream("GET", server.url, async (response) => {
      const seen: number[] = [];
      for await (const chunk of response.iterBytes(1024)) seen.push(chunk.byteLength);
      return seen;
    });
    expect(sizes).toEqual([1024, 1024, 1024, 1024, 904]);
  });

  it("presents a client certificate given as cert", async () => {
    await using server = await startHttpServer((_req, res) => res.end("mutual"), {
      tls: true,
      requireClientCert: true,
    });
    const cert = [certs.clientCertPath, certs.clientKeyPath] as const;
    await using client = new Client({ verify: certs.caPath, cert, trustEnv: false });
    expect((await client.get(server.url)).text).toBe("mutual");
  });

  it("applies the Client's limits to its default transport", async () => {
    await using server = await startHttpServer((_req, res) => setTimeout(() => res.end("queued"), 20));
    await using client = new Client({ limits: new Limits({ maxConnections: 1 }), trustEnv: false });
    await Promise.all(Array.from({ length: 4 }, () => client.get(server.url)));
    expect(server.connections).toBe(1);
  });

  it("raises the Client's timeout classes from the network", async () => {
    await using server = await startHttpServer(() => {});
    await using client = new Client({ timeout: new Timeout(5000, { read: 100 }), trustEnv: false });
    await expect(client.get(server.url)).rejects.toThrow(ReadTimeout);
  });

  it("sends requests through the Client's proxy, credentials to the proxy only", async () => {
    await using target = await startHttpServer((req, res) =>
      res.end(`auth=${req.headers["proxy-authorization"]}`),
    );
    await using proxy = await startHttpProxy({ auth: ["u", "p"] });
    await using client = new Client({
      proxy: new ProxyConfig(proxy.url, { auth: ["u", "p"] }),
      trustEnv: false,
    });
    expect((await client.get(target.url)).text).toBe("auth=undefined");
    expect(proxy.requests.map((request) => request.target)).toEqual([`${target.url}/`]);
  });

  it("mounts proxies from the environment, honouring NO_PROXY", async () => {
    await using target = await startHttpServer((_req, res) => res.end("reached"));
    await using proxy = await startHttpProxy();
    process.env["HTTP_PROXY"] = proxy.url;
    await using proxied = new Client();
    expect((await proxied.get(target.url)).text).toBe("reached");
    expect(proxy.requests).toHaveLength(1);
    process.env["NO_PROXY"] = "127.0.0.1";
    await using direct = new Client();
    await direct.get(target.url);
    expect(proxy.requests).toHaveLength(1);
  });

  it("closes every connection with the Client", async () => {
    await using server = await startHttpServer((_req, res) => res.end("short-lived"), {
      keepAliveTimeout: 60_000,
    });
    const client = new Client({ trustEnv: false });
    await client.get(server.url);
    expect(server.openConnections).toBe(1);
    await client.close();
    await expect.poll(() => server.openConnections).toBe(0);
  });

  it("streams a top-level request with a short-lived Client, closed afterwards", async () => {
    await using server = await startHttpServer((_req, res) => res.end("top level"), {
      keepAliveTimeout: 60_000,
    });
    const text = await stream("GET", server.url, { trustEnv: false }, async (response) => {
      await response.read();
      return response.text;
    });
    expect(text).toBe("top level");
    await expect.poll(() => server.openConnections).toBe(0);
  });
});

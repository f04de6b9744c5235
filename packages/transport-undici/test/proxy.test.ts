import { ConnectError, Proxy as ProxyConfig, ProxyError } from "@ferry/core";
import {
  certs,
  startHttpProxy,
  startHttpServer,
  startSocks4Server,
  startSocks5Server,
  type TestServer,
} from "@ferry/test-servers";
import { describe, expect, it } from "vitest";
import { UndiciTransport } from "../src/index.js";
import { closedPort, fetchText, send, text } from "./helpers.js";

/** An origin server answering with what it saw: whether a proxy forwarded it, and any proxy credentials. */
function origin(tls = false): Promise<TestServer> {
  return startHttpServer(
    (req, res) =>
      res.end(`${req.url} via=${req.headers.via ?? "-"} auth=${req.headers["proxy-authorization"] ?? "-"}`),
    { tls },
  );
}

const basic = (user: string, pass: string): string =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

describe("HTTP proxies", () => {
  it("sends plain-HTTP requests to the proxy in absolute form, credentials to the proxy only", async () => {
    await using target = await origin();
    await using proxy = await startHttpProxy({ auth: ["user", "secret"] });
    await using transport = new UndiciTransport({
      proxy: new ProxyConfig(proxy.url, { auth: ["user", "secret"] }),
    });
    const response = await fetchText(transport, `${target.url}/page?q=1`);
    expect(text(response)).toMatch(/^\/page\?q=1 via=1\.1 .* auth=-$/);
    expect(proxy.requests).toHaveLength(1);
    expect(proxy.requests[0]).toMatchObject({ method: "GET", target: `${target.url}/page?q=1` });
    expect(proxy.requests[0]?.headers["proxy-authorization"]).toBe(basic("user", "secret"));
    expect(proxy.requests[0]?.headers.host).toBe(`127.0.0.1:${target.port}`);
  });

  it("tunnels HTTPS requests with CONNECT, taking credentials from the proxy URL", async () => {
    await using target = await origin(true);
    await using proxy = await startHttpProxy({ auth: ["user", "p@ss"] });
    const proxyUrl = proxy.url.replace("http://", "http://user:p%40ss@");
    await using transport = new UndiciTransport({ proxy: proxyUrl, verify: certs.caPath });
    const response = await fetchText(transport, `${target.url}/secure`);
    expect(text(response)).toBe("/secure via=- auth=-");
    expect(proxy.requests.map((request) => [request.method, request.target])).toEqual([
      ["CONNECT", `127.0.0.1:${target.port}`],
    ]);
    expect(proxy.requests[0]?.headers["proxy-authorization"]).toBe(basic("user", "p@ss"));
  });

  it("reuses one tunnel for several requests to the same origin", async () => {
    await using target = await origin(true);
    await using proxy = await startHttpProxy();
    await using transport = new UndiciTransport({ proxy: proxy.url, verify: certs.caPath });
    for (let i = 0; i < 3; i++) {
      await fetchText(transport, target.url);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(proxy.requests.filter((request) => request.method === "CONNECT")).toHaveLength(1);
  });

  it("raises ProxyError when the proxy refuses the tunnel", async () => {
    await using target = await origin(true);
    await using proxy = await startHttpProxy({ auth: ["user", "secret"] });
    await using transport = new UndiciTransport({ proxy: `http://user:wrong@127.0.0.1:${proxy.port}` });
    const failure = send(transport, "GET", target.url);
    await expect(failure).rejects.toThrow(ProxyError);
    await expect(failure).rejects.toThrow(/407/);
  });

  it("returns the proxy's 407 for a plain-HTTP request, as httpx does", async () => {
    await using target = await origin();
    await using proxy = await startHttpProxy({ auth: ["user", "secret"] });
    await using transport = new UndiciTransport({ proxy: proxy.url });
    expect((await fetchText(transport, target.url)).statusCode).toBe(407);
  });

  it("speaks TLS to an https:// proxy", async () => {
    await using target = await origin(true);
    await using plainTarget = await origin();
    await using proxy = await startHttpProxy({ tls: true });
    await using transport = new UndiciTransport({ proxy: proxy.url, verify: certs.caPath });
    expect(text(await fetchText(transport, `${target.url}/a`))).toBe("/a via=- auth=-");
    expect(text(await fetchText(transport, `${plainTarget.url}/b`))).toMatch(/^\/b via=1\.1 /);
    expect(proxy.requests.map((request) => request.method)).toEqual(["CONNECT", "GET"]);
  });

  it("raises ConnectError when the proxy cannot be reached", async () => {
    const port = await closedPort();
    await using transport = new UndiciTransport({ proxy: `http://127.0.0.1:${port}` });
    await expect(send(transport, "GET", "https://127.0.0.1:1/")).rejects.toThrow(ConnectError);
  });
});

describe("SOCKS proxies", () => {
  it("resolves the host locally with socks5://", async () => {
    // Listening on the name binds the address it resolves to first, the one the client's lookup picks too.
    await using target = await startHttpServer((req, res) => res.end(`${req.url} via=- auth=-`), {
      host: "localhost",
    });
    await using socks = await startSocks5Server();
    await using transport = new UndiciTransport({ proxy: socks.url });
    expect(text(await fetchText(transport, `${target.url}/five`))).toBe("/five via=- auth=-");
    expect(socks.destinations[0]).toMatch(new RegExp(`^(127\\.0\\.0\\.1|::1):${target.port}$`));
  });

  it("lets the proxy resolve the host with socks5h://", async () => {
    await using target = await origin();
    await using socks = await startSocks5Server();
    await using transport = new UndiciTransport({ proxy: socks.url.replace("socks5:", "socks5h:") });
    const url = target.url.replace("127.0.0.1", "localhost");
    expect(text(await fetchText(transport, url))).toMatch(/^\/ /);
    expect(socks.destinations).toEqual([`localhost:${target.port}`]);
  });

  it("authenticates to a SOCKS5 proxy and tunnels TLS through it", async () => {
    await using target = await origin(true);
    await using socks = await startSocks5Server({ auth: ["sock", "pw"] });
    const proxy = new ProxyConfig(socks.url, { auth: ["sock", "pw"] });
    await using transport = new UndiciTransport({ proxy, verify: certs.caPath });
    expect(text(await fetchText(transport, `${target.url}/tls`))).toBe("/tls via=- auth=-");
  });

  it("raises ProxyError when SOCKS5 authentication fails", async () => {
    await using target = await origin();
    await using socks = await startSocks5Server({ auth: ["sock", "pw"] });
    await using transport = new UndiciTransport({
      proxy: new ProxyConfig(socks.url, { auth: ["sock", "bad"] }),
    });
    await expect(send(transport, "GET", target.url)).rejects.toThrow(ProxyError);
  });

  it("connects through socks4://", async () => {
    await using target = await origin();
    await using socks = await startSocks4Server();
    await using transport = new UndiciTransport({ proxy: socks.url });
    expect(text(await fetchText(transport, `${target.url}/four`))).toBe("/four via=- auth=-");
    expect(socks.destinations).toEqual([`127.0.0.1:${target.port}`]);
  });

  it("lets the proxy resolve the host with socks4a://", async () => {
    await using target = await origin();
    await using socks = await startSocks4Server();
    await using transport = new UndiciTransport({ proxy: socks.url.replace("socks4:", "socks4a:") });
    const url = `http://localhost:${target.port}/four-a`;
    expect(text(await fetchText(transport, url))).toBe("/four-a via=- auth=-");
    expect(socks.destinations).toEqual([`localhost:${target.port}`]);
  });

  it("sends the proxy's user name as the SOCKS4 user id", async () => {
    await using target = await origin();
    await using socks = await startSocks4Server({ userId: "sock" });
    await using transport = new UndiciTransport({ proxy: socks.url.replace("socks4://", "socks4a://sock@") });
    expect(text(await fetchText(transport, `${target.url}/user`))).toBe("/user via=- auth=-");
  });

  it("refuses to send an IPv6 address to a socks4:// proxy, which carries IPv4 addresses only", async () => {
    await using socks = await startSocks4Server();
    await using transport = new UndiciTransport({ proxy: socks.url });
    const failure = send(transport, "GET", "http://[::1]:1/");
    await expect(failure).rejects.toThrow(ProxyError);
    await expect(failure).rejects.toThrow(/IPv4/);
    expect(socks.connections).toBe(0);
  });

  it.each([
    ["the destination cannot be reached", "socks4a", "", null],
    ["the destination cannot be reached", "socks4", "", null],
    ["the user id is not the one expected", "socks4a", "other@", "sock"],
    ["the user id is not the one expected", "socks4", "other@", "sock"],
  ] as const)(
    "raises ProxyError when a SOCKS4 proxy refuses because %s (%s://)",
    async (_why, scheme, user, userId) => {
      await using target = await origin();
      const port = userId === null ? await closedPort() : target.port;
      await using socks = await startSocks4Server(userId === null ? {} : { userId });
      await using transport = new UndiciTransport({
        proxy: socks.url.replace("socks4://", `${scheme}://${user}`),
      });
      const failure = send(transport, "GET", `http://localhost:${port}/`);
      await expect(failure).rejects.toThrow(ProxyError);
      await expect(failure).rejects.toThrow(/rejected/i);
    },
  );
});

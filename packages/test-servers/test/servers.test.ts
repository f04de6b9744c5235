import { request as httpRequest } from "node:http";
import { connect as http2Connect } from "node:http2";
import { request as httpsRequest } from "node:https";
import { connect as netConnect } from "node:net";
import { describe, expect, it } from "vitest";
import {
  certs,
  startHttp2Server,
  startHttpProxy,
  startHttpServer,
  startSocks4Server,
  startSocks5Server,
} from "../src/index.js";

function get(url: string, options: Record<string, unknown> = {}): Promise<{ status: number; body: string }> {
  const send = url.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { agent: false, ...options }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("test servers", () => {
  it("serves HTTP/1.1 on a loopback port and counts connections", async () => {
    await using server = await startHttpServer((_req, res) => res.end("plain"));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(server.url)).toEqual({ status: 200, body: "plain" });
    expect(server.connections).toBe(1);
  });

  it("serves HTTPS with a certificate the test CA signed", async () => {
    await using server = await startHttpServer((_req, res) => res.end("secure"), { tls: true });
    expect(await get(server.url, { ca: certs.ca })).toEqual({ status: 200, body: "secure" });
  });

  it("refuses a mutual-TLS connection without a client certificate", async () => {
    await using server = await startHttpServer((_req, res) => res.end("ok"), {
      tls: true,
      requireClientCert: true,
    });
    await expect(get(server.url, { ca: certs.ca })).rejects.toThrow();
    const withCert = { ca: certs.ca, cert: certs.clientCertPath, key: certs.clientKeyPath };
    const { readFileSync } = await import("node:fs");
    const options = { ...withCert, cert: readFileSync(withCert.cert), key: readFileSync(withCert.key) };
    expect(await get(server.url, options)).toEqual({ status: 200, body: "ok" });
  });

  it("serves HTTP/2 over TLS", async () => {
    await using server = await startHttp2Server((req, res) => res.end(`h${req.httpVersion}`));
    const session = http2Connect(server.url, { ca: certs.ca });
    const body = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ":path": "/" });
      let text = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        text += chunk;
      });
      stream.on("end", () => resolve(text));
      stream.on("error", reject);
    });
    session.close();
    expect(body).toBe("h2.0");
  });

  it("proxies absolute-form requests and records them", async () => {
    await using origin = await startHttpServer((req, res) => res.end(`via ${req.headers.via ?? "none"}`));
    await using proxy = await startHttpProxy();
    const response = await get(`${proxy.url}/`, { path: `${origin.url}/x` });
    expect(response.body).toMatch(/^via 1\.1 /);
    expect(proxy.requests.map((r) => [r.method, r.target])).toEqual([["GET", `${origin.url}/x`]]);
  });

  it("asks for proxy credentials when configured", async () => {
    await using proxy = await startHttpProxy({ auth: ["user", "pass"] });
    const response = await get(`${proxy.url}/`, { path: "http://127.0.0.1:1/" });
    expect(response.status).toBe(407);
  });

  it.each([
    ["SOCKS5", startSocks5Server, Buffer.from([5, 1, 0]), Buffer.from([5, 0])],
    ["SOCKS4", startSocks4Server, null, null],
  ] as const)("starts a %s server that tunnels to the origin", async (_name, start, greeting, answer) => {
    await using origin = await startHttpServer((_req, res) => res.end("tunnelled"));
    await using socks = await start();
    const socket = netConnect(socks.port, "127.0.0.1");
    const read = (): Promise<Buffer> => new Promise((resolve) => socket.once("data", resolve));
    const port = Buffer.alloc(2);
    port.writeUInt16BE(origin.port);
    if (greeting !== null) {
      socket.write(greeting);
      expect(await read()).toEqual(answer);
      socket.write(Buffer.concat([Buffer.from([5, 1, 0, 1, 127, 0, 0, 1]), port]));
      expect((await read())[1]).toBe(0);
    } else {
      socket.write(Buffer.concat([Buffer.from([4, 1]), port, Buffer.from([127, 0, 0, 1, 0])]));
      expect((await read())[1]).toBe(0x5a);
    }
    socket.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let text = "";
    for await (const chunk of socket) text += String(chunk);
    expect(text).toMatch(/tunnelled$/);
    expect(socks.destinations).toEqual([`127.0.0.1:${origin.port}`]);
  });
});

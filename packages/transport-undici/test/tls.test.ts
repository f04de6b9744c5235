import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectError, type TransportError } from "@ferry/core";
import { certs, startHttp2Server, startHttpServer } from "@ferry/test-servers";
import { afterEach, describe, expect, it } from "vitest";
import { type CertTypes, UndiciTransport, type UndiciTransportOptions } from "../src/index.js";
import { fetchText, send, text } from "./helpers.js";

const caDir = mkdtempSync(join(tmpdir(), "ferry-ca-"));
copyFileSync(certs.caPath, join(caDir, "ca.pem"));

afterEach(() => {
  delete process.env["SSL_CERT_FILE"];
  delete process.env["SSL_CERT_DIR"];
});

describe("TLS verification", () => {
  it("refuses a server whose CA is not trusted, with ConnectError", async () => {
    await using server = await startHttpServer((_req, res) => res.end("secret"), { tls: true });
    await using transport = new UndiciTransport();
    const error = await send(transport, "GET", server.url).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as TransportError).message).toMatch(/certificate/i);
  });

  it.each<[string, () => UndiciTransportOptions]>([
    ["a CA bundle path", () => ({ verify: certs.caPath })],
    ["a CA directory", () => ({ verify: caDir })],
    ["Node TLS options", () => ({ verify: { ca: certs.ca } })],
    ["verify: false", () => ({ verify: false })],
  ])("trusts the server with %s", async (_name, options) => {
    await using server = await startHttpServer((_req, res) => res.end("trusted"), { tls: true });
    await using transport = new UndiciTransport(options());
    expect(text(await fetchText(transport, server.url))).toBe("trusted");
  });

  it.each([
    ["SSL_CERT_FILE", certs.caPath],
    ["SSL_CERT_DIR", caDir],
  ])("reads %s when trustEnv is on, and ignores it when off", async (variable, value) => {
    await using server = await startHttpServer((_req, res) => res.end("env"), { tls: true });
    process.env[variable] = value;
    await using trusting = new UndiciTransport();
    expect(text(await fetchText(trusting, server.url))).toBe("env");
    await using ignoring = new UndiciTransport({ trustEnv: false });
    await expect(send(ignoring, "GET", server.url)).rejects.toThrow(ConnectError);
  });

  it("checks the host name against the certificate", async () => {
    await using server = await startHttpServer((_req, res) => res.end("named"), { tls: true });
    await using transport = new UndiciTransport({ verify: certs.caPath });
    const byName = server.url.replace("127.0.0.1", "localhost");
    expect(text(await fetchText(transport, byName))).toBe("named");
  });
});

describe("client certificates (mutual TLS)", () => {
  it.each<[string, CertTypes]>([
    ["one PEM file with certificate and key", certs.clientBundlePath],
    ["[certFile, keyFile]", [certs.clientCertPath, certs.clientKeyPath]],
    [
      "[certFile, keyFile, password]",
      [certs.clientCertPath, certs.clientKeyEncryptedPath, certs.clientKeyPassword],
    ],
  ])("presents %s", async (_name, cert) => {
    await using server = await startHttpServer(
      (req, res) => {
        const peer = (req.socket as import("node:tls").TLSSocket).getPeerCertificate();
        res.end(peer.subject.CN);
      },
      { tls: true, requireClientCert: true },
    );
    await using transport = new UndiciTransport({ verify: certs.caPath, cert });
    expect(text(await fetchText(transport, server.url))).toBe("ferry-client");
  });

  it("fails without a client certificate when the server requires one", async () => {
    await using server = await startHttpServer((_req, res) => res.end("never"), {
      tls: true,
      requireClientCert: true,
    });
    await using transport = new UndiciTransport({ verify: certs.caPath });
    await expect(fetchText(transport, server.url)).rejects.toThrow(/certificate|alert|socket|closed/i);
  });

  it("reports a wrong key password at construction, naming the option", () => {
    const cert = [certs.clientCertPath, certs.clientKeyEncryptedPath, "wrong"] as const;
    expect(() => new UndiciTransport({ verify: certs.caPath, cert })).toThrow(/^cert: /);
  });
});

describe("HTTP versions", () => {
  const h2Handler = (
    req: import("node:http2").Http2ServerRequest,
    res: import("node:http2").Http2ServerResponse,
  ) => {
    res.setHeader("set-cookie", ["a=1", "b=2"]);
    res.end(`HTTP/${req.httpVersion} ${req.headers["x-sent"] ?? ""}`);
  };

  it("negotiates HTTP/2 by ALPN with http2: true and reports it", async () => {
    await using server = await startHttp2Server(h2Handler);
    await using transport = new UndiciTransport({ verify: certs.caPath, http2: true });
    const response = await fetchText(transport, server.url, { headers: { "X-Sent": "yes" } });
    expect(response.httpVersion).toBe("HTTP/2");
    expect(response.extensions["http_version"]).toBe("HTTP/2");
    expect(text(response)).toBe("HTTP/2.0 yes");
    // Node's HTTP/2 joins other repeated fields with ", " before undici sees them; Set-Cookie stays apart.
    expect(response.headers.getList("set-cookie")).toEqual(["a=1", "b=2"]);
  });

  it("speaks HTTP/2 to an IPv6 origin", async () => {
    await using server = await startHttp2Server(h2Handler, { host: "::1" });
    await using transport = new UndiciTransport({ verify: certs.caPath, http2: true });
    expect(server.url).toMatch(/^https:\/\/\[::1\]:\d+$/);
    expect((await fetchText(transport, server.url)).httpVersion).toBe("HTTP/2");
  });

  it("multiplexes concurrent HTTP/2 requests over one connection", async () => {
    await using server = await startHttp2Server(h2Handler);
    await using transport = new UndiciTransport({ verify: certs.caPath, http2: true });
    // undici learns that an origin speaks HTTP/2 from its first connection: until then each request opens one.
    await fetchText(transport, server.url);
    const responses = await Promise.all(Array.from({ length: 8 }, () => fetchText(transport, server.url)));
    expect(responses.map((response) => response.httpVersion)).toEqual(Array(8).fill("HTTP/2"));
    expect(server.connections).toBe(1);
  });

  it("streams an HTTP/2 upload", async () => {
    await using server = await startHttp2Server(async (req, res) => {
      let size = 0;
      for await (const chunk of req) size += (chunk as Buffer).byteLength;
      res.end(String(size));
    });
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 16; i++) yield new Uint8Array(32 * 1024);
    }
    await using transport = new UndiciTransport({ verify: certs.caPath, http2: true });
    expect(text(await fetchText(transport, server.url, { content: body() }))).toBe(String(16 * 32 * 1024));
  });

  it.each<[string, UndiciTransportOptions, boolean, string]>([
    ["http2: true falls back to HTTP/1.1 when the server has no h2", { http2: true }, false, "HTTP/1.1"],
    ["http2: false speaks HTTP/1.1 to a server offering both", { http2: false }, true, "HTTP/1.1"],
    ["http1: false, http2: true speaks HTTP/2", { http1: false, http2: true }, true, "HTTP/2"],
  ])("%s", async (_name, options, serverHasH2, version) => {
    const handler = (_req: unknown, res: { end(text: string): void }) => res.end("ok");
    await using server = serverHasH2
      ? await startHttp2Server(handler, { allowHTTP1: true })
      : await startHttpServer(handler, { tls: true });
    await using transport = new UndiciTransport({ verify: certs.caPath, ...options });
    expect((await fetchText(transport, server.url)).httpVersion).toBe(version);
  });

  it("refuses an HTTP/1.1-only server with http1: false", async () => {
    await using server = await startHttpServer((_req, res) => res.end("old"), { tls: true });
    await using transport = new UndiciTransport({ verify: certs.caPath, http1: false, http2: true });
    await expect(send(transport, "GET", server.url)).rejects.toThrow(ConnectError);
  });

  it("speaks HTTP/2 with prior knowledge over cleartext when http1 is false", async () => {
    await using server = await startHttp2Server(h2Handler, { tls: false });
    await using transport = new UndiciTransport({ http1: false, http2: true });
    const response = await fetchText(transport, server.url);
    expect(response.httpVersion).toBe("HTTP/2");
    expect(text(response)).toBe("HTTP/2.0 ");
  });
});

process.on("exit", () => rmSync(caDir, { recursive: true, force: true }));

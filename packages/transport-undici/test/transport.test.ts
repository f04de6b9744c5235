import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectError, UnsupportedProtocol } from "@ferry/core";
import { certs, readRequestHead, startHttpServer, startRawServer } from "@ferry/test-servers";
import { describe, expect, it } from "vitest";
import { UndiciTransport } from "../src/index.js";
import { fetchText, readBody, send, text } from "./helpers.js";

describe("UndiciTransport over HTTP/1.1", () => {
  it("returns status, headers with repeats in order, the reason phrase and the HTTP version", async () => {
    await using server = await startRawServer((socket) => {
      void readRequestHead(socket).then(() => {
        socket.end(
          "HTTP/1.1 201 Nicely Made\r\nX-Tag: one\r\nContent-Length: 2\r\nx-tag: two\r\nSet-Cookie: a=1\r\n" +
            "Set-Cookie: b=2\r\n\r\nok",
        );
      });
    });
    await using transport = new UndiciTransport();
    const response = await fetchText(transport, `${server.url}/`);
    expect(response.statusCode).toBe(201);
    expect(response.headers.raw).toEqual([
      ["X-Tag", "one"],
      ["Content-Length", "2"],
      ["x-tag", "two"],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ]);
    expect(response.extensions).toMatchObject({ http_version: "HTTP/1.1", reason_phrase: "Nicely Made" });
    expect(response.httpVersion).toBe("HTTP/1.1");
    expect(response.reasonPhrase).toBe("Nicely Made");
    expect(text(response)).toBe("ok");
  });

  it("sends the method, the encoded path and query, and the headers as given, in order, repeats kept", async () => {
    await using server = await startHttpServer((req, res) => {
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.rawHeaders }));
    });
    await using transport = new UndiciTransport();
    const response = await fetchText(transport, `${server.url}/a%20b/c?x=1&y=%C3%A9`, {
      headers: [
        ["X-First", "1"],
        ["x-repeat", "a"],
        ["X-Other", "o"],
        ["X-Repeat", "b"],
      ],
    });
    const seen = JSON.parse(text(response)) as { method: string; url: string; headers: string[] };
    expect(seen.method).toBe("GET");
    expect(seen.url).toBe("/a%20b/c?x=1&y=%C3%A9");
    expect(seen.headers.slice(0, 2)).toEqual(["host", `127.0.0.1:${server.port}`]);
    const sent = seen.headers.slice(4);
    expect(sent).toEqual(["X-First", "1", "x-repeat", "a", "X-Other", "o", "X-Repeat", "b"]);
  });

  describe("the Host and Connection lines on the wire", () => {
    /** The head of each request `send` makes, as the server read it. */
    async function heads(
      send: (transport: UndiciTransport, url: string) => Promise<unknown>,
    ): Promise<string[]> {
      const seen: string[] = [];
      await using server = await startRawServer((socket) => {
        void readRequestHead(socket).then((head) => {
          seen.push(head);
          socket.end("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        });
      });
      await using transport = new UndiciTransport();
      await send(transport, server.url);
      return seen.map((head) => head.replaceAll(`:${server.port}`, ":PORT"));
    }

    it("sends the Client's default Host and Connection lines once each, as undici writes them", async () => {
      const [head] = await heads((transport, url) =>
        fetchText(transport, `${url}/x`, {
          headers: [
            ["Connection", "keep-alive"],
            ["Accept", "*/*"],
          ],
        }),
      );
      expect(head).toBe("GET /x HTTP/1.1\r\nhost: 127.0.0.1:PORT\r\nconnection: keep-alive\r\nAccept: */*");
    });

    it("sends a Host of the request's own in place of the origin's", async () => {
      const [head] = await heads((transport, url) =>
        fetchText(transport, `${url}/`, { headers: [["Host", "api.example"]] }),
      );
      expect(head).toBe("GET / HTTP/1.1\r\nhost: api.example\r\nconnection: keep-alive");
    });

    it("sends Connection: close when the request asks for it", async () => {
      const [head] = await heads((transport, url) =>
        fetchText(transport, `${url}/`, { headers: [["Connection", "close"]] }),
      );
      expect(head).toBe("GET / HTTP/1.1\r\nhost: 127.0.0.1:PORT\r\nconnection: close");
    });

    it("refuses a request with two Host lines, one of them the origin's", async () => {
      const attempt = heads((transport, url) =>
        send(transport, "GET", `${url}/`, {
          headers: [
            ["Host", new URL(url).host],
            ["Host", "other.example"],
          ],
        }),
      );
      await expect(attempt).rejects.toThrow(/host/i);
    });
  });

  it("decodes UTF-8 header values and keeps Latin-1 ones byte for byte", async () => {
    await using server = await startRawServer((socket) => {
      void readRequestHead(socket).then(() => {
        const head = Buffer.concat([
          Buffer.from("HTTP/1.1 200 OK\r\nX-Utf8: "),
          Buffer.from("café", "utf8"),
          Buffer.from("\r\nX-Latin1: "),
          Buffer.from("caf\xe9", "latin1"),
          Buffer.from("\r\nContent-Length: 0\r\n\r\n"),
        ]);
        socket.end(head);
      });
    });
    await using transport = new UndiciTransport();
    const response = await fetchText(transport, server.url);
    expect(response.headers.get("x-utf8")).toBe("café");
    expect(response.headers.get("x-latin1")).toBe("caf\xe9");
  });

  it("keeps apart names that look alike, and their casing, response after response", async () => {
    await using server = await startRawServer((socket) => {
      socket.on("data", () =>
        socket.write(
          "HTTP/1.1 200 OK\r\nX-Ab: 1\r\nX-Bb: 2\r\nx-ab: 3\r\nXYAb: 4\r\nContent-Length: 0\r\n\r\n",
        ),
      );
    });
    await using transport = new UndiciTransport();
    for (let i = 0; i < 3; i++) {
      const response = await fetchText(transport, server.url);
      expect(response.headers.raw).toEqual([
        ["X-Ab", "1"],
        ["X-Bb", "2"],
        ["x-ab", "3"],
        ["XYAb", "4"],
        ["Content-Length", "0"],
      ]);
    }
  });

  it("reads a header block that arrives in pieces, split inside names and values", async () => {
    const pieces = [
      "HTTP/1.1 200 OK\r\nX-Sp",
      "lit-Name: first half",
      " and second\r\nX-Plain: ",
      "whole\r\n",
    ];
    await using server = await startRawServer((socket) => {
      void readRequestHead(socket).then(async () => {
        for (const piece of pieces) {
          socket.write(piece);
          await new Promise((resolve) => setTimeout(resolve, 15));
        }
        socket.end("Content-Length: 2\r\n\r\nok");
      });
    });
    await using transport = new UndiciTransport();
    const response = await fetchText(transport, server.url);
    expect(response.headers.raw).toEqual([
      ["X-Split-Name", "first half and second"],
      ["X-Plain", "whole"],
      ["Content-Length", "2"],
    ]);
    expect(text(response)).toBe("ok");
  });

  it("reuses a kept-alive connection for sequential requests", async () => {
    await using server = await startHttpServer((_req, res) => res.end("again"));
    await using transport = new UndiciTransport();
    for (let i = 0; i < 3; i++) {
      expect(text(await fetchText(transport, server.url))).toBe("again");
      // undici hands a finished connection back to its pool one event-loop turn later.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.connections).toBe(1);
  });

  it("sends a body held in memory with its Content-Length", async () => {
    await using server = await startHttpServer(async (req, res) => {
      res.end(`${req.headers["content-length"]}:${await readBody(req)}`);
    });
    await using transport = new UndiciTransport();
    const response = await fetchText(transport, server.url, { content: "hello body" });
    expect(text(response)).toBe("10:hello body");
  });

  it("streams an upload chunk by chunk: each chunk reaches the server before the next is produced", async () => {
    let received: (() => void) | undefined;
    const arrivals: string[] = [];
    await using server = await startHttpServer(async (req, res) => {
      expect(req.headers["transfer-encoding"]).toBe("chunked");
      for await (const chunk of req) {
        arrivals.push(String(chunk));
        received?.();
      }
      res.end(arrivals.join("|"));
    });
    async function* body(): AsyncGenerator<Uint8Array> {
      for (const part of ["one", "two", "three"]) {
        const arrived = new Promise<void>((resolve) => {
          received = resolve;
        });
        yield new TextEncoder().encode(part);
        // Waiting for the server proves the transport does not buffer the body before sending it.
        await arrived;
      }
    }
    await using transport = new UndiciTransport();
    const response = await fetchText(transport, server.url, { content: body() });
    expect(text(response)).toBe("one|two|three");
  });

  it("streams a download: the first chunk is read before the server sends the rest", async () => {
    let sendRest: (() => void) | undefined;
    const rest = new Promise<void>((resolve) => {
      sendRest = resolve;
    });
    await using server = await startHttpServer(async (_req, res) => {
      res.write("first;");
      await rest;
      res.end("rest");
    });
    await using transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url);
    const chunks: string[] = [];
    for await (const chunk of response.iterBytes()) {
      chunks.push(new TextDecoder().decode(chunk));
      sendRest?.();
    }
    expect(chunks).toEqual(["first;", "rest"]);
  });

  it("streams in fixed-size chunks through iterBytes(1024)", async () => {
    const payload = Buffer.alloc(10_000, "x");
    await using server = await startHttpServer((_req, res) => res.end(payload));
    await using transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url);
    const sizes: number[] = [];
    for await (const chunk of response.iterBytes(1024)) sizes.push(chunk.byteLength);
    expect(sizes).toEqual([...Array(9).fill(1024), 784]);
  });

  it("closing a response mid-body closes its connection", async () => {
    await using server = await startHttpServer((_req, res) => {
      res.write("partial");
    });
    await using transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url);
    const iterator = response.iterBytes()[Symbol.asyncIterator]();
    expect(new TextDecoder().decode((await iterator.next()).value)).toBe("partial");
    expect(server.openConnections).toBe(1);
    await response.close();
    await expect.poll(() => server.openConnections).toBe(0);
  });

  it("answers HEAD without reading a body", async () => {
    // Node's server sends no body for HEAD, whatever the handler writes.
    await using server = await startHttpServer((_req, res) => {
      res.setHeader("Content-Length", "1000");
      res.end("x".repeat(1000));
    });
    await using transport = new UndiciTransport();
    const head = await send(transport, "HEAD", server.url);
    await head.read();
    expect(head.headers.get("content-length")).toBe("1000");
    expect(head.content.byteLength).toBe(0);
    expect(text(await fetchText(transport, server.url))).toHaveLength(1000);
  });

  it.each([
    ["ftp://example.com/", "Request URL has an unsupported protocol 'ftp://'."],
    ["ws://example.com/", "Request URL has an unsupported protocol 'ws://'."],
  ])("refuses %s with UnsupportedProtocol", async (url, message) => {
    await using transport = new UndiciTransport();
    const failure = send(transport, "GET", url);
    await expect(failure).rejects.toThrow(UnsupportedProtocol);
    await expect(failure).rejects.toThrow(message);
  });
});

describe("UndiciTransport connection options", () => {
  it("connects through a unix domain socket with uds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-uds-"));
    const path = join(dir, "server.sock");
    const server = createServer((req, res) => res.end(`uds ${req.headers.host}`));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await using transport = new UndiciTransport({ uds: path });
      const response = await fetchText(transport, "http://example.test/");
      expect(text(response)).toBe("uds example.test");
    } finally {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("connects from localAddress", async () => {
    await using server = await startHttpServer((req, res) => res.end(req.socket.remoteAddress));
    await using transport = new UndiciTransport({ localAddress: "127.0.0.2" });
    expect(text(await fetchText(transport, server.url))).toBe("127.0.0.2");
  });

  it("applies socketOptions to each connection", async () => {
    await using server = await startHttpServer((_req, res) => res.end("tuned"));
    await using transport = new UndiciTransport({
      socketOptions: { keepAlive: false, noDelay: false, family: 4 },
    });
    expect(text(await fetchText(transport, server.url))).toBe("tuned");
  });

  it("retries a connection that failed to open, and not more than asked", async () => {
    let attempts = 0;
    // Resets every connection before the TLS handshake completes: each attempt is a connect failure.
    await using server = await startRawServer((socket) => {
      attempts += 1;
      socket.resetAndDestroy();
    });
    await using transport = new UndiciTransport({ retries: 1 });
    const url = server.url.replace("http:", "https:");
    await expect(send(transport, "GET", url)).rejects.toThrow(/ECONNRESET|socket disconnected/);
    expect(attempts).toBe(2);
  });
});

describe("UndiciTransport connect retries", () => {
  it("succeeds when a retry connects, after the first attempt was reset during the TLS handshake", async () => {
    const https = createHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (_req, res) =>
      res.end("retried"),
    );
    let attempts = 0;
    await using server = await startRawServer((socket) => {
      attempts += 1;
      if (attempts === 1) socket.resetAndDestroy();
      else https.emit("connection", socket);
    });
    await using transport = new UndiciTransport({ retries: 2, verify: certs.caPath });
    const response = await fetchText(transport, server.url.replace("http:", "https:"));
    expect(text(response)).toBe("retried");
    expect(attempts).toBe(2);
  });

  it("does not retry by default", async () => {
    let attempts = 0;
    await using server = await startRawServer((socket) => {
      attempts += 1;
      socket.resetAndDestroy();
    });
    await using transport = new UndiciTransport();
    await expect(send(transport, "GET", server.url.replace("http:", "https:"))).rejects.toThrow(ConnectError);
    expect(attempts).toBe(1);
  });
});

describe("UndiciTransport.close()", () => {
  it("releases every connection and refuses later requests clearly", async () => {
    await using server = await startHttpServer((_req, res) => res.end("bye"));
    const transport = new UndiciTransport();
    await Promise.all([fetchText(transport, server.url), fetchText(transport, server.url)]);
    expect(server.openConnections).toBeGreaterThan(0);
    await transport.close();
    await expect.poll(() => server.openConnections).toBe(0);
    await expect(send(transport, "GET", server.url)).rejects.toThrow(
      "Cannot send a request, as the transport has been closed.",
    );
  });

  it("aborts a response still streaming when the transport closes", async () => {
    await using server = await startHttpServer((_req, res) => {
      res.write("never finished");
    });
    const transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url);
    await transport.close();
    await expect(response.read()).rejects.toThrow(/closed/);
    await expect.poll(() => server.openConnections).toBe(0);
  });
});

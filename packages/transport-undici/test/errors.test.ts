import type { Socket } from "node:net";
import {
  ConnectError,
  ConnectTimeout,
  LocalProtocolError,
  ProxyError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  Request,
  type TransportError,
  WriteError,
  WriteTimeout,
} from "@ferry/core";
import { readRequestHead, startHttpServer, startRawServer } from "@ferry/test-servers";
import { errors } from "undici";
import { describe, expect, it } from "vitest";
import { ProxyHandshakeError } from "../src/connector.js";
import { type Phase, toFerryError, UndiciTransport } from "../src/index.js";
import { closedPort, send } from "./helpers.js";

type ErrorClass = abstract new (...args: never[]) => TransportError;

/** Asserts that `promise` rejects with `Class`, carrying the request and an underlying cause. */
async function expectFailure(
  promise: Promise<unknown>,
  Class: ErrorClass,
  request?: Request,
): Promise<Error> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(Class);
  const failure = error as TransportError;
  expect(failure.hasRequest).toBe(true);
  if (request !== undefined) expect(failure.request).toBe(request);
  return failure;
}

/** A raw server answering every request with `respond` once its head has arrived. */
function answering(respond: (socket: Socket) => void): Promise<Awaited<ReturnType<typeof startRawServer>>> {
  return startRawServer((socket) => {
    void readRequestHead(socket).then(() => respond(socket));
  });
}

describe("network failures", () => {
  it("raises ConnectError with the request and the cause when the connection is refused", async () => {
    const port = await closedPort();
    await using transport = new UndiciTransport();
    const request = new Request("GET", `http://127.0.0.1:${port}/`);
    const error = await expectFailure(transport.handleRequest(request), ConnectError, request);
    expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it.each([
    ["closes without answering", (socket: Socket) => socket.end()],
    ["sends a malformed status line", (socket: Socket) => socket.end("HTTP/1.1 OK-ish\r\n\r\n")],
    ["sends a header without a colon", (socket: Socket) => socket.end("HTTP/1.1 200 OK\r\nBroken\r\n\r\n")],
    ["sends garbage", (socket: Socket) => socket.end("\x00\x01\x02 not http\r\n\r\n")],
  ])("raises RemoteProtocolError when the server %s", async (_what, respond) => {
    await using server = await answering(respond);
    await using transport = new UndiciTransport();
    await expectFailure(send(transport, "GET", server.url), RemoteProtocolError);
  });

  it("raises RemoteProtocolError when the body is shorter than its Content-Length", async () => {
    await using server = await answering((socket) => {
      socket.end("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
    });
    await using transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url);
    await expectFailure(response.read(), RemoteProtocolError);
  });

  it("raises RemoteProtocolError when a chunked body ends early", async () => {
    await using server = await answering((socket) => {
      socket.end("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    });
    await using transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url);
    await expectFailure(response.read(), RemoteProtocolError);
  });

  it("raises ReadError when the connection is reset mid-body", async () => {
    await using server = await answering((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial", () => {
        setTimeout(() => socket.resetAndDestroy(), 20);
      });
    });
    await using transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url);
    const error = await expectFailure(response.read(), ReadError);
    expect((error.cause as { code?: string }).code).toBe("ECONNRESET");
  });

  it("raises LocalProtocolError for a request undici cannot send as given", async () => {
    await using server = await startHttpServer((_req, res) => res.end());
    await using transport = new UndiciTransport();
    const failure = send(transport, "POST", server.url, {
      content: "x",
      headers: { Expect: "100-continue" },
    });
    await expectFailure(failure, LocalProtocolError);
  });
});

describe("timeouts by phase", () => {
  it("raises ConnectTimeout when the TLS handshake stalls", async () => {
    await using server = await startRawServer(() => {});
    await using transport = new UndiciTransport();
    const url = server.url.replace("http:", "https:");
    const started = performance.now();
    await expectFailure(send(transport, "GET", url, { timeout: { connect: 100 } }), ConnectTimeout);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("raises ReadTimeout when the response headers do not come", async () => {
    await using server = await answering(() => {});
    await using transport = new UndiciTransport();
    await expectFailure(send(transport, "GET", server.url, { timeout: { read: 100 } }), ReadTimeout);
  });

  it("raises ReadTimeout when the body stalls between chunks", async () => {
    await using server = await answering((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst part");
    });
    await using transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url, { timeout: { read: 100 } });
    await expectFailure(response.read(), ReadTimeout);
  });

  it("raises WriteTimeout when the server stops reading an upload", async () => {
    await using server = await startRawServer((socket) => socket.pause());
    async function* endless(): AsyncGenerator<Uint8Array> {
      const chunk = new Uint8Array(64 * 1024);
      // Bounded: loopback buffers fill long before 256 MiB.
      for (let i = 0; i < 4096; i++) yield chunk;
    }
    await using transport = new UndiciTransport();
    const failure = send(transport, "POST", server.url, {
      content: endless(),
      timeout: { write: 150, read: null },
    });
    await expectFailure(failure, WriteTimeout);
  });

  it("raises WriteTimeout for a large in-memory body the server does not read", async () => {
    await using server = await startRawServer((socket) => socket.pause());
    await using transport = new UndiciTransport();
    const content = new Uint8Array(64 * 1024 * 1024);
    const failure = send(transport, "PUT", server.url, { content, timeout: { write: 150, read: null } });
    await expectFailure(failure, WriteTimeout);
  });

  it("does not time out a slow producer: only the socket refusing data counts as a write stall", async () => {
    await using server = await startHttpServer(async (req, res) => {
      let size = 0;
      for await (const chunk of req) size += (chunk as Buffer).byteLength;
      res.end(String(size));
    });
    async function* slow(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        yield new Uint8Array(10);
      }
    }
    await using transport = new UndiciTransport();
    const response = await send(transport, "POST", server.url, { content: slow(), timeout: { write: 150 } });
    await response.read();
    expect(new TextDecoder().decode(response.content)).toBe("30");
  });
});

describe("toFerryError", () => {
  const request = new Request("GET", "https://example.com/");
  const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
  const eof = new errors.SocketError("other side closed");

  it.each<[string, unknown, Phase, ErrorClass]>([
    ["connect timeout", new errors.ConnectTimeoutError(), "connect", ConnectTimeout],
    ["headers timeout", new errors.HeadersTimeoutError(), "read", ReadTimeout],
    ["body timeout", new errors.BodyTimeoutError(), "read", ReadTimeout],
    ["reset while connecting", reset, "connect", ConnectError],
    ["reset while sending", reset, "write", WriteError],
    ["reset while receiving", reset, "read", ReadError],
    ["early close while receiving", eof, "read", RemoteProtocolError],
    ["content-length mismatch", new errors.ResponseContentLengthMismatchError(), "read", RemoteProtocolError],
    [
      "parser error",
      Object.assign(new errors.HTTPParserError("bad"), { code: "HPE_INVALID_STATUS" }),
      "read",
      RemoteProtocolError,
    ],
    ["invalid argument", new errors.InvalidArgumentError("invalid header"), "connect", LocalProtocolError],
    ["not supported", new errors.NotSupportedError("expect"), "connect", LocalProtocolError],
    ["proxy handshake", new ProxyHandshakeError("407 Proxy Authentication Required"), "connect", ProxyError],
    ["closed transport", new errors.ClientDestroyedError(), "read", ReadError],
  ])("maps %s", (_name, error, phase, Class) => {
    const mapped = toFerryError(error, request, phase);
    expect(mapped).toBeInstanceOf(Class);
    expect(mapped.request).toBe(request);
    expect(mapped.cause).toBe(error);
  });

  it("passes Ferry errors through, attaching the request when missing", () => {
    const original = new ReadTimeout("already mapped");
    expect(toFerryError(original, request)).toBe(original);
    expect(original.request).toBe(request);
  });
});

import {
  ConnectError,
  ConnectTimeout,
  LocalProtocolError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  Request,
  type TransportError,
} from "@ferry/core";
import { readRequestHead, startHttpServer, startRawServer } from "@ferry/test-servers";
import { FetchTransport } from "@ferry/transport-fetch";
import { describe, expect, it } from "vitest";
import { readText } from "./helpers.js";

const transport = new FetchTransport();

type ErrorClass = abstract new (...args: never[]) => TransportError;

describe("FetchTransport maps Node's fetch errors", () => {
  it("raises ConnectError with fetch's TypeError as cause when the connection is refused", async () => {
    const server = await startRawServer(() => {});
    const url = server.url;
    await server.close();
    const request = new Request("GET", url);
    const error = await transport.handleRequest(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).request).toBe(request);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/ECONNREFUSED|refused/);
  });

  it("raises RemoteProtocolError when the server closes without a response", async () => {
    await using server = await startRawServer(async (socket) => {
      await readRequestHead(socket);
      socket.end();
    });
    await expect(transport.handleRequest(new Request("GET", server.url))).rejects.toThrow(
      RemoteProtocolError,
    );
  });

  it("raises RemoteProtocolError for a response that is not HTTP", async () => {
    await using server = await startRawServer(async (socket) => {
      await readRequestHead(socket);
      socket.end("this is not http\r\n\r\n");
    });
    await expect(transport.handleRequest(new Request("GET", server.url))).rejects.toThrow(
      RemoteProtocolError,
    );
  });

  it("raises a network error while reading a body the server cuts short", async () => {
    await using server = await startRawServer(async (socket) => {
      await readRequestHead(socket);
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part");
      setTimeout(() => socket.destroy(), 20);
    });
    const response = await transport.handleRequest(new Request("GET", server.url));
    const error = await readText(response.stream as AsyncIterable<Uint8Array>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteProtocolError);
    expect((error as Error).cause).toBeDefined();
  });

  it("passes a successful exchange after a failed one on the same transport", async () => {
    await using server = await startHttpServer((_req, res) => res.end("fine"));
    const response = await transport.handleRequest(new Request("GET", server.url));
    expect(await readText(response.stream as AsyncIterable<Uint8Array>)).toBe("fine");
  });
});

function withCause(message: string, cause: unknown): Error {
  return Object.assign(new TypeError(message), { cause });
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

const rows: ReadonlyArray<readonly [string, unknown, ErrorClass]> = [
  [
    "undici refused",
    withCause("fetch failed", withCode("connect ECONNREFUSED", "ECONNREFUSED")),
    ConnectError,
  ],
  [
    "undici DNS failure",
    withCause("fetch failed", withCode("getaddrinfo ENOTFOUND x", "ENOTFOUND")),
    ConnectError,
  ],
  [
    "undici connect timeout",
    withCause("fetch failed", withCode("Connect Timeout", "UND_ERR_CONNECT_TIMEOUT")),
    ConnectTimeout,
  ],
  [
    "undici headers timeout",
    withCause("fetch failed", withCode("Headers Timeout", "UND_ERR_HEADERS_TIMEOUT")),
    ReadTimeout,
  ],
  [
    "undici socket closed",
    withCause("fetch failed", withCode("other side closed", "UND_ERR_SOCKET")),
    RemoteProtocolError,
  ],
  [
    "undici parser error",
    withCause("fetch failed", withCode("Response does not match", "HPE_INVALID_CONSTANT")),
    RemoteProtocolError,
  ],
  [
    "undici length mismatch",
    withCause("fetch failed", withCode("mismatch", "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH")),
    LocalProtocolError,
  ],
  [
    "a certificate error",
    withCause("fetch failed", withCode("self-signed", "DEPTH_ZERO_SELF_SIGNED_CERT")),
    ConnectError,
  ],
  [
    "Deno refused",
    new TypeError(
      "error sending request for url (http://x/): client error (Connect): tcp connect error: Connection refused (os error 111)",
    ),
    ConnectError,
  ],
  [
    "Deno early close",
    new TypeError("error sending request for url (http://x/): connection closed before message completed"),
    RemoteProtocolError,
  ],
  [
    "Bun refused",
    withCode("Unable to connect. Is the computer able to access the url?", "ConnectionRefused"),
    ConnectError,
  ],
  [
    "Bun socket closed",
    withCode("The socket connection was closed unexpectedly.", "ConnectionClosed"),
    RemoteProtocolError,
  ],
  ["a browser's bare TypeError", new TypeError("Failed to fetch"), ConnectError],
  ["workerd's lost connection", new TypeError("Network connection lost."), ConnectError],
];

describe("FetchTransport maps each runtime's errors", () => {
  it.each(rows)("%s", async (_name, thrown, expected) => {
    const failing = new FetchTransport({ fetch: () => Promise.reject(thrown) });
    const request = new Request("GET", "http://127.0.0.1:9/");
    const error = await failing.handleRequest(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(expected);
    expect((error as Error).cause).toBe(thrown);
    expect((error as TransportError).request).toBe(request);
  });

  it("maps an unrecognised failure while reading the body to ReadError", async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new TypeError("something odd"));
      },
    });
    const failing = new FetchTransport({ fetch: async () => new globalThis.Response(body) });
    const response = await failing.handleRequest(new Request("GET", "http://127.0.0.1:9/"));
    await expect(readText(response.stream as AsyncIterable<Uint8Array>)).rejects.toThrow(ReadError);
  });
});

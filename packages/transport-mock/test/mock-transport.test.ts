import { Client, ConnectError, Request, Response } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

const encoder = new TextEncoder();

async function* chunks(): AsyncGenerator<Uint8Array> {
  yield encoder.encode("streamed ");
  yield encoder.encode("body");
}

describe("MockTransport", () => {
  it("answers with a sync handler", async () => {
    const transport = new MockTransport((request) => new Response(200, { text: request.url.path }));
    const response = await transport.handleRequest(new Request("GET", "https://example.org/a"));
    expect(response.text).toBe("/a");
  });

  it("answers with an async handler", async () => {
    const transport = new MockTransport(async () => new Response(201));
    expect((await transport.handleRequest(new Request("GET", "https://example.org/"))).statusCode).toBe(201);
  });

  it("reads a streaming request body before the handler runs", async () => {
    const transport = new MockTransport((request) => new Response(200, { content: request.content }));
    const response = await transport.handleRequest(
      new Request("POST", "https://example.org/", { content: chunks() }),
    );
    expect(response.text).toBe("streamed body");
  });

  it("passes the handler's error on as it is", async () => {
    const error = new ConnectError("refused");
    const transport = new MockTransport(() => {
      throw error;
    });
    await expect(transport.handleRequest(new Request("GET", "https://example.org/"))).rejects.toBe(error);
    const client = new Client({ transport });
    await expect(client.get("https://example.org/")).rejects.toBe(error);
  });

  it("answers synchronously with handleRequestSync", () => {
    const transport = new MockTransport((request) => new Response(200, { content: request.content }));
    const response = transport.handleRequestSync(
      new Request("POST", "https://example.org/", { content: "sync" }),
    );
    expect(response.text).toBe("sync");
  });

  it("refuses an async handler in handleRequestSync", () => {
    const transport = new MockTransport(async () => new Response(200));
    expect(() => transport.handleRequestSync(new Request("GET", "https://example.org/"))).toThrow(
      /handler returned a Promise: a SyncClient needs a handler that returns the Response directly/,
    );
  });

  it("refuses a body that can only be read asynchronously in handleRequestSync", () => {
    const transport = new MockTransport(() => new Response(200));
    const request = new Request("POST", "https://example.org/", { content: chunks() });
    expect(() => transport.handleRequestSync(request)).toThrow(TypeError);
  });

  it("needs a handler function", () => {
    expect(() => new MockTransport("nope" as never)).toThrow(
      "MockTransport needs a handler function, got string.",
    );
  });

  it("closes without error", async () => {
    await new MockTransport(() => new Response(200)).close();
  });
});

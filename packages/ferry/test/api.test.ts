import * as core from "@ferry/core";
import { Response, runtime, type TransportFactoryOptions } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as ferry from "../src/index.js";

const encoder = new TextEncoder();

describe("ferry's exports", () => {
  it("re-exports every public name of @ferry/core", () => {
    const exported = ferry as Record<string, unknown>;
    for (const [name, value] of Object.entries(core)) expect(exported[name], name).toBe(value);
  });
});

describe("top-level functions", () => {
  const saved = runtime.transportFactory;
  let built: TransportFactoryOptions[];
  let closed: number;

  beforeEach(() => {
    built = [];
    closed = 0;
    runtime.transportFactory = (options) => {
      built.push(options);
      const transport = new MockTransport((request) => {
        if (request.url.path === "/stream") {
          async function* body(): AsyncGenerator<Uint8Array> {
            yield encoder.encode("streamed");
          }
          return new Response(200, { content: body() });
        }
        return new Response(200, {
          json: {
            method: request.method,
            url: String(request.url),
            auth: request.headers.get("authorization") ?? null,
            body: new TextDecoder().decode(request.content),
            timeout: request.extensions["timeout"],
          },
        });
      });
      transport.close = async () => {
        closed += 1;
      };
      return transport;
    };
  });
  afterEach(() => {
    runtime.transportFactory = saved;
  });

  it.each([
    ["get", ferry.get, "GET"],
    ["head", ferry.head, "HEAD"],
    ["options", ferry.options, "OPTIONS"],
    ["delete", ferry.delete, "DELETE"],
    ["post", ferry.post, "POST"],
    ["put", ferry.put, "PUT"],
    ["patch", ferry.patch, "PATCH"],
  ] as const)("%s sends its method with a client closed afterwards", async (_, send, method) => {
    const response = await send("https://example.org/");
    expect(response.request.method).toBe(method);
    expect(closed).toBe(1);
  });

  it("request() takes the request's and the client's options", async () => {
    const response = await ferry.request("POST", "https://example.org/", {
      json: { a: 1 },
      params: { q: "x" },
      auth: ["user", "pass"],
      timeout: 1000,
      verify: false,
      trustEnv: false,
    });
    expect(response.json()).toEqual({
      method: "POST",
      url: "https://example.org/?q=x",
      auth: "Basic dXNlcjpwYXNz",
      body: '{"a":1}',
      timeout: { connect: 1000, read: 1000, write: 1000, pool: 1000 },
    });
    expect(built[0]).toMatchObject({ verify: false, trustEnv: false });
  });

  it("closes the client when the request fails", async () => {
    await expect(ferry.get("ftp://example.org/")).rejects.toThrow(core.UnsupportedProtocol);
    expect(closed).toBe(1);
  });

  it("stream() with a callback closes the response and the client", async () => {
    let seen: Response | undefined;
    const text = await ferry.stream("GET", "https://example.org/stream", async (response) => {
      seen = response;
      expect(closed).toBe(0);
      await response.read();
      return response.text;
    });
    expect(text).toBe("streamed");
    expect(seen?.isClosed).toBe(true);
    expect(closed).toBe(1);
  });

  it("stream() without a callback closes the client with the response", async () => {
    {
      await using response = await ferry.stream("GET", "https://example.org/stream");
      expect(closed).toBe(0);
      expect(response.isStreamConsumed).toBe(false);
    }
    expect(closed).toBe(1);
  });

  it("stream() closes the client once the streamed body is read", async () => {
    const response = await ferry.stream("GET", "https://example.org/stream", { trustEnv: false });
    await response.read();
    expect(response.text).toBe("streamed");
    expect(closed).toBe(1);
  });

  it("stream() closes the client at once for a body that was in memory", async () => {
    const response = await ferry.stream("GET", "https://example.org/json");
    expect(closed).toBe(1);
    expect(response.json()).toMatchObject({ method: "GET" });
  });
});

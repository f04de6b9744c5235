/**
 * What only the async `Client` does: async request bodies, hooks, auth flows and `stream()` callbacks,
 * `await using`, and concurrent requests. Everything a SyncClient does as well is in `behaviours/`.
 */
import { Auth, Client, HTTPStatusError, type Request, Response } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";
import { type Echo, echo } from "./behaviours/harness.js";
import { hookApp, requestHeaders } from "./behaviours/hooks.js";

const URL_ = "https://example.org/";
const encoder = new TextEncoder();

/** `texts` as UTF-8 chunks from an async generator, which only the async Client can send. */
async function* asyncChunks(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const text of texts) yield encoder.encode(text);
}

describe("async auth flows", () => {
  it("runs an async generator flow", async () => {
    class TokenAuth extends Auth {
      override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
        const token = await Promise.resolve("fresh");
        request.headers.set("Authorization", `Bearer ${token}`);
        const response = yield request;
        if (response.statusCode === 401) {
          request.headers.set("Authorization", "Bearer renewed");
          yield request;
        }
      }
    }
    let calls = 0;
    const transport = new MockTransport((request) => {
      calls += 1;
      const auth = request.headers.get("Authorization");
      return new Response(calls === 1 ? 401 : 200, { json: { auth } });
    });
    const response = await new Client({ transport }).get(URL_, { auth: new TokenAuth() });
    expect(response.json()).toEqual({ auth: "Bearer renewed" });
    expect(response.history.map((r) => r.statusCode)).toEqual([401]);
  });

  it("reads an async iterable request body before a flow that requires it", async () => {
    class BodySigningAuth extends Auth {
      override requiresRequestBody = true;

      override *authFlow(request: Request): Generator<Request, void, Response> {
        request.headers.set("Authorization", `Signed ${new TextDecoder().decode(request.content)}`);
        yield request;
      }
    }
    const transport = new MockTransport(
      (request) => new Response(200, { json: { auth: request.headers.get("Authorization") ?? null } }),
    );
    const response = await new Client({ transport }).post(URL_, {
      content: asyncChunks("pay", "load"),
      auth: new BodySigningAuth(),
    });
    expect(response.json()).toEqual({ auth: "Signed payload" });
  });
});

describe("async event hooks", () => {
  /** Async hooks that record each request's and response's headers after a tick. */
  function recorder() {
    const events: [string, Record<string, string>][] = [];
    const record = async (event: string, headers: Iterable<[string, string]>) => {
      await Promise.resolve();
      events.push([event, Object.fromEntries(headers)]);
    };
    const eventHooks = {
      request: [(request: Request) => record("request", request.headers)],
      response: [(response: Response) => record("response", response.headers)],
    };
    return { events, eventHooks };
  }

  it("awaits async request and response hooks", async () => {
    const { events, eventHooks } = recorder();
    const client = new Client({ eventHooks, transport: new MockTransport(hookApp) });
    await client.get("http://127.0.0.1:8000/", { auth: ["username", "password"] });
    expect(events).toEqual([
      ["request", requestHeaders()],
      [
        "response",
        { server: "testserver", "content-length": "4", "content-type": "text/plain; charset=utf-8" },
      ],
    ]);
  });

  it("awaits async hooks for every redirect hop", async () => {
    const { events, eventHooks } = recorder();
    const client = new Client({ eventHooks, transport: new MockTransport(hookApp), followRedirects: true });
    await client.get("http://127.0.0.1:8000/redirect", { auth: ["username", "password"] });
    expect(events.map(([event, headers]) => [event, headers["location"] ?? headers["host"]])).toEqual([
      ["request", "127.0.0.1:8000"],
      ["response", "/"],
      ["request", "127.0.0.1:8000"],
      ["response", undefined],
    ]);
    expect(events[2]?.[1]).toEqual(requestHeaders());
  });

  it("propagates an error of an async response hook and closes the response", async () => {
    let seen: Response | undefined;
    const raise = async (response: Response) => {
      seen = response;
      response.raiseForStatus();
    };
    const client = new Client({ eventHooks: { response: [raise] }, transport: new MockTransport(hookApp) });
    const error = await client.get("http://127.0.0.1:8000/status/400").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).response).toBe(seen);
    expect(seen?.isClosed).toBe(true);
  });
});

describe("async request bodies", () => {
  it("streams an async iterable request body, chunked", async () => {
    const client = new Client({ transport: new MockTransport(echo) });
    const sent = (await client.put(URL_, { content: asyncChunks("Hello, ", "world!") })).json<Echo>();
    expect(sent.body).toBe("Hello, world!");
    expect(sent.headers).toContainEqual(["Transfer-Encoding", "chunked"]);
  });
});

describe("stream() and await using", () => {
  const streaming = () =>
    new Client({
      transport: new MockTransport(() => new Response(200, { content: asyncChunks("Hello, ", "world!") })),
    });

  it("returns a streaming response for await using", async () => {
    let seen: Response;
    {
      await using response = await streaming().stream("GET", URL_);
      seen = response;
      expect(response.isStreamConsumed).toBe(false);
      const chunks: string[] = [];
      for await (const chunk of response.iterText()) chunks.push(chunk);
      expect(chunks.join("")).toBe("Hello, world!");
    }
    expect(seen.isClosed).toBe(true);
  });

  it("closes the response left unread at the end of await using", async () => {
    let seen: Response | undefined;
    {
      await using response = await streaming().stream("GET", URL_);
      seen = response;
    }
    expect(seen.isClosed).toBe(true);
    expect(seen.isStreamConsumed).toBe(false);
  });

  it("awaits an async stream() callback, closes the response, and returns the callback's result", async () => {
    let seen: Response | undefined;
    const result = await streaming().stream("GET", URL_, async (response) => {
      seen = response;
      await Promise.resolve();
      expect(response.isClosed).toBe(false);
      return response.statusCode;
    });
    expect(result).toBe(200);
    expect(seen?.isClosed).toBe(true);
  });
});

describe("async client lifetime", () => {
  it("closes with await using", async () => {
    let closed = 0;
    const transport = new MockTransport(() => new Response(200, { text: "Hello, world!" }));
    transport.close = async () => {
      closed += 1;
    };
    let outer: Client;
    {
      await using client = new Client({ transport });
      outer = client;
      await client.get(URL_);
    }
    expect(outer.isClosed).toBe(true);
    expect(closed).toBe(1);
  });

  it("sends concurrent requests", async () => {
    const client = new Client({ transport: new MockTransport(echo) });
    const urls = Array.from({ length: 10 }, (_, i) => `http://example.org/${i}`);
    const responses = await Promise.all(urls.map((url) => client.get(url)));
    expect(responses.map((response) => response.request.url.path)).toEqual(
      urls.map((url) => new globalThis.URL(url).pathname),
    );
  });
});

describe("errors before sending", () => {
  const transport = new MockTransport(() => new Response(200));

  it.each<[string, (client: Client) => Promise<unknown>, RegExp]>([
    ["an unknown option", (client) => client.get(URL_, { param: 1 } as never), /unknown option "param"/],
    [
      "extensions that are not an object",
      (client) => client.get(URL_, { extensions: "x" as never }),
      /extensions must be an object, got string/,
    ],
    ["an invalid URL", (client) => client.post("http://[::1"), /Invalid|URL/],
    [
      "an unknown send option",
      (client) => client.send(client.buildRequest("GET", URL_), { follow: 1 } as never),
      /unknown option "follow"/,
    ],
  ])("come back as a rejected promise, never a throw: %s", async (_what, call, message) => {
    const client = new Client({ transport });
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = call(client);
    }).not.toThrow();
    await expect(result).rejects.toThrow(message);
  });
});

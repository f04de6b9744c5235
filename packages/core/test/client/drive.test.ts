import {
  Auth,
  BaseTransport,
  DigestAuth,
  type Request,
  Response,
  TooManyRedirects,
  type URL,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";
import { BaseClient } from "../../src/client/base-client.js";
import { runAsync, runSync } from "../../src/client/drive.js";
import type { Flow } from "../../src/client/effects.js";
import type { BodilessRequestOptions, SendOptions } from "../../src/client/types.js";

/** The smallest blocking client: the shared pipeline run by the sync driver. */
class SyncHarness extends BaseClient {
  send(request: Request, options: SendOptions = {}): Response {
    return runSync(this.sendFlow(request, options));
  }

  get(url: string | URL, options: BodilessRequestOptions = {}): Response {
    const { auth, followRedirects, ...build } = options;
    return this.send(this.buildRequest("GET", url, build), { auth, followRedirects });
  }
}

function redirecting(request: Request): Response {
  if (request.url.path === "/start") {
    return new Response(302, { headers: { location: "/end", "set-cookie": "hop=1" } });
  }
  return new Response(200, {
    json: {
      auth: request.headers.get("authorization") ?? null,
      cookie: request.headers.get("cookie") ?? null,
    },
  });
}

describe("the sync driver", () => {
  it("sends through a synchronous MockTransport handler", () => {
    const client = new SyncHarness({ transport: new MockTransport(redirecting) });
    const response = client.get("https://example.org/end", { auth: ["user", "pass"] });
    expect(response.json()).toEqual({ auth: "Basic dXNlcjpwYXNz", cookie: null });
    expect(response.elapsed).toBeGreaterThanOrEqual(0);
  });

  it("follows redirects, storing each hop's cookies, and runs sync hooks", () => {
    const seen: string[] = [];
    const client = new SyncHarness({
      transport: new MockTransport(redirecting),
      followRedirects: true,
      eventHooks: {
        request: [(request) => seen.push(`→ ${request.url.path}`)],
        response: [(response) => seen.push(`← ${response.statusCode}`)],
      },
    });
    const response = client.get("https://example.org/start");
    expect(response.json()).toEqual({ auth: null, cookie: "hop=1" });
    expect(response.history.map((r) => r.statusCode)).toEqual([302]);
    expect(seen).toEqual(["→ /start", "← 302", "→ /end", "← 200"]);
  });

  it("raises TooManyRedirects", () => {
    const loop = new MockTransport(() => new Response(302, { headers: { location: "/" } }));
    const client = new SyncHarness({ transport: loop, followRedirects: true, maxRedirects: 3 });
    expect(() => client.get("https://example.org/")).toThrow(TooManyRedirects);
  });

  it("runs a sync Digest auth flow", () => {
    let attempts = 0;
    const transport = new MockTransport((request) => {
      attempts += 1;
      if (!request.headers.has("authorization")) {
        return new Response(401, {
          headers: { "www-authenticate": 'Digest realm="r", nonce="abc", qop="auth", algorithm=MD5' },
        });
      }
      return new Response(200, { text: "ok" });
    });
    const response = new SyncHarness({ transport }).get("https://example.org/", {
      auth: new DigestAuth("user", "pass"),
    });
    expect([response.text, attempts, response.history.length]).toEqual(["ok", 2, 1]);
  });

  it.each([
    [
      "an async event hook",
      { eventHooks: { request: [async () => {}] } },
      "A request event hook returned a Promise, which a SyncClient cannot wait for",
    ],
    [
      "an async response hook",
      { eventHooks: { response: [async () => {}] } },
      "A response event hook returned a Promise",
    ],
  ])("raises a clear error for %s", (_, options, message) => {
    const client = new SyncHarness({ transport: new MockTransport(redirecting), ...options });
    expect(() => client.get("https://example.org/end")).toThrow(message);
  });

  it("raises a clear error for an async auth flow", () => {
    class AsyncAuth extends Auth {
      override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
        yield request;
      }
    }
    const client = new SyncHarness({ transport: new MockTransport(redirecting) });
    expect(() => client.get("https://example.org/end", { auth: new AsyncAuth() })).toThrow(
      /The auth flow returned a Promise.*function\* generator/,
    );
  });

  it("raises a clear error for an async MockTransport handler", () => {
    const client = new SyncHarness({ transport: new MockTransport(async () => new Response(200)) });
    expect(() => client.get("https://example.org/")).toThrow(/MockTransport handler returned a Promise/);
  });

  it("raises a clear error for a transport that cannot send synchronously", () => {
    class AsyncOnly extends BaseTransport {
      async handleRequest(): Promise<Response> {
        return new Response(200);
      }
    }
    const client = new SyncHarness({ transport: new AsyncOnly() });
    expect(() => client.get("https://example.org/")).toThrow(
      "AsyncOnly cannot send requests synchronously: a SyncClient needs a transport with a handleRequestSync() method.",
    );
  });

  it("closes the response when a hook fails", () => {
    let seen: Response | undefined;
    const client = new SyncHarness({
      transport: new MockTransport(redirecting),
      eventHooks: {
        response: [
          (response) => {
            seen = response;
            throw new Error("hook failed");
          },
        ],
      },
    });
    expect(() => client.get("https://example.org/end")).toThrow("hook failed");
    expect(seen?.isClosed).toBe(true);
  });
});

describe("the drivers", () => {
  function* flow(): Flow<string> {
    try {
      yield { type: "call", fn: () => Promise.reject(new Error("inner")), what: "a step" };
    } catch (error) {
      return `caught ${(error as Error).message}`;
    }
    return "not reached";
  }

  it("throw a failed effect back into the flow at its yield (async)", async () => {
    expect(await runAsync(flow())).toBe("caught inner");
  });

  it("throw a failed effect back into the flow at its yield (sync)", () => {
    function* syncFlow(): Flow<string> {
      try {
        yield {
          type: "call",
          fn: () => {
            throw new Error("inner");
          },
          what: "a step",
        };
      } catch (error) {
        return `caught ${(error as Error).message}`;
      }
      return "not reached";
    }
    expect(runSync(syncFlow())).toBe("caught inner");
  });

  it("resume the flow with each effect's result", async () => {
    function* adding(): Flow<number> {
      const a = (yield { type: "call", fn: () => 1, what: "one" }) as number;
      const b = (yield { type: "call", fn: async () => 2, what: "two" }) as number;
      return a + b;
    }
    expect(await runAsync(adding())).toBe(3);
  });
});

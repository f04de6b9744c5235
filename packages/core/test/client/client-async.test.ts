/**
 * What only the async `Client` does: async request bodies, hooks, auth flows and `stream()` callbacks,
 * `await using`, and concurrent requests. Everything a SyncClient does as well is in `behaviours/`.
 */
import { Auth, Client, type Request, Response } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

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

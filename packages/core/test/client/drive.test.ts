import { BaseTransport, type Request, Response, type URL } from "@ferry/core";
import { describe, expect, it } from "vitest";
import { BaseClient } from "../../src/client/base-client.js";
import { runAsync, runSync } from "../../src/client/drive.js";
import type { Flow } from "../../src/client/effects.js";
import { send } from "../../src/client/pipeline.js";
import type { BodilessRequestOptions, SendOptions } from "../../src/client/types.js";

/** The smallest blocking client: the shared pipeline run by the sync driver. */
class SyncHarness extends BaseClient {
  send(request: Request, options: SendOptions = {}): Response {
    return runSync(send(this.pipeline, request, this.sendPolicy(request, options)));
  }

  get(url: string | URL, options: BodilessRequestOptions = {}): Response {
    const { auth, followRedirects, ...build } = options;
    return this.send(this.buildRequest("GET", url, build), { auth, followRedirects });
  }
}

describe("the sync driver", () => {
  // A SyncClient refuses such a transport when it is built; the driver checks again when it sends.
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

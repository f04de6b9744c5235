/**
 * Cases for `close()`: it releases every connection, and a request after it fails clearly.
 *
 * @module
 */
import { createServer } from "node:http";
import { check, show, within } from "../failure.js";
import { type ConformanceCase, pause, rawChunks } from "../harness.js";
import { listen } from "../server.js";

const releases: ConformanceCase = {
  name: "close: close() releases every connection, idle or in use",
  rule: "close",
  needs: ["network", "closeConnections"],
  async run(env) {
    // A server of its own, so that no other case's connections are counted.
    const server = await listen(
      createServer((req, res) => {
        if (req.url === "/stall") res.writeHead(200, { "content-length": "100" }).write("partial");
        else res.end("done");
      }),
    );
    env.defer(() => server.close());
    for (let i = 0; i < 3; i++) {
      for await (const _ of rawChunks(await env.send(env.request("GET", `${server.url}/`))));
    }
    await env.send(env.request("GET", `${server.url}/stall`));
    check(server.openConnections > 0, "close", () => "the transport kept no connection open to close.");
    await within(env.transport.close(), 3000, "close", "close() did not return");
    const deadline = performance.now() + 2000;
    while (server.openConnections > 0 && performance.now() < deadline) await pause(20);
    check(server.openConnections === 0, "close", () => {
      return `${server.openConnections} connection(s) were still open 2 s after close().`;
    });
  },
};

const afterClose: ConformanceCase = {
  name: "close: a request after close() fails clearly",
  rule: "close",
  needs: ["closedRejects"],
  async run(env) {
    const route = env.server.route((_req, res) => {
      res.end("should not be reached");
    });
    await within(env.transport.close(), 3000, "close", "close() did not return");
    const outcome = await within(
      env.send(env.request("GET", route.url)).then(
        () => "response" as const,
        (e: unknown) => e,
      ),
      3000,
      "close",
      "a request after close() neither failed nor finished",
    );
    check(outcome !== "response", "close", () => "a request after close() was sent and answered.");
    check(outcome instanceof Error && /clos/i.test(outcome.message), "close", () => {
      return `a request after close() must fail with an error saying the transport is closed, got ${show(outcome)}.`;
    });
  },
};

/** The cases about closing a transport. */
export const lifecycleCases: readonly ConformanceCase[] = [releases, afterClose];

/**
 * The runtime matrix: the shared scenario (runtimes/scenario.ts) run by the same Ferry code in Node 20, 22 and 24,
 * Deno, Bun, workerd and headless Chromium, each against the local servers started here. Every runtime must pass
 * every check with the transport `ferry` picks for it; a runtime that cannot start fails with its reason.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./bundle.js";
import { BINARIES, BROWSER_PAGES, runBun, runChromium, runDeno, runNode, runWorkerd } from "./drivers.js";
import { CHECKS, type ScenarioReport } from "./scenario.js";
import { type MatrixServer, startMatrixServer } from "./servers.js";

let server: MatrixServer;

beforeAll(async () => {
  // Installs the runtimes once into .cache/runtimes; with them cached this returns at once.
  await promisify(execFile)("bash", [join(ROOT, "runtimes/install.sh")], { timeout: 600_000 });
  server = await startMatrixServer(BROWSER_PAGES);
}, 600_000);

afterAll(async () => {
  await server?.close();
});

type Run = (origin: string, pageOrigin: string) => Promise<ScenarioReport>;

const matrix: ReadonlyArray<readonly [string, Run, string, RegExp]> = [
  ["Node 20 (the machine's)", (origin) => runNode(BINARIES.node20, origin), "UndiciTransport", /^node 20\./],
  ["Node 22", (origin) => runNode(BINARIES.node22, origin), "UndiciTransport", /^node 22\./],
  ["Node 24", (origin) => runNode(BINARIES.node24, origin), "UndiciTransport", /^node 24\./],
  ["Deno", (origin) => runDeno(origin), "FetchTransport", /^deno /],
  ["Bun", (origin) => runBun(origin), "FetchTransport", /^bun /],
  ["workerd", (origin) => runWorkerd(origin), "FetchTransport", /^workerd$/],
  [
    "Chromium (headless)",
    (origin, pageOrigin) => runChromium(origin, pageOrigin),
    "FetchTransport",
    /^browser .*HeadlessChrome/,
  ],
];

describe("the same Ferry code in every runtime", () => {
  it.each(matrix)("passes in %s", async (_name, run, transport, runtime) => {
    const report = await run(server.origin, server.pageOrigin);
    expect(report.runtime).toMatch(runtime);
    expect(report.failed).toEqual([]);
    expect(report.passed).toEqual(CHECKS);
    expect(report.transport).toBe(transport);
  });
});

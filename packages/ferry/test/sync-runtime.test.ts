import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { DEFAULT_LIMITS, SyncClient, type TransportFactoryOptions } from "@ferry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../src/node.js";
import { setWorkerScript, workerTransportFactory } from "../src/sync/factory.js";
import type { SyncScriptInput } from "./fixtures/sync-script.js";
import { bundleSyncModules, type ServerThread, startServerThread } from "./sync-helpers.js";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
let outdir: string;
let http: ServerThread;

beforeAll(async () => {
  outdir = await bundleSyncModules();
  http = await startServerThread("http");
});

afterAll(async () => {
  await http?.close();
});

const workerUrl = () => pathToFileURL(join(outdir, "worker.mjs"));

describe("where a SyncClient runs", () => {
  it("lets the process exit with a client left open", async () => {
    const input: SyncScriptInput = { url: `${http.url}/bytes/3`, worker: workerUrl().href };
    const { stdout } = await run(process.execPath, [join(outdir, "script.mjs"), JSON.stringify(input)], {
      timeout: 10_000,
    });
    expect(JSON.parse(stdout)).toEqual({ status: 200, text: "aaa", inWorker: false });
  });

  it("works inside a worker thread", async () => {
    const workerData: SyncScriptInput = { url: `${http.url}/bytes/2`, worker: workerUrl().href };
    const worker = new Worker(pathToFileURL(join(outdir, "script.mjs")), { workerData });
    const result = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    expect(result).toEqual({ status: 200, text: "aa", inWorker: true });
  });

  // The built package: run `pnpm build` (as `pnpm test` does) first.
  const built =
    existsSync(join(packageDir, "dist/node.cjs")) && existsSync(join(packageDir, "dist/sync/worker.js"));
  const report = (entry: string) =>
    `const response = new SyncClient().get(process.env.URL);
    console.log(JSON.stringify({ entry: ${entry}, status: response.statusCode, text: response.text }));`;
  const cjs = `const { SyncClient } = require("ferry"); ${report('require.resolve("ferry")')}`;
  const esm = `import { SyncClient } from "ferry"; ${report('import.meta.resolve("ferry")')}`;
  it.runIf(built).each([
    ["CommonJS on Node 20.18 (no require(esm))", ["--no-experimental-require-module", "-e", cjs], "node.cjs"],
    ["CommonJS with require(esm)", ["-e", cjs], "node.js"],
    ["an ES module", ["--input-type=module", "-e", esm], "node.js"],
  ])("works from %s, with the built package", async (_, args, entry) => {
    const env = { ...process.env, URL: `${http.url}/bytes/4` };
    const { stdout } = await run(process.execPath, args, { cwd: packageDir, env, timeout: 10_000 });
    const result = JSON.parse(stdout) as { entry: string; status: number; text: string };
    expect(result).toMatchObject({ status: 200, text: "aaaa" });
    expect(result.entry.endsWith(`dist/${entry}`)).toBe(true);
  });
});

describe("a SyncClient's worker thread", () => {
  const network: TransportFactoryOptions = {
    verify: true,
    cert: null,
    http1: true,
    http2: false,
    limits: DEFAULT_LIMITS,
    proxy: null,
    trustEnv: false,
  };

  it("is shared by a client's transports, and ends with the last of them", () => {
    const create = workerTransportFactory();
    const [first, second] = [create(network), create(network)];
    const request = () => new SyncClient({ transport: second }).buildRequest("GET", `${http.url}/bytes/1`);
    expect(first.handleRequestSync(request()).readSync().byteLength).toBe(1);
    first.closeSync?.();
    expect(second.handleRequestSync(request()).readSync().byteLength).toBe(1);
    second.closeSync?.();
    expect(() => second.handleRequestSync(request())).toThrow(/transport has been closed/);
  });

  it("fails the responses still streaming when the client closes", () => {
    const client = new SyncClient({ baseUrl: http.url });
    const response = client.stream("GET", "/endless");
    const lines = response.iterLinesSync()[Symbol.iterator]();
    expect(lines.next().value).toBe("line 0");
    client.close();
    expect(() => {
      for (;;) if (lines.next().done) break;
    }).toThrow(/SyncClient was closed while a response was being read/);
  });

  it("reports a worker module that cannot load, instead of waiting for it", () => {
    setWorkerScript(pathToFileURL(join(outdir, "missing.mjs")));
    try {
      using client = new SyncClient();
      expect(() => client.get(`${http.url}/bytes/1`)).toThrow(/Cannot find module/);
    } finally {
      setWorkerScript(workerUrl());
    }
  });

  it("refuses bad network options when the client is built, as a Client does", () => {
    expect(() => new SyncClient({ verify: "/no/such/ca.pem" })).toThrow(/cannot read the CA bundle/);
  });

  it("refuses network options that cannot reach another thread", () => {
    const verify = { checkServerIdentity: () => undefined };
    expect(() => new SyncClient({ verify })).toThrow(/must be plain data/);
  });
});

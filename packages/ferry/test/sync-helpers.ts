/**
 * Helpers of the SyncClient tests: the worker thread's modules and the loopback servers' thread are bundled from
 * the TypeScript sources with esbuild (a worker thread runs JavaScript, and the tests run the sources), and the
 * servers run on their own thread because a SyncClient blocks the test's.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { certs } from "@ferry/test-servers";
import { build } from "esbuild";
import { setWorkerScript } from "../src/sync/factory.js";
import type { ServerThreadData } from "./fixtures/server-thread.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

let bundled: Promise<string> | undefined;

/** Bundles the worker and server modules once per test file, and makes SyncClients use the bundled worker. */
export function bundleSyncModules(): Promise<string> {
  bundled ??= (async () => {
    const outdir = await mkdtemp(join(tmpdir(), "ferry-sync-"));
    await build({
      entryPoints: {
        worker: here("../src/sync/worker.ts"),
        server: here("./fixtures/server-thread.ts"),
        script: here("./fixtures/sync-script.ts"),
        "dying-worker": here("./fixtures/dying-worker.ts"),
        "dying-script": here("./fixtures/dying-script.ts"),
      },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outdir,
      outExtension: { ".js": ".mjs" },
      tsconfig: here("../tsconfig.json"),
      // Bundled CommonJS dependencies (undici) require Node's built-in modules.
      banner: {
        js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
      },
      // The sources are not the paths package.json's `sideEffects` lists: keep their registrations.
      ignoreAnnotations: true,
      logLevel: "error",
    });
    setWorkerScript(pathToFileURL(join(outdir, "worker.mjs")));
    return outdir;
  })();
  return bundled;
}

/** A server on its own thread. */
export interface ServerThread {
  /** `http://127.0.0.1:<port>` (`https://` for TLS kinds). */
  readonly url: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a loopback server on a thread of its own: `http`, `https` and `h2` (HTTP/2 over TLS) serve the routes of
 * fixtures/server-thread.ts with the test certificates; `raw` accepts connections and never answers; `proxy` is a
 * forwarding HTTP proxy wanting the credentials `user:pass`.
 */
export async function startServerThread(kind: ServerThreadData["kind"]): Promise<ServerThread> {
  const outdir = await bundleSyncModules();
  const workerData: ServerThreadData = { kind, cert: certs.serverCert, key: certs.serverKey };
  const worker = new Worker(pathToFileURL(join(outdir, "server.mjs")), { workerData });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", (message: { port: number }) => resolve(message.port));
    worker.once("error", reject);
  });
  const scheme = kind === "http" || kind === "raw" || kind === "proxy" ? "http" : "https";
  const close = async () => {
    await worker.terminate();
  };
  return { url: `${scheme}://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
}

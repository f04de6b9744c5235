/**
 * Runs the bundled scenario in each runtime of the matrix and returns its report. A runtime that cannot start, or
 * that ends without a report, fails with the reason (its exit status and the end of its output), never skipped.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { BUILD_DIR, bundle, ROOT, TARGETS } from "./bundle.js";
import type { ScenarioReport } from "./scenario.js";

const RUNTIMES = join(ROOT, ".cache/runtimes/node_modules");

/** Where each runtime's binary is, once `runtimes/install.sh` has run. */
export const BINARIES = {
  node20: process.execPath,
  node22: join(RUNTIMES, "node22/bin/node"),
  node24: join(RUNTIMES, "node24/bin/node"),
  deno: join(RUNTIMES, "@deno/linux-x64-glibc/deno"),
  bun: join(RUNTIMES, "@oven/bun-linux-x64/bin/bun"),
  workerd: join(RUNTIMES, "@cloudflare/workerd-linux-64/bin/workerd"),
  chromium: "/usr/bin/chromium",
} as const;

/** Chromium's flags for a quiet headless run in a container. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const RUN_LIMIT_MS = 90_000;
const REPORT_PREFIX = "FERRY_REPORT ";

interface Output {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess, limitMs: number): Promise<Output> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

function failure(what: string, output: Output): Error {
  const tail = (text: string): string => text.trim().split("\n").slice(-25).join("\n");
  return new Error(
    `${what} ended without a report (status ${output.status}, signal ${output.signal}).\n` +
      `stderr:\n${tail(output.stderr)}\nstdout:\n${tail(output.stdout)}`,
  );
}

async function runCommand(what: string, command: string, args: readonly string[]): Promise<ScenarioReport> {
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  const output = await collect(child, RUN_LIMIT_MS);
  const line = output.stdout.split("\n").find((text) => text.startsWith(REPORT_PREFIX));
  if (line === undefined || output.status !== 0) throw failure(what, output);
  return JSON.parse(line.slice(REPORT_PREFIX.length)) as ScenarioReport;
}

/** Runs the scenario in a Node binary (the `node` export condition: UndiciTransport). */
export async function runNode(binary: string, origin: string): Promise<ScenarioReport> {
  const script = await bundle(TARGETS.node);
  return runCommand(`node (${binary})`, binary, [script, origin]);
}

/** Runs the scenario in Deno, allowed to reach the network, the environment and files only. */
export async function runDeno(origin: string): Promise<ScenarioReport> {
  const script = await bundle(TARGETS.deno);
  return runCommand("deno", BINARIES.deno, [
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    script,
    origin,
  ]);
}

/** Runs the scenario in Bun. */
export async function runBun(origin: string): Promise<ScenarioReport> {
  const script = await bundle(TARGETS.bun);
  return runCommand("bun", BINARIES.bun, ["run", script, origin]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

function workerdConfig(port: number, script: string): string {
  // `globalOutbound` is a network service that allows "local", so the worker can reach the loopback server.
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "${script}") ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
);
`;
}

async function waitForWorker(url: string, child: ChildProcess, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !exited()) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill("SIGKILL");
}

/** Runs the scenario in workerd: a worker bundled with esbuild, called once over HTTP. */
export async function runWorkerd(origin: string): Promise<ScenarioReport> {
  const script = await bundle(TARGETS.workerd);
  const port = await freePort();
  const config = join(BUILD_DIR, "workerd.capnp");
  await writeFile(config, workerdConfig(port, script.slice(BUILD_DIR.length + 1)));
  const child = spawn(BINARIES.workerd, ["serve", config], { stdio: ["ignore", "pipe", "pipe"] });
  let exited = false;
  const output = collect(child, RUN_LIMIT_MS);
  void output.finally(() => {
    exited = true;
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForWorker(`${base}/`, child, () => exited);
    if (exited) throw failure("workerd", await output);
    const response = await fetch(`${base}/?origin=${encodeURIComponent(origin)}`);
    if (!response.ok) throw new Error(`workerd answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as ScenarioReport;
  } catch (error) {
    if (!exited) child.kill("SIGKILL");
    const out = await output;
    throw new Error(
      `${error instanceof Error ? error.message : error}\nworkerd stderr:\n${out.stderr.slice(-3000)}`,
    );
  } finally {
    if (!exited) child.kill("SIGTERM");
    await output.catch(() => undefined);
  }
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>["newPage"]>>;

/**
 * A 401 with a Basic or Digest challenge makes Chromium prompt the user, even for `fetch`, and headless it waits
 * forever. The driver answers each prompt as a user pressing "Cancel" would: the page's script then sees the 401,
 * and Ferry's own DigestAuth answers it.
 */
async function dismissAuthPrompts(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const ignore = (): void => {};
  cdp.on("Fetch.requestPaused", ({ requestId }) => {
    cdp.send("Fetch.continueRequest", { requestId }).catch(ignore);
  });
  cdp.on("Fetch.authRequired", ({ requestId }) => {
    const authChallengeResponse = { response: "CancelAuth" as const };
    cdp.send("Fetch.continueWithAuth", { requestId, authChallengeResponse }).catch(ignore);
  });
  await cdp.send("Fetch.enable", { handleAuthRequests: true, patterns: [{ urlPattern: "*/api/*" }] });
}

/** The page and script the matrix server serves to the browser. */
export const BROWSER_PAGES: Readonly<Record<string, string>> = {
  "/page/": join(ROOT, "runtimes/entries/index.html"),
  "/page/scenario.js": join(BUILD_DIR, TARGETS.browser.outfile),
};

/** Runs the scenario in headless Chromium, in a page served by the matrix server (see {@link BROWSER_PAGES}). */
export async function runChromium(origin: string, pageOrigin: string): Promise<ScenarioReport> {
  await bundle(TARGETS.browser);
  const browser = await chromium.launch({
    executablePath: BINARIES.chromium,
    args: CHROMIUM_FLAGS,
    timeout: 30_000,
  });
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (error) => errors.push(String(error)));
    await dismissAuthPrompts(page);
    await page.goto(`${pageOrigin}/page/`);
    await page.waitForFunction(() => "runFerryScenario" in globalThis, undefined, { timeout: 20_000 });
    return await page.evaluate(
      (base) =>
        (
          globalThis as unknown as { runFerryScenario(origin: string): Promise<ScenarioReport> }
        ).runFerryScenario(base),
      origin,
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : error}\npage errors: ${errors.join("\n")}`);
  } finally {
    await browser.close();
  }
}

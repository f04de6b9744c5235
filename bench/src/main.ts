/**
 * `pnpm bench`: Ferry against undici, Node's fetch, axios, got, ky and node-fetch, on a server in its own process.
 * Prints the tables and writes them into BENCHMARKS.md (between its results markers, keeping the analysis).
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { CLIENTS } from "./clients/index.js";
import { runColdStart } from "./cold-start.js";
import { runDownloads } from "./download-runner.js";
import { describeEnvironment } from "./environment.js";
import { type BenchOptions, parseOptions, USAGE } from "./options.js";
import { certPath, rootPath } from "./paths.js";
import { runRateScenario } from "./rate-runner.js";
import { type Results, renderReport, type ScenarioResult } from "./report.js";
import { RATE_SCENARIOS } from "./scenarios.js";
import { startServer } from "./server-process.js";
import { runSyncScenario, SYNC_SCENARIO } from "./sync-runner.js";

const START = "<!-- results:start -->";
const END = "<!-- results:end -->";
const COLD_START_MODULES = ["ferry", "undici", "axios", "got", "ky", "node-fetch"];

function wanted(options: BenchOptions, id: string): boolean {
  return options.only === null || options.only.includes(id);
}

function describeSettings(options: BenchOptions): string {
  return [
    `${options.rounds} interleaved rounds of ${options.durationMs} ms per client after a ${options.warmupMs} ms warm-up`,
    "medians shown, spread is half the range between rounds",
    `download ${options.downloadMiB} MiB × ${options.downloadRounds}`,
    `cold start median of ${options.coldStartRuns}`,
    options.quick ? "--quick" : "",
  ]
    .filter(Boolean)
    .join("; ");
}

const SECTION = `## Speed\n\nThe last run of \`pnpm bench\`, written by it between the markers below.\n\n${START}\n${END}\n`;

/**
 * Replaces the results between the markers of BENCHMARKS.md, leaving the rest of the file (the analysis, other
 * sections) as it is; a file without the markers gets the section first.
 */
function writeReport(markdown: string): void {
  const path = rootPath("BENCHMARKS.md");
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    // No file yet: it is written below.
  }
  if (!text.includes(START) || !text.includes(END)) {
    const body = text.startsWith("# ") ? text.slice(text.indexOf("\n") + 1).trimStart() : text;
    text = `# Benchmarks\n\n${SECTION}${body === "" ? "" : `\n${body}`}`;
  }
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  writeFileSync(path, `${text.slice(0, start + START.length)}\n${markdown}${text.slice(end)}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const specs = CLIENTS.filter((spec) => options.clients?.includes(spec.name) ?? true);
  const ca = readFileSync(certPath("ca.pem"), "utf8");
  const server = await startServer();
  const rates: ScenarioResult[] = [];
  let downloads: Results["downloads"] = null;
  try {
    for (const scenario of RATE_SCENARIOS.filter((candidate) => wanted(options, candidate.id))) {
      const settings = {
        rounds: options.rounds,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        ca,
      };
      rates.push({ scenario, cells: await runRateScenario(scenario, specs, server, settings) });
    }
    if (wanted(options, SYNC_SCENARIO.id)) {
      const settings = {
        rounds: options.rounds,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        ca,
      };
      const keep = (spec: { name: string }) => options.clients?.includes(spec.name) ?? true;
      const cells = await runSyncScenario(server, settings, keep);
      if (cells.length > 0) rates.push({ scenario: SYNC_SCENARIO, cells, reference: "ferry SyncClient" });
    }
    if (wanted(options, "download")) {
      const bytes = options.downloadMiB * (1 << 20);
      const cells = await runDownloads(specs, server.http, bytes, options.downloadRounds);
      downloads = { bytes, rounds: options.downloadRounds, cells };
    }
  } finally {
    server.stop();
  }
  const modules = COLD_START_MODULES.filter((name) => specs.some((spec) => spec.name.startsWith(name)));
  const coldStart = wanted(options, "cold-start") ? runColdStart(modules, options.coldStartRuns) : null;
  const environment = describeEnvironment();
  const markdown = renderReport({
    environment,
    settings: describeSettings(options),
    rates,
    downloads,
    coldStart,
  });
  process.stdout.write(`\n${markdown}`);
  if (options.write) {
    writeReport(markdown);
    process.stdout.write("\nWritten to BENCHMARKS.md.\n");
  }
}

await main();

/**
 * Renders the results as Markdown tables, printed to the terminal and written into BENCHMARKS.md.
 *
 * @module
 */
import { BASELINE } from "./clients/index.js";
import type { ColdStartCell } from "./cold-start.js";
import type { DownloadCell } from "./download-runner.js";
import type { Environment } from "./environment.js";
import type { RateCell } from "./rate-runner.js";

/** What the report needs to know of a scenario. */
export interface ReportedScenario {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly concurrency: readonly number[];
}

/** The cells of one scenario, and the client the others are compared with (Ferry over undici by default). */
export interface ScenarioResult {
  readonly scenario: ReportedScenario;
  readonly cells: readonly RateCell[];
  readonly reference?: string;
}

/** Everything one run measured. */
export interface Results {
  readonly environment: Environment;
  readonly settings: string;
  readonly rates: readonly ScenarioResult[];
  readonly downloads: { bytes: number; rounds: number; cells: readonly DownloadCell[] } | null;
  readonly coldStart: readonly ColdStartCell[] | null;
}

const FERRY = "ferry (undici)";
const FERRY_FETCH = "ferry (fetch)";
const NODE_FETCH = "node fetch (global)";

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(" | ")} |`;
  const rule = `| ${widths.map((width, column) => (column === 0 ? "-".repeat(width) : `${"-".repeat(width - 1)}:`)).join(" | ")} |`;
  return [line(head), rule, ...rows.map(line)].join("\n");
}

function number(value: number): string {
  if (!Number.isFinite(value)) return "—";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "—";
}

function spread(cell: RateCell): string {
  if (cell.error !== undefined) return "failed";
  const half = (Math.max(...cell.rates) - Math.min(...cell.rates)) / 2;
  return `±${Math.round((half / cell.rate) * 100)}%`;
}

function rateOf(cells: readonly RateCell[], client: string, concurrency: number): number {
  return cells.find((cell) => cell.client === client && cell.concurrency === concurrency)?.rate ?? Number.NaN;
}

function rateTable({ scenario, cells, reference = FERRY }: ScenarioResult): string {
  const levels = scenario.concurrency;
  const clients = [...new Set(cells.map((cell) => cell.client))];
  const head = ["client"];
  for (const level of levels) head.push(`c=${level} ${scenario.unit}`, "spread", `${reference} ÷ this`);
  head.push(`server CPU (c=${levels.at(-1)})`);
  const rows = clients.map((client) => {
    const row = [client];
    for (const level of levels) {
      const cell = cells.find((candidate) => candidate.client === client && candidate.concurrency === level)!;
      row.push(number(cell.rate), spread(cell), ratio(rateOf(cells, reference, level) / cell.rate));
    }
    const last = cells.find((cell) => cell.client === client && cell.concurrency === levels.at(-1))!;
    row.push(`${Math.round(last.serverCpu * 100)}%`);
    return row;
  });
  const failures = cells
    .filter((cell) => cell.error !== undefined)
    .map((cell) => `\n- ${cell.client} failed at c=${cell.concurrency}: ${cell.error}`);
  return `### ${scenario.title}\n\n${table(head, rows)}${failures.length > 0 ? `\n${failures.join("")}` : ""}`;
}

function summary(results: Results): string {
  const rows: string[][] = [];
  for (const { scenario, cells, reference } of results.rates) {
    if (reference !== undefined) continue;
    for (const level of scenario.concurrency) {
      const target = scenario.id === "small-get" && level === 16 ? 0.95 : 0.9;
      const versusUndici = rateOf(cells, FERRY, level) / rateOf(cells, BASELINE, level);
      const best = Math.max(...["axios", "got"].map((name) => rateOf(cells, name, level)));
      rows.push([
        `${scenario.title}, c=${level}`,
        ratio(versusUndici),
        `${target.toFixed(2)}× ${versusUndici >= target ? "met" : "missed"}`,
        ratio(rateOf(cells, FERRY, level) / best),
        ratio(rateOf(cells, FERRY_FETCH, level) / rateOf(cells, NODE_FETCH, level)),
      ]);
    }
  }
  if (results.downloads) {
    const cells = results.downloads.cells;
    const of = (name: string) => cells.find((cell) => cell.client === name);
    const ferry = of(FERRY);
    const undici = of(BASELINE);
    if (ferry && undici) {
      const peak = ferry.peakRss / (1 << 20);
      rows.push([
        `${results.downloads.bytes >> 20} MiB streamed download`,
        ratio(ferry.mibPerSecond / undici.mibPerSecond),
        `0.90× ${ferry.mibPerSecond / undici.mibPerSecond >= 0.9 ? "met" : "missed"}; peak RSS ${peak.toFixed(0)} MiB`,
        "",
        "",
      ]);
    }
  }
  const head = [
    "scenario",
    "Ferry ÷ undici request",
    "target",
    "Ferry ÷ best of axios/got",
    "Ferry (fetch) ÷ node fetch",
  ];
  return table(head, rows);
}

function downloadTable(downloads: NonNullable<Results["downloads"]>): string {
  const ferry = downloads.cells.find((cell) => cell.client === FERRY);
  const rows = downloads.cells.map((cell) => [
    cell.client,
    number(cell.mibPerSecond),
    ferry ? ratio(ferry.mibPerSecond / cell.mibPerSecond) : "—",
    (cell.peakRss / (1 << 20)).toFixed(0),
    (cell.rssGrowth / (1 << 20)).toFixed(0),
  ]);
  const head = ["client", "MiB/s", "Ferry ÷ this", "peak RSS (MiB)", "RSS growth during download (MiB)"];
  const title = `### GET ${downloads.bytes >> 20} MiB, streamed (HTTP/1.1, one client per process, ${downloads.rounds} run${downloads.rounds === 1 ? "" : "s"} each)`;
  return `${title}\n\n${table(head, rows)}`;
}

function coldStartTable(cells: readonly ColdStartCell[]): string {
  const rows = cells.map((cell) => [cell.module, cell.ms.toFixed(1), cell.overNode.toFixed(1)]);
  return `### Cold start: \`node -e 'import "<module>"'\`\n\n${table(["import", "wall ms", "over Node alone"], rows)}`;
}

function header(environment: Environment, settings: string): string {
  const versions = environment.versions.map(([name, version]) => `${name} ${version}`).join(", ");
  return [
    `Run ${environment.date} at commit ${environment.commit}.`,
    "",
    `- Machine: ${environment.cpu}, ${environment.cores} cores, ${environment.memoryGiB} GiB, ${environment.os}`,
    `- Node ${environment.node}; ${versions}`,
    `- Settings: ${settings}`,
  ].join("\n");
}

/** The whole report as Markdown. */
export function renderReport(results: Results): string {
  const parts = [header(results.environment, results.settings)];
  if (results.rates.length > 0 || results.downloads !== null)
    parts.push(`### Summary\n\n${summary(results)}`);
  for (const result of results.rates) parts.push(rateTable(result));
  if (results.downloads) parts.push(downloadTable(results.downloads));
  if (results.coldStart) parts.push(coldStartTable(results.coldStart));
  return `${parts.join("\n\n")}\n`;
}

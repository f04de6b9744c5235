/**
 * The large streamed download: each client in a fresh child process per round, rounds interleaved.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { ClientSpec } from "./clients/index.js";
import type { DownloadReport } from "./download-worker.js";
import { median, rotate } from "./measure.js";
import { distPath } from "./paths.js";

const run = promisify(execFile);

/** The medians of one client's downloads. */
export interface DownloadCell {
  readonly client: string;
  /** Median throughput in MiB/s. */
  readonly mibPerSecond: number;
  /** Median peak RSS of the process, in bytes. */
  readonly peakRss: number;
  /** Median growth of RSS during the download (peak minus the RSS just before it), in bytes. */
  readonly rssGrowth: number;
}

async function downloadOnce(spec: ClientSpec, origin: string, bytes: number): Promise<DownloadReport> {
  const args = [distPath("download-worker.js"), spec.source, spec.name, origin, String(bytes)];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as DownloadReport;
}

/** Downloads `bytes` with each client `rounds` times. */
export async function runDownloads(
  specs: readonly ClientSpec[],
  origin: string,
  bytes: number,
  rounds: number,
): Promise<DownloadCell[]> {
  const reports = new Map<string, DownloadReport[]>(specs.map((spec) => [spec.name, []]));
  process.stderr.write(`download-${bytes >> 20}m `);
  for (let round = 0; round < rounds; round++) {
    for (const spec of rotate(specs, round)) {
      reports.get(spec.name)!.push(await downloadOnce(spec, origin, bytes));
      process.stderr.write(".");
    }
  }
  process.stderr.write("\n");
  return specs.map((spec) => {
    const list = reports.get(spec.name)!;
    return {
      client: spec.name,
      mibPerSecond: median(list.map((report) => report.bytes / (1 << 20) / report.seconds)),
      peakRss: median(list.map((report) => report.peakRss)),
      rssGrowth: median(list.map((report) => report.peakRss - report.rssBefore)),
    };
  });
}

/**
 * One streamed download by one client in a process of its own, so that its peak RSS is its own: loads only that
 * client's library, downloads, and prints one JSON line with the time and memory it took.
 *
 * Usage: `node download-worker.js <clients module> <client name> <origin> <bytes>`.
 *
 * @module
 */
import type { ClientSpec } from "./clients/types.js";

/** What the worker reports. */
export interface DownloadReport {
  readonly bytes: number;
  readonly seconds: number;
  /** Resident set size just before the download started. */
  readonly rssBefore: number;
  /** Peak resident set size of the whole process. */
  readonly peakRss: number;
}

const [source, name, origin, size] = process.argv.slice(2);
const exports = (await import(`./clients/${source}`)) as Record<string, unknown>;
const spec = Object.values(exports).find(
  (value): value is ClientSpec => (value as ClientSpec | undefined)?.name === name,
);
if (spec === undefined) throw new RangeError(`no client named ${JSON.stringify(name)} in ${source}`);
const client = spec.create({ origin: origin!, http2: false, ca: "" });
const bytes = Number(size);
const rssBefore = process.memoryUsage.rss();
const start = performance.now();
const received = await client.download(`/bytes/${bytes}`);
const seconds = (performance.now() - start) / 1000;
if (received !== bytes) throw new Error(`${name} received ${received} of ${bytes} bytes`);
const report: DownloadReport = { bytes, seconds, rssBefore, peakRss: process.resourceUsage().maxRSS * 1024 };
process.stdout.write(`${JSON.stringify(report)}\n`);
await client.close();

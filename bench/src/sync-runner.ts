/**
 * The blocking clients on the small GET: one request at a time (a blocking call holds the thread), interleaved
 * rounds as for the async clients.
 *
 * @module
 */
import { SYNC_CLIENTS, type SyncClientSpec } from "./clients/sync.js";
import { median, rotate } from "./measure.js";
import type { RateCell, RateSettings } from "./rate-runner.js";
import type { ServerHandle } from "./server-process.js";

function expectDocument(body: unknown): void {
  if ((body as { id?: unknown }).id !== 42)
    throw new Error(`wrong answer to GET /json: ${JSON.stringify(body)}`);
}

/** Requests per second of `getJson` in a blocking loop of `durationMs` (at least one request). */
function blockingLoop(getJson: () => unknown, durationMs: number): number {
  let ops = 0;
  const start = performance.now();
  do {
    expectDocument(getJson());
    ops++;
  } while (performance.now() - start < durationMs);
  return ops / ((performance.now() - start) / 1000);
}

/** The scenario as the report names it. */
export const SYNC_SCENARIO = {
  id: "sync-small-get",
  title: "GET small JSON, blocking clients (HTTP/1.1)",
  unit: "req/s",
  concurrency: [1],
} as const;

/** Measures every blocking client that `keep` accepts. */
export async function runSyncScenario(
  server: ServerHandle,
  settings: RateSettings,
  keep: (spec: SyncClientSpec) => boolean,
): Promise<RateCell[]> {
  process.stderr.write("sync-small-get c=1 ");
  const contestants = SYNC_CLIENTS.filter(keep).map((spec) => {
    const client = spec.create(server.http);
    return { name: spec.name, client, rates: [] as number[], cpu: [] as number[] };
  });
  for (const { client } of contestants) blockingLoop(() => client.getJson("/json"), settings.warmupMs);
  for (let round = 0; round < settings.rounds; round++) {
    for (const contestant of rotate(contestants, round)) {
      const before = await server.cpuMs();
      const start = performance.now();
      contestant.rates.push(blockingLoop(() => contestant.client.getJson("/json"), settings.durationMs));
      const elapsed = performance.now() - start;
      contestant.cpu.push(((await server.cpuMs()) - before) / elapsed);
    }
    process.stderr.write(".");
  }
  process.stderr.write("\n");
  return contestants.map(({ name, client, rates, cpu }) => {
    client.close();
    return { client: name, concurrency: 1, rate: median(rates), rates, serverCpu: median(cpu) };
  });
}

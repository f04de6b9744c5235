/**
 * Runs a throughput scenario: one client per library, warmed up, then measured in interleaved rounds so that drift
 * in the machine's speed lands on every client alike.
 *
 * @module
 */
import type { BenchClient, ClientSpec } from "./clients/index.js";
import { closedLoop, collectGarbage, median, rotate } from "./measure.js";
import type { RateScenario } from "./scenarios.js";
import type { ServerHandle } from "./server-process.js";

/** How long and how often each client is measured. */
export interface RateSettings {
  readonly rounds: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly ca: string;
}

/** The medians of one client at one concurrency. */
export interface RateCell {
  readonly client: string;
  readonly concurrency: number;
  /** Median rate in the scenario's unit. */
  readonly rate: number;
  /** Every round's rate, for the spread. */
  readonly rates: readonly number[];
  /** Median share of one core the server used while this client ran. */
  readonly serverCpu: number;
}

interface Contestant {
  readonly name: string;
  readonly client: BenchClient;
  readonly op: () => Promise<void>;
  readonly rates: number[];
  readonly cpu: number[];
}

function progress(text: string): void {
  process.stderr.write(text);
}

async function measureOnce(
  contestant: Contestant,
  scenario: RateScenario,
  concurrency: number,
  settings: RateSettings,
  server: ServerHandle,
): Promise<void> {
  collectGarbage();
  const cpuBefore = await server.cpuMs();
  const run = await closedLoop(contestant.op, concurrency, settings.durationMs);
  const cpuAfter = await server.cpuMs();
  const perOp = scenario.unit === "MiB/s" ? scenario.bytesPerOp / (1 << 20) : 1;
  contestant.rates.push((run.ops * perOp) / run.seconds);
  contestant.cpu.push((cpuAfter - cpuBefore) / (run.seconds * 1000));
}

/** Measures `scenario` at each of its concurrencies for every client in `specs` that can take part. */
export async function runRateScenario(
  scenario: RateScenario,
  specs: readonly ClientSpec[],
  server: ServerHandle,
  settings: RateSettings,
): Promise<RateCell[]> {
  const origin = scenario.http2 ? server.https : server.http;
  const taking = specs.filter(
    (spec) => (!scenario.http2 || spec.http2) && (scenario.clients?.(spec.name) ?? true),
  );
  const cells: RateCell[] = [];
  for (const concurrency of scenario.concurrency) {
    progress(`${scenario.id} c=${concurrency} `);
    const contestants: Contestant[] = taking.map((spec) => {
      const client = spec.create({ origin, http2: scenario.http2, ca: settings.ca });
      return { name: spec.name, client, op: scenario.op(client), rates: [], cpu: [] };
    });
    for (const contestant of contestants) await closedLoop(contestant.op, concurrency, settings.warmupMs);
    for (let round = 0; round < settings.rounds; round++) {
      for (const contestant of rotate(contestants, round)) {
        await measureOnce(contestant, scenario, concurrency, settings, server);
      }
      progress(".");
    }
    for (const { name, client, rates, cpu } of contestants) {
      await client.close();
      cells.push({ client: name, concurrency, rate: median(rates), rates, serverCpu: median(cpu) });
    }
    progress("\n");
  }
  return cells;
}

/**
 * Runs a throughput scenario: one client per library, warmed up, then measured in interleaved rounds so that drift
 * in the machine's speed lands on every client alike.
 *
 * @module
 */
import type { BenchClient, ClientSpec } from "./clients/index.js";
import { closedLoop, median, rotate } from "./measure.js";
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
  /** Why the client could not finish the scenario, when it could not. */
  readonly error?: string;
}

interface Contestant {
  readonly name: string;
  readonly client: BenchClient;
  readonly op: () => Promise<void>;
  readonly rates: number[];
  readonly cpu: number[];
  error?: string;
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
  const cpuBefore = await server.cpuMs();
  const run = await closedLoop(contestant.op, concurrency, settings.durationMs);
  const cpuAfter = await server.cpuMs();
  const perOp = scenario.unit === "MiB/s" ? scenario.bytesPerOp / (1 << 20) : 1;
  contestant.rates.push((run.ops * perOp) / run.seconds);
  contestant.cpu.push((cpuAfter - cpuBefore) / (run.seconds * 1000));
}

/**
 * Runs one step of a contestant unless it failed already; a failure is recorded (and reported in the table)
 * instead of ending the whole run.
 */
async function guarded(contestant: Contestant, step: () => Promise<unknown>): Promise<void> {
  if (contestant.error !== undefined) return;
  try {
    await step();
  } catch (error) {
    contestant.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    progress(`\n  ${contestant.name} failed: ${contestant.error}\n`);
  }
}

function cellOf({ name, rates, cpu, error }: Contestant, concurrency: number): RateCell {
  if (error !== undefined)
    return { client: name, concurrency, rate: Number.NaN, rates: [], serverCpu: 0, error };
  return { client: name, concurrency, rate: median(rates), rates, serverCpu: median(cpu) };
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
    for (const contestant of contestants) {
      await guarded(contestant, () => closedLoop(contestant.op, concurrency, settings.warmupMs));
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (const contestant of rotate(contestants, round)) {
        await guarded(contestant, () => measureOnce(contestant, scenario, concurrency, settings, server));
      }
      progress(".");
    }
    for (const contestant of contestants) {
      await contestant.client.close().catch(() => {});
      cells.push(cellOf(contestant, concurrency));
    }
    progress("\n");
  }
  return cells;
}

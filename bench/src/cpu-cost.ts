/**
 * CPU time per request of each client on the small GET, measured in the client's process: less sensitive than
 * throughput to other load on the machine, so it shows a client's own cost when comparing changes. The least of
 * many short rounds is the most telling number on a busy machine.
 *
 * Usage: `node dist/cpu-cost.js [seconds] [concurrency] [client names, comma-separated]`.
 *
 * @module
 */
import { CLIENTS } from "./clients/index.js";
import { closedLoop, median, rotate } from "./measure.js";
import { RATE_SCENARIOS } from "./scenarios.js";
import { startServer } from "./server-process.js";

const [seconds = "2", concurrency = "16", names] = process.argv.slice(2);
const scenario = RATE_SCENARIOS.find((candidate) => candidate.id === "small-get")!;
const specs = CLIENTS.filter((spec) => names === undefined || names.split(",").includes(spec.name));
const ROUNDS = 15;
const server = await startServer();
try {
  const contestants = specs.map((spec) => {
    const client = spec.create({ origin: server.http, http2: false, ca: "" });
    return { name: spec.name, client, op: scenario.op(client), costs: [] as number[] };
  });
  for (const contestant of contestants) await closedLoop(contestant.op, Number(concurrency), 500);
  for (let round = 0; round < ROUNDS; round++) {
    for (const contestant of rotate(contestants, round)) {
      const before = process.cpuUsage();
      const run = await closedLoop(contestant.op, Number(concurrency), (Number(seconds) * 1000) / ROUNDS);
      const used = process.cpuUsage(before);
      contestant.costs.push((used.user + used.system) / run.ops);
    }
  }
  for (const { name, client, costs } of contestants) {
    const least = Math.min(...costs)
      .toFixed(1)
      .padStart(6);
    process.stdout.write(
      `${name.padEnd(20)} ${least} µs CPU per request (least), ${median(costs).toFixed(1)} (median)\n`,
    );
    await client.close();
  }
} finally {
  server.stop();
}

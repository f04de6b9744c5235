/**
 * The small-GET loop of one client, alone, for `node --cpu-prof`: `pnpm --filter @ferry/bench profile` writes a
 * `.cpuprofile` of Ferry's per-request path into `bench/profiles/` (open it in Chrome DevTools or speedscope).
 *
 * Usage: `node --cpu-prof dist/profile.js [client name] [seconds] [concurrency]`.
 *
 * @module
 */
import { clientNamed } from "./clients/index.js";
import { closedLoop } from "./measure.js";
import { RATE_SCENARIOS } from "./scenarios.js";
import { startServer } from "./server-process.js";

const [name = "ferry (undici)", seconds = "10", concurrency = "16"] = process.argv.slice(2);
const scenario = RATE_SCENARIOS.find((candidate) => candidate.id === "small-get")!;
const server = await startServer();
try {
  const client = clientNamed(name).create({ origin: server.http, http2: false, ca: "" });
  const op = scenario.op(client);
  await closedLoop(op, Number(concurrency), 500);
  const run = await closedLoop(op, Number(concurrency), Number(seconds) * 1000);
  process.stdout.write(`${name}: ${Math.round(run.ops / run.seconds)} req/s at c=${concurrency}\n`);
  await client.close();
} finally {
  server.stop();
}

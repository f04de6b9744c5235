/**
 * Ferry's small GET taken apart layer by layer, from a bare undici `dispatch` to `client.get()`, with undici
 * `request` for reference: every layer runs in each round (in a rotating order), in short closed-loop runs at a
 * fixed concurrency, and the table shows the median rate, its ratio to the first layer listed, and the client's
 * CPU time per request. The CPU time is the steadier number on a busy machine; the rate is what the issue counts.
 *
 * Usage: `node dist/layers.js [rounds] [concurrency] [layer names, comma-separated]`, with `RUN_MS` for
 * the length of each run (300 ms by default).
 *
 * @module
 */
import { Request } from "@ferry/core";
import { UndiciTransport } from "@ferry/transport-undici";
import { Client, Limits } from "ferry";
import { Agent, type Dispatcher, Pool } from "undici";
import { closedLoop, median, rotate } from "./measure.js";
import { startServer } from "./server-process.js";

const [rounds = "15", concurrency = "16", only] = process.argv.slice(2);
const PATH = "/json";
const RUN_MS = Number(process.env["RUN_MS"] ?? 300);

class BareHandler implements Dispatcher.DispatchHandler {
  readonly chunks: Buffer[] = [];
  constructor(readonly done: (text: unknown) => void) {}
  onConnect(): void {}
  onHeaders(): boolean {
    return true;
  }
  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }
  onComplete(): void {
    this.done(JSON.parse(Buffer.concat(this.chunks).toString("utf8")));
  }
  onError(error: Error): void {
    throw error;
  }
}

const server = await startServer();
const origin = server.http;
const url = origin + PATH;
const pool = new Pool(origin);
const agent = new Agent();
const transport = new UndiciTransport();
const uncapped = new UndiciTransport({ limits: new Limits({ maxKeepaliveConnections: null }) });
const client = new Client();
const untimed = new Client({ timeout: null });
const template = client.buildRequest("GET", url);
const flatHeaders = template.headers.raw.flat();

const layers: Record<string, () => Promise<unknown>> = {
  "undici request": async () => (await pool.request({ path: PATH, method: "GET" })).body.json(),
  "bare dispatch": () =>
    new Promise((resolve) => agent.dispatch({ origin, path: PATH, method: "GET" }, new BareHandler(resolve))),
  "bare dispatch with headers": () =>
    new Promise((resolve) =>
      agent.dispatch({ origin, path: PATH, method: "GET", headers: flatHeaders }, new BareHandler(resolve)),
    ),
  "transport without headers": async () => {
    const response = await transport.handleRequest(new Request("GET", url));
    await response.read();
    return response.json();
  },
  "transport uncapped": async () => {
    const response = await uncapped.handleRequest(new Request("GET", url, { headers: template.headers }));
    await response.read();
    return response.json();
  },
  "transport.handleRequest": async () => {
    const response = await transport.handleRequest(new Request("GET", url, { headers: template.headers }));
    await response.read();
    return response.json();
  },
  "transport with timeouts": async () => {
    const response = await transport.handleRequest(
      new Request("GET", url, { headers: template.headers, extensions: template.extensions }),
    );
    await response.read();
    return response.json();
  },
  "client.send without timeouts": async () => (await untimed.send(untimed.buildRequest("GET", url))).json(),
  "client.send": async () => (await client.send(client.buildRequest("GET", url))).json(),
  "client.get": async () => (await client.get(url)).json(),
};

try {
  const names = Object.keys(layers).filter((name) => only === undefined || only.split(",").includes(name));
  const c = Number(concurrency);
  const results = new Map(names.map((name) => [name, { rates: [] as number[], costs: [] as number[] }]));
  for (const name of names) await closedLoop(layers[name]!, c, 300);
  for (let round = 0; round < Number(rounds); round++) {
    for (const name of rotate(names, round)) {
      const cpu = process.cpuUsage();
      const run = await closedLoop(layers[name]!, c, RUN_MS);
      const used = process.cpuUsage(cpu);
      results.get(name)!.rates.push(run.ops / run.seconds);
      results.get(name)!.costs.push((used.user + used.system) / run.ops);
    }
  }
  const base = median(results.get(names[0]!)!.rates);
  for (const [name, { rates, costs }] of results) {
    const rate = median(rates);
    process.stdout.write(
      `${name.padEnd(32)} ${Math.round(rate).toString().padStart(6)} req/s ${(rate / base).toFixed(3)}×  ` +
        `${median(costs).toFixed(1).padStart(5)} µs CPU per request (least ${Math.min(...costs).toFixed(1)})\n`,
    );
  }
} finally {
  await Promise.all([
    pool.close(),
    agent.close(),
    transport.close(),
    uncapped.close(),
    client.close(),
    untimed.close(),
  ]);
  server.stop();
}

/** Entry for runtimes with a command line (Node, Deno, Bun): runs the scenario and prints its report as JSON. */
import { runScenario } from "../scenario.js";

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const origin = g.Deno?.args[0] ?? g.process?.argv[2];
if (origin === undefined) throw new Error("usage: <runtime> scenario.js <origin>");
const report = await runScenario(origin);
console.log(`FERRY_REPORT ${JSON.stringify(report)}`);

/**
 * Cold start: the wall time of a fresh `node` that imports one module and exits, against one that imports nothing.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median, rotate } from "./measure.js";

/** The median time to start Node and import one module. */
export interface ColdStartCell {
  readonly module: string;
  readonly ms: number;
  /** The same, minus Node's own start-up (the empty import). */
  readonly overNode: number;
}

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const EMPTY = "(nothing)";

function timeImport(module: string): number {
  const code = module === EMPTY ? "" : `import ${JSON.stringify(module)};`;
  const start = performance.now();
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: BENCH_DIR });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`import ${module} failed: ${result.stderr.toString()}`);
  return ms;
}

/** Times `import "<module>"` for each module, `runs` times each, interleaved. */
export function runColdStart(modules: readonly string[], runs: number): ColdStartCell[] {
  const all = [EMPTY, ...modules];
  const times = new Map<string, number[]>(all.map((module) => [module, []]));
  process.stderr.write("cold-start ");
  timeImport(EMPTY);
  for (let run = 0; run < runs; run++) {
    for (const module of rotate(all, run)) times.get(module)!.push(timeImport(module));
    process.stderr.write(".");
  }
  process.stderr.write("\n");
  const node = median(times.get(EMPTY)!);
  return all.map((module) => {
    const ms = median(times.get(module)!);
    return { module: module === EMPTY ? "node alone" : module, ms, overNode: ms - node };
  });
}

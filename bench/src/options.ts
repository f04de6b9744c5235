/**
 * The command line of `pnpm bench`.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** What to run and how long. */
export interface BenchOptions {
  readonly rounds: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly downloadMiB: number;
  readonly downloadRounds: number;
  readonly coldStartRuns: number;
  /** Scenario ids to run (`small-get`, ..., `download`, `cold-start`), or null for all. */
  readonly only: readonly string[] | null;
  /** Client names to run, or null for all. */
  readonly clients: readonly string[] | null;
  readonly write: boolean;
  readonly quick: boolean;
}

/** The usage text, printed for `--help`. */
export const USAGE = `pnpm bench [-- options]
  --quick               short rounds for development (2 rounds of 300 ms, 256 MiB download); does not write BENCHMARKS.md
  --rounds <n>          measured rounds per client and scenario (default 10)
  --duration <ms>       length of one measured run (default 300)
  --download-mib <n>    size of the streamed download (default 1024)
  --download-rounds <n> downloads per client (default 3)
  --only <ids>          comma-separated: small-get, post-json, get-64k, h2-small-get, upload-100m, sync-small-get,
                        download, cold-start
  --clients <names>     comma-separated client names, e.g. "undici request,ferry (undici)"
  --write / --no-write  write BENCHMARKS.md (default: yes, except with --quick)`;

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new RangeError(`--${name}: expected a positive integer, got ${value}`);
  return number;
}

function list(value: string | undefined): string[] | null {
  return value === undefined
    ? null
    : value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
}

/** Parses `argv` (without the node and script paths). */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: [...argv].filter((arg) => arg !== "--"),
    options: {
      quick: { type: "boolean", default: false },
      rounds: { type: "string" },
      duration: { type: "string" },
      "download-mib": { type: "string" },
      "download-rounds": { type: "string" },
      only: { type: "string" },
      clients: { type: "string" },
      write: { type: "boolean" },
      "no-write": { type: "boolean" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return null;
  const quick = values.quick === true;
  return {
    quick,
    rounds: positive(values.rounds, "rounds", quick ? 2 : 10),
    durationMs: positive(values.duration, "duration", 300),
    warmupMs: quick ? 150 : 300,
    downloadMiB: positive(values["download-mib"], "download-mib", quick ? 256 : 1024),
    downloadRounds: positive(values["download-rounds"], "download-rounds", quick ? 1 : 3),
    coldStartRuns: quick ? 3 : 10,
    only: list(values.only),
    clients: list(values.clients),
    write: values["no-write"] === true ? false : (values.write ?? !quick),
  };
}

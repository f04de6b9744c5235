/**
 * The facts a reader needs to weigh the numbers: machine, Node, and the version of every library measured.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";

/** Where and with what the benchmark ran. */
export interface Environment {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly commit: string;
  readonly versions: ReadonlyArray<readonly [string, string]>;
}

const LIBRARIES = ["ferry", "undici", "axios", "got", "ky", "node-fetch"];

function versionOf(name: string): string {
  const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

function gitCommit(): string {
  try {
    const cwd = new URL("../..", import.meta.url);
    const hash = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd, encoding: "utf8" }).trim();
    // BENCHMARKS.md changes with every run: that does not make the measured code differ from the commit.
    const args = ["status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md"];
    const dirty = execFileSync("git", args, { cwd, encoding: "utf8" });
    return dirty.trim() === "" ? hash : `${hash} (with uncommitted changes)`;
  } catch {
    return "unknown";
  }
}

/** Reads the environment of this run. */
export function describeEnvironment(): Environment {
  const processors = cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpu: processors[0]?.model.trim() ?? "unknown",
    cores: processors.length,
    memoryGiB: Math.round(totalmem() / (1 << 30)),
    os: `${process.platform} ${release()} ${process.arch}`,
    node: process.version,
    commit: gitCommit(),
    versions: [
      ...LIBRARIES.map((name) => [name, versionOf(name)] as const),
      ["node fetch (global): bundled undici", process.versions.undici ?? "unknown"],
    ],
  };
}

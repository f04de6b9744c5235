/**
 * Starts the benchmark's server (`server.ts`) in a child process and talks to it over its standard streams.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { distPath } from "./paths.js";

/** The running server: its origins, a probe of the CPU time it has used, and a way to stop it. */
export interface ServerHandle {
  readonly http: string;
  readonly https: string;
  cpuMs(): Promise<number>;
  stop(): void;
}

/** Spawns the server and resolves once it listens. */
export async function startServer(): Promise<ServerHandle> {
  const child: ChildProcess = spawn(process.execPath, [distPath("server.js")], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error("the benchmark server exited before it listened");
  const { http, https } = JSON.parse(first.value) as { http: string; https: string };
  return {
    http,
    https,
    async cpuMs() {
      child.stdin!.write("cpu\n");
      const line = await lines.next();
      if (line.done) throw new Error("the benchmark server exited");
      return (JSON.parse(line.value) as { cpuMs: number }).cpuMs;
    },
    stop() {
      child.stdin!.end();
    },
  };
}

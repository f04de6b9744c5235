import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startHttpServer } from "@ferry/test-servers";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const dir = mkdtempSync(join(tmpdir(), "ferry-child-"));
const script = join(dir, "child.mjs");

beforeAll(async () => {
  // The child runs Ferry's TypeScript sources, bundled as the tests see them.
  await build({
    entryPoints: [fileURLToPath(new URL("fixtures/child.ts", import.meta.url))],
    outfile: script,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    alias: { "@ferry/core": fileURLToPath(new URL("../../core/src/index.ts", import.meta.url)) },
    banner: {
      js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);",
    },
    logLevel: "silent",
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runChild(args: string[], timeout: number): Promise<{ stdout: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--expose-gc", script, ...args], { timeout }, (error, stdout, stderr) => {
      if (error) reject(new Error(`child failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, ms: performance.now() - started });
    });
  });
}

describe("UndiciTransport in a process of its own", () => {
  it("streams a 1 GiB download through iterBytes() without its resident memory growing", async () => {
    const block = Buffer.alloc(MiB, 0x61);
    await using server = await startHttpServer(async (req, res) => {
      const size = req.url?.endsWith("?size=1024") ? 1024 : GiB;
      res.setHeader("Content-Length", String(size));
      if (size < MiB) return res.end(block.subarray(0, size));
      for (let sent = 0; sent < size; sent += MiB) {
        if (!res.write(block)) await new Promise((resolve) => res.once("drain", resolve));
      }
      res.end();
    });
    const { stdout, ms } = await runChild(["download", server.url], 60_000);
    const result = JSON.parse(stdout) as Record<"bytes" | "chunks" | "baseline" | "steady" | "peak", number>;
    expect(result.bytes).toBe(GiB);
    // Every socket read is a fresh 64 KiB buffer that V8 frees only at its next GC, which it schedules after about
    // 64 MB of such external memory: any Node process reading a socket this fast (raw undici too) climbs to that
    // plateau in its first tens of MiB, whatever it keeps. Past the plateau, growth means the body is retained.
    const growth = result.peak - result.baseline;
    const steadyGrowth = result.peak - result.steady;
    expect(steadyGrowth).toBeLessThan(64 * MiB);
    expect(growth).toBeLessThan(96 * MiB);
    const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
    console.info(
      `1 GiB download: ${(ms / 1000).toFixed(2)} s, ${result.chunks} chunks, RSS growth ${mib(growth)} ` +
        `from a warm start, ${mib(steadyGrowth)} after the first 128 MiB`,
    );
  }, 90_000);

  it("leaves nothing that keeps the process alive after close()", async () => {
    await using server = await startHttpServer((_req, res) => res.end("bye"), { keepAliveTimeout: 60_000 });
    const { stdout, ms } = await runChild(["close", server.url], 10_000);
    expect(stdout).toBe("closed");
    // The server would keep an idle connection for a minute: the child ends long before that on its own.
    expect(ms).toBeLessThan(5000);
  });

  it("leaves no timer that keeps the process alive after its requests, even with one-minute timeouts", async () => {
    await using server = await startHttpServer((_req, res) => res.end("bye"), { keepAliveTimeout: 60_000 });
    const { stdout, ms } = await runChild(["leave", server.url], 10_000);
    expect(stdout).toBe("left");
    expect(ms).toBeLessThan(5000);
  });
});

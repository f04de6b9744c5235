import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { certs } from "@ferry/test-servers";
import { ConformanceFailure, runConformance } from "@ferry/transport-conformance";
import { describe, expect, it } from "vitest";
import { brokenTransports, http2Undici, oneConnection } from "./broken-transports.js";

describe("runConformance", () => {
  it("runs without vitest: only the vitest entry imports it", async () => {
    const directory = fileURLToPath(new URL("../src/", import.meta.url));
    const files = (await readdir(directory, { recursive: true })).filter((name) => name.endsWith(".ts"));
    const importing = [];
    for (const file of files) {
      if (/from "vitest"/.test(await readFile(join(directory, file), "utf8"))) importing.push(file);
    }
    expect(importing).toEqual(["vitest.ts"]);
  });

  it("passes a transport that keeps every rule, on every case", async () => {
    const result = await runConformance(() => http2Undici(), {
      supports: { http2: true },
      tls: { cert: certs.serverCert, key: certs.serverKey },
      createPooled: () => oneConnection(),
    });
    expect(result.failed.map(({ name, error }) => `${name}: ${String(error)}`)).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.passed.length).toBeGreaterThanOrEqual(30);
  }, 120_000);

  it.each(brokenTransports)(
    "fails a transport that $what, naming the rule $rule",
    async (broken) => {
      const result = await runConformance(broken.create, { ...broken.options, only: [broken.rule] });
      expect(result.failed.length).toBeGreaterThan(0);
      for (const { error } of result.failed) {
        expect(error).toBeInstanceOf(ConformanceFailure);
        expect((error as ConformanceFailure).rule).toBe(broken.rule);
        expect((error as Error).message).toContain(`Rule "${broken.rule}" broken`);
      }
    },
    60_000,
  );
});

/**
 * The built package's types as TypeScript users get them: `tsc` type-checks small consumers of `ferry` (a `.cts`
 * file, a `.ts` file of a CommonJS package, and an `.mts` file) under `"module": "node16"` and `"nodenext"`, with
 * `skipLibCheck` off. Needs the built package: `pnpm test` builds it first (or run `pnpm build`).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = require.resolve("typescript/bin/tsc");
const nodeTypes = dirname(dirname(require.resolve("@types/node/package.json")));

/** Uses `ferry` the way a CommonJS file may: named imports, and `import = require()`. */
const COMMONJS_CONSUMER = `
import { SyncClient, Timeout, TransportError, delete as del, type HeaderTypes, type Response } from "ferry";
import ferry = require("ferry");

const client: SyncClient = new SyncClient({ timeout: new Timeout(1_000) });
const response: Response = client.get("https://example.org", { headers: { accept: "text/plain" } });
const status: number = response.statusCode;
// @ts-expect-error: the types are real, not \`any\`: a status code is a number.
const notAString: string = response.statusCode;
const headers: HeaderTypes = [["accept", "text/plain"]];
const deleted: Promise<Response> = del("https://example.org");
const ok: number = ferry.codes.OK;
// The Node entry's own export, beyond the shared ones.
const exitCode: number | null = new ferry.WorkerExited({ code: 1, cause: undefined }).exitCode;

class Refusing extends ferry.BaseTransport {
  override handleRequest(): Promise<Response> {
    return Promise.reject(new TransportError("refused"));
  }
}

export { deleted, exitCode, headers, notAString, ok, Refusing, status };
`;

/** The same through an ES module's imports. */
const ESM_CONSUMER = COMMONJS_CONSUMER.replace(
  'import ferry = require("ferry");',
  'import * as ferry from "ferry";',
);

/** What each consumer is, and which declarations of `ferry` it must get. */
const CONSUMERS = {
  "index.cts": "dist/node.d.cts",
  "commonjs/index.ts": "dist/node.d.cts",
  "index.mts": "dist/node.d.ts",
} as const;

let consumerDir: string;

beforeAll(async () => {
  expect(existsSync(join(packageDir, "dist/node.d.cts")), "build ferry first: pnpm build").toBe(true);
  consumerDir = await mkdtemp(join(tmpdir(), "ferry-types-"));
  await mkdir(join(consumerDir, "node_modules"));
  await mkdir(join(consumerDir, "commonjs"));
  await symlink(packageDir, join(consumerDir, "node_modules/ferry"), "dir");
  await writeFile(join(consumerDir, "package.json"), JSON.stringify({ private: true }));
  await writeFile(join(consumerDir, "commonjs/package.json"), JSON.stringify({ type: "commonjs" }));
  await writeFile(join(consumerDir, "index.cts"), COMMONJS_CONSUMER);
  await writeFile(join(consumerDir, "commonjs/index.ts"), COMMONJS_CONSUMER);
  await writeFile(join(consumerDir, "index.mts"), ESM_CONSUMER);
});

afterAll(async () => {
  if (consumerDir !== undefined) await rm(consumerDir, { recursive: true, force: true });
});

/** Runs `tsc` on the consumers under `module`; returns its exit code and what it printed. */
async function typeCheck(module: string): Promise<{ code: number; output: string }> {
  const compilerOptions = {
    module,
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ["node"],
    typeRoots: [nodeTypes],
  };
  const project = join(consumerDir, `tsconfig.${module}.json`);
  await writeFile(project, JSON.stringify({ compilerOptions, files: Object.keys(CONSUMERS) }));
  try {
    const { stdout } = await run(process.execPath, [tsc, "-p", project, "--explainFiles"], {
      cwd: consumerDir,
      timeout: 60_000,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout } = error as { code?: number; stdout?: string };
    return { code: code ?? 1, output: stdout ?? String(error) };
  }
}

/** Which file of `ferry` each consumer imported, from `tsc --explainFiles`. */
function resolvedFerry(output: string): Record<string, string> {
  const resolved: Record<string, string> = {};
  const imports = /Imported via "ferry" from file '([^']+)' with packageId 'ferry\/([^@']+)@/g;
  for (const [, from, file] of output.matchAll(imports)) {
    if (from !== undefined && file !== undefined) resolved[from.replaceAll("\\", "/")] = file;
  }
  return resolved;
}

describe("ferry's types", () => {
  it.each(["node16", "nodenext"])(
    "serve require() from a .cts file or a CommonJS package, and import from an ES module (module %s)",
    async (module) => {
      const { code, output } = await typeCheck(module);
      const errors = output.split("\n").filter((line) => line.includes("error TS"));
      expect(errors).toEqual([]);
      expect(code).toBe(0);
      expect(resolvedFerry(output)).toEqual(CONSUMERS);
    },
    60_000,
  );

  it("declare every value the CommonJS entry exports, and nothing more", async () => {
    const script = 'console.log(JSON.stringify(Object.keys(require("./dist/node.cjs")).sort()))';
    const { stdout } = await run(process.execPath, ["-e", script], {
      cwd: packageDir,
      timeout: 30_000,
    });
    const declarations = await readFile(join(packageDir, "dist/node.d.cts"), "utf8");
    const declared = [
      ...declarations.matchAll(/^export declare const (\w+)/gm),
      ...declarations.matchAll(/^export \{ \w+ as (\w+) \};$/gm),
    ].map(([, name]) => name);
    expect(declared.sort()).toEqual(JSON.parse(stdout));
  });
});

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string, entry = "index.ts") =>
  fileURLToPath(new URL(`packages/${pkg}/src/${entry}`, import.meta.url));

// Tests run against the TypeScript sources, so a change is tested without a build.
const alias = [
  { find: /^@ferry\/core\/node$/, replacement: src("core", "node.ts") },
  { find: /^@ferry\/core$/, replacement: src("core") },
  { find: /^@ferry\/transport-undici$/, replacement: src("transport-undici") },
  { find: /^@ferry\/transport-fetch$/, replacement: src("transport-fetch") },
  { find: /^@ferry\/transport-mock\/vitest$/, replacement: src("transport-mock", "vitest.ts") },
  { find: /^@ferry\/transport-mock$/, replacement: src("transport-mock") },
  { find: /^@ferry\/test-servers$/, replacement: src("test-servers") },
  { find: /^@ferry\/transport-conformance\/vitest$/, replacement: src("transport-conformance", "vitest.ts") },
  { find: /^@ferry\/transport-conformance$/, replacement: src("transport-conformance") },
  { find: /^@ferry\/transport-retry$/, replacement: src("transport-retry") },
  { find: /^@ferry\/transport-cache$/, replacement: src("transport-cache") },
  { find: /^ferry$/, replacement: src("ferry", "node.ts") },
];

const packages = [
  "core",
  "transport-undici",
  "transport-fetch",
  "transport-mock",
  "ferry",
  "test-servers",
  "transport-conformance",
  "transport-retry",
  "transport-cache",
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      ...packages.map((name) => ({
        extends: true,
        test: { name, root: `packages/${name}`, include: ["test/**/*.test.ts"] },
      })),
      { extends: true, test: { name: "examples", root: "examples", include: ["*.test.ts"] } },
      // The runtime matrix: each test starts a real runtime (Node 22/24, Deno, Bun, workerd, Chromium).
      {
        extends: true,
        test: { name: "runtimes", root: "runtimes", include: ["*.test.ts"], testTimeout: 120_000 },
      },
    ],
    testTimeout: 15_000,
  },
});

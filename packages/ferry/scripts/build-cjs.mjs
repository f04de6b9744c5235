/**
 * Builds `dist/node.cjs`, the entry `require("ferry")` gets on Node versions that cannot require ES modules
 * (before 20.19). It bundles the ESM build of `ferry` and its dependencies into one CommonJS file; Node versions
 * with require(esm) take the ESM build through the `module-sync` condition instead, so one copy of Ferry serves
 * both `import` and `require` there.
 *
 * A SyncClient's worker thread still runs the ESM build (`dist/sync/worker.js`): only plain data crosses
 * threads, so the two copies never meet.
 *
 * It also writes `dist/node.d.cts`, the declarations of the `require` condition (see cjs-types.mjs).
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { writeCjsDeclarations } from "./cjs-types.mjs";

await build({
  entryPoints: ["dist/node.js"],
  outfile: "dist/node.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // The only `import.meta.url` is the one that locates the worker module next to dist/sync/factory.js.
  define: { "import.meta.url": "__ferryModuleUrl" },
  banner: {
    js: 'const __ferryModuleUrl = require("node:url").pathToFileURL(__dirname + "/sync/factory.js").href;',
  },
  // `import "@ferry/core/node"` registers Node's services; sideEffects: false must not drop it here.
  ignoreAnnotations: true,
  logLevel: "warning",
});

await writeCjsDeclarations(fileURLToPath(new URL("..", import.meta.url)));

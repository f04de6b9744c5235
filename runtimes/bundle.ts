/**
 * Bundles the shared scenario for each runtime with esbuild, resolving `ferry` and `@ferry/*` through their
 * package.json `exports` with that runtime's conditions (the map users get), but to the TypeScript sources, so the
 * matrix tests the tree as it is without a build.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BUILD_DIR = join(ROOT, ".cache/runtimes/build");

/** How the scenario is bundled for one kind of runtime. */
export interface Target {
  readonly entry: "cli" | "workerd" | "browser";
  readonly platform: "node" | "neutral" | "browser";
  /** Export conditions, most specific first, as the runtime's own resolver uses them. */
  readonly conditions: readonly string[];
  readonly outfile: string;
}

export const TARGETS = {
  node: { entry: "cli", platform: "node", conditions: ["node"], outfile: "node.mjs" },
  deno: { entry: "cli", platform: "neutral", conditions: ["deno"], outfile: "deno.mjs" },
  bun: { entry: "cli", platform: "neutral", conditions: ["bun"], outfile: "bun.mjs" },
  workerd: {
    entry: "workerd",
    platform: "browser",
    conditions: ["workerd", "worker"],
    outfile: "workerd.mjs",
  },
  browser: { entry: "browser", platform: "browser", conditions: ["browser"], outfile: "browser.js" },
} as const satisfies Record<string, Target>;

type ExportMap = string | { readonly [condition: string]: ExportMap };

function pick(map: ExportMap, conditions: ReadonlySet<string>): string | undefined {
  if (typeof map === "string") return map;
  for (const [condition, value] of Object.entries(map)) {
    if (condition === "types" || !conditions.has(condition)) continue;
    const found = pick(value, conditions);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Resolves workspace packages by their `exports` map, from `dist/x.js` to `src/x.ts`. */
function workspaceSources(conditions: ReadonlySet<string>): Plugin {
  return {
    name: "ferry-workspace-sources",
    setup(builder) {
      builder.onResolve({ filter: /^(ferry|@ferry\/[\w-]+)(\/[\w-]+)?$/ }, (args) => {
        const [, name, subpath] = /^(ferry|@ferry\/[\w-]+)(\/[\w-]+)?$/.exec(args.path)!;
        const dir = join(ROOT, "packages", name === "ferry" ? "ferry" : name!.slice("@ferry/".length));
        const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
          exports: Record<string, ExportMap>;
        };
        const entry = manifest.exports[`.${subpath ?? ""}`];
        const target = entry === undefined ? undefined : pick(entry, conditions);
        if (target === undefined)
          return { errors: [{ text: `${args.path} exports nothing for ${[...conditions]}` }] };
        return { path: join(dir, target.replace(/^\.\/dist\/(.+)\.js$/, "src/$1.ts")) };
      });
    },
  };
}

/** Bundles the scenario for `target` into the build folder and returns the bundle's path. */
export async function bundle(target: Target): Promise<string> {
  const conditions = new Set([...target.conditions, "import", "default"]);
  if (target.platform === "browser") conditions.add("browser");
  const outfile = join(BUILD_DIR, target.outfile);
  await build({
    entryPoints: [join(ROOT, "runtimes/entries", `${target.entry}.ts`)],
    outfile,
    bundle: true,
    format: "esm",
    platform: target.platform,
    target: "es2022",
    conditions: [...target.conditions],
    mainFields: target.platform === "node" ? ["module", "main"] : ["browser", "module", "main"],
    // Transport names are reported by class name: keep them through bundling.
    keepNames: true,
    external: target.platform === "browser" ? [] : ["node:*"],
    // Bundled CommonJS dependencies (undici) call require() for Node's built-ins.
    banner:
      target.platform === "node"
        ? {
            js: 'import { createRequire as __ferryRequire } from "node:module"; const require = __ferryRequire(import.meta.url);',
          }
        : {},
    plugins: [workspaceSources(conditions)],
    logLevel: "silent",
  });
  return outfile;
}

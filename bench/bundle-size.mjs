/**
 * Measures the browser bundle of `ferry`: what an application importing it gets once esbuild bundles it for a
 * browser (the `browser` export condition, so Client + FetchTransport), minified and gzipped, and which packages
 * and files the bytes come from (esbuild's metafile). Prints the report and writes it into BENCHMARKS.md between
 * `<!-- bundle-size:start -->` and `<!-- bundle-size:end -->`, leaving the rest of that file alone.
 *
 * Workspace packages are bundled from their TypeScript sources, resolved through their package.json `exports`
 * and `imports` maps exactly as users resolve the built files, so no build is needed and the numbers are those
 * of the tree as it is. ky and axios, bundled the same way, are measured alongside for scale.
 *
 * Usage: node bench/bundle-size.mjs [--no-write] [--json]
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH, "..");
const REPORT = join(ROOT, "BENCHMARKS.md");
const START = "<!-- bundle-size:start -->";
const END = "<!-- bundle-size:end -->";
const CONDITIONS = new Set(["browser", "import", "module", "default"]);

/** What is measured: each an entry module an application could be. */
const SUBJECTS = [
  { name: "ferry: Client", entry: 'export { Client } from "ferry";', main: true },
  { name: "ferry: everything it exports", entry: 'export * from "ferry";' },
  { name: "ky (for scale)", entry: 'export { default } from "ky";', optional: "ky" },
  { name: "axios (for scale)", entry: 'export { default } from "axios";', optional: "axios" },
];

function pick(map, conditions) {
  if (typeof map === "string") return map;
  if (map === null || typeof map !== "object") return undefined;
  for (const [condition, value] of Object.entries(map)) {
    if (condition === "types" || !conditions.has(condition)) continue;
    const found = pick(value, conditions);
    if (found !== undefined) return found;
  }
  return undefined;
}

function manifest(dir) {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
}

function toSource(dir, target) {
  return join(dir, target.replace(/^\.\/dist\/(.+)\.js$/, "src/$1.ts"));
}

/** Resolves `ferry`, `@ferry/*` and a workspace package's own `#` imports to TypeScript sources. */
const workspaceSources = {
  name: "ferry-workspace-sources",
  setup(builder) {
    builder.onResolve({ filter: /^(ferry|@ferry\/[\w-]+)(\/[\w-]+)?$/ }, (args) => {
      const [, name, subpath] = /^(ferry|@ferry\/[\w-]+)(\/[\w-]+)?$/.exec(args.path);
      const dir = join(ROOT, "packages", name === "ferry" ? "ferry" : name.slice("@ferry/".length));
      const target = pick(manifest(dir).exports?.[`.${subpath ?? ""}`], CONDITIONS);
      if (target === undefined) return { errors: [{ text: `${args.path} exports nothing for a browser` }] };
      return { path: toSource(dir, target) };
    });
    builder.onResolve({ filter: /^#/ }, (args) => {
      const match = /^(.*[\\/]packages[\\/][\w-]+)[\\/]src[\\/]/.exec(args.importer);
      if (match === null) return undefined;
      const target = pick(manifest(match[1]).imports?.[args.path], CONDITIONS);
      if (target === undefined) return { errors: [{ text: `${args.path} maps to nothing for a browser` }] };
      return { path: toSource(match[1], target) };
    });
  },
};

/** The package an input file of the metafile belongs to. */
function packageOf(path) {
  const parts = path.split(/[\\/]/);
  const last = parts.lastIndexOf("node_modules");
  if (last >= 0) {
    const name = parts[last + 1] ?? "?";
    return name.startsWith("@") ? `${name}/${parts[last + 2]}` : name;
  }
  const packages = parts.indexOf("packages");
  if (packages >= 0) return manifest(join(ROOT, ...parts.slice(0, packages + 2))).name;
  return "(entry)";
}

async function measure(subject) {
  const result = await build({
    stdin: { contents: subject.entry, resolveDir: BENCH, loader: "js" },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["browser"],
    metafile: true,
    legalComments: "none",
    absWorkingDir: ROOT,
    plugins: [workspaceSources],
    logLevel: "silent",
  });
  const output = result.outputFiles[0].contents;
  const [meta] = Object.values(result.metafile.outputs);
  const byPackage = new Map();
  const byFile = [];
  for (const [path, { bytesInOutput }] of Object.entries(meta.inputs)) {
    const pkg = packageOf(path);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    byFile.push({ file: path.replace(/^.*node_modules\//, ""), bytes: bytesInOutput });
  }
  return {
    name: subject.name,
    minified: output.byteLength,
    gzipped: gzipSync(output, { level: 9 }).byteLength,
    packages: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    files: byFile.sort((a, b) => b.bytes - a.bytes).slice(0, 12),
  };
}

function installed(name) {
  return existsSync(join(BENCH, "node_modules", name, "package.json"));
}

/** The browser bundle of "ferry: Client" as each size change landed, measured by this script at the time. */
const HISTORY = [
  ["zod (classic API) and tough-cookie with its public-suffix list (tldts)", 704.8, 181.6],
  ["zod/mini instead of zod's classic API", 279.5, 96.1],
  ["a small cookie jar without the public-suffix list under the `browser` condition", 127.2, 44.1],
];

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const share = (bytes, total) => `${((100 * bytes) / total).toFixed(1)} %`;

function render(results) {
  const main = results.find((result) => result.name === SUBJECTS[0].name);
  const lines = [
    "## Browser bundle",
    "",
    "`ferry` bundled by esbuild for a browser (`platform: browser`, the `browser` export condition, so Client +",
    "FetchTransport), minified, ES2022; gzip level 9. Run `pnpm --filter @ferry/bench bundle` to measure again.",
    "",
    "| Bundle | Minified | Gzipped |",
    "| --- | ---: | ---: |",
    ...results.map((result) => `| ${result.name} | ${kb(result.minified)} | ${kb(result.gzipped)} |`),
    "",
    `Where the minified bytes of "${main.name}" go, by package (esbuild metafile):`,
    "",
    "| Package | Minified | Share |",
    "| --- | ---: | ---: |",
    ...main.packages.map((pkg) => `| ${pkg.name} | ${kb(pkg.bytes)} | ${share(pkg.bytes, main.minified)} |`),
    "",
    "Largest files:",
    "",
    "| File | Minified |",
    "| --- | ---: |",
    ...main.files.map((file) => `| ${file.file} | ${kb(file.bytes)} |`),
    "",
    `How "${main.name}" got here:`,
    "",
    "| Change | Minified | Gzipped |",
    "| --- | ---: | ---: |",
    ...HISTORY.map(([change, minified, gzipped]) => `| ${change} | ${minified} KB | ${gzipped} KB |`),
    "",
    "- **zod** validates `Timeout`, `Limits` and `Proxy` when they are built, never per request. Through `zod/mini`",
    "  only the checks used are bundled; the errors are the same.",
    "- **Cookies.** Under the `browser` condition `@ferry/core` maps `#cookie-jar` to a small RFC 6265 jar instead of",
    "  tough-cookie, whose public-suffix list (tldts) is most of its weight. In a page the browser keeps the cookies",
    "  (`Set-Cookie` is hidden from scripts, `fetch` drops a `Cookie` header), so the jar serves only code using",
    "  `Cookies` directly and in-page responses such as mocks. It matches domains without the public-suffix list:",
    "  it refuses a single-label `Domain` (`Domain=com`) but accepts `Domain=co.uk`. Node, Deno, Bun, workerd and",
    "  other workers (`workerd` and `worker` come before `browser`) keep tough-cookie.",
    "- **Kept, as they earn their bytes:** IDNA 2008 validation and punycode (about 7 KB minified: the Unicode",
    "  tables come from the engine's regex property escapes, and a browser's URL parser applies the laxer UTS 46),",
    "  fflate's gzip and deflate for bodies Ferry decodes itself, such as responses made in the page (about 6 KB),",
    "  reason phrases and MIME types.",
    "- Workspace packages are bundled from their sources, as the tree is; the built packages bundle within about",
    "  3 KB minified (1 KB gzipped) of that.",
  ];
  return lines.join("\n");
}

function writeSection(section) {
  const block = `${START}\n${section}\n${END}`;
  const text = existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "";
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  const next =
    start >= 0 && end >= 0
      ? text.slice(0, start) + block + text.slice(end + END.length)
      : `${text}${text === "" || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n"}${block}\n`;
  writeFileSync(REPORT, next);
}

const args = new Set(process.argv.slice(2));
const results = [];
for (const subject of SUBJECTS) {
  if (subject.optional !== undefined && !installed(subject.optional)) continue;
  results.push(await measure(subject));
}
if (args.has("--json")) console.log(JSON.stringify(results, null, 2));
else console.log(render(results));
if (!args.has("--no-write")) writeSection(render(results));

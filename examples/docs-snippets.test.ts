/**
 * Type-checks every `ts` code block of the user documentation against Ferry's sources, so a renamed option or a
 * wrong signature in the docs fails a test. Each block is compiled as a module of its own; the names a block uses
 * without defining them (`client`, `url`...) are declared in PRELUDE. A block fenced as `ts ignore` is skipped
 * (none should need it).
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");

const DOCUMENTS = [
  "docs/guide.md",
  "docs/httpx-to-ferry.md",
  "packages/core/README.md",
  "packages/ferry/README.md",
];

/** Names the snippets use as if already defined, as a reader would assume them. */
const PRELUDE = `
declare global {
  const client: import("ferry").Client;
  const syncClient: import("ferry").SyncClient;
  const response: import("ferry").Response;
  const request: import("ferry").Request;
  const url: string;
}
export {};
`;

interface Snippet {
  document: string;
  /** The line of the opening fence in the document, 1-based. */
  line: number;
  code: string;
}

function snippetsOf(document: string): Snippet[] {
  const lines = readFileSync(join(root, document), "utf8").split("\n");
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\S*)\s*(.*)$/.exec(lines[index] ?? "");
    if (fence === null) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !(lines[index] ?? "").startsWith("```"); index++) {
      body.push(lines[index] ?? "");
    }
    if (fence[1] === "ts" && fence[2] !== "ignore") {
      snippets.push({ document, line: start + 1, code: body.join("\n") });
    }
  }
  return snippets;
}

function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(here, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (parsed === undefined) throw new Error("examples/tsconfig.json could not be read");
  return { ...parsed.options, noEmit: true };
}

/** Compiles every snippet in one program and returns each snippet's errors, rendered. */
function typeCheck(snippets: readonly Snippet[]): string[][] {
  const files = new Map<string, string>([[join(here, "__docs__", "prelude.d.ts"), PRELUDE]]);
  const names = snippets.map((_, index) => join(here, "__docs__", `snippet-${index}.ts`));
  // `export {}` makes every snippet a module, so the names two snippets declare do not collide.
  for (const [index, snippet] of snippets.entries())
    files.set(names[index]!, `${snippet.code}\nexport {};\n`);
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, language, ...rest)
      : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return names.map((name, index) => {
    const source = program.getSourceFile(name);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    return diagnostics.map((diagnostic) => {
      const snippet = snippets[index]!;
      const at =
        diagnostic.start === undefined ? 0 : source!.getLineAndCharacterOfPosition(diagnostic.start).line;
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      return `${snippet.document}:${snippet.line + 1 + at}: ${text}`;
    });
  });
}

describe("code blocks in the documentation", () => {
  const snippets = DOCUMENTS.flatMap(snippetsOf);
  it("has code blocks to check", () => {
    expect(snippets.length).toBeGreaterThan(DOCUMENTS.length);
  });

  it("type-checks every ts block against Ferry's sources", { timeout: 120_000 }, () => {
    expect(typeCheck(snippets).flat()).toEqual([]);
  });
});

/**
 * Writes `dist/node.d.cts`, the declarations TypeScript reads for `require("ferry")` (a `.cts` file, or a
 * CommonJS package under `"module": "node16"`/`"nodenext"`), from the ESM declarations `tsc` emitted.
 *
 * A CommonJS declaration file may not `export *` from an ES module, but it may refer to one's types with
 * `"resolution-mode": "import"`. So the file re-exports every type of `dist/node.d.ts` as a type, and declares
 * each value again as `typeof` the ESM one: classes, functions and constants keep one set of types across `import`
 * and `require`, and there is nothing to keep in sync by hand. Generic classes and namespaces would need more than
 * `typeof` and a type alias; the build stops if one is exported, instead of writing types that lose them.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import ts from "typescript";

const ESM_TYPES = "./node.js";
const IMPORT_MODE = '{ "resolution-mode": "import" }';

/** Whether the export `symbol` is a type only (`export { type X }`, `export type { X }`). */
function isTypeOnlyExport(symbol) {
  return (symbol.declarations ?? []).some(
    (declaration) =>
      ts.isExportSpecifier(declaration) && (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly),
  );
}

/** Whether `name` is a reserved word, which cannot name a `const` (`delete`). */
function isReservedWord(name) {
  const token = ts.stringToToken(name);
  return (
    token !== undefined && token >= ts.SyntaxKind.FirstReservedWord && token <= ts.SyntaxKind.LastReservedWord
  );
}

/** The lines that declare the value export `name` (and its type, for a class), whose ESM symbol is `target`. */
function valueExport(name, target) {
  const declarations = target.declarations ?? [];
  if (target.flags & ts.SymbolFlags.Namespace) {
    throw new Error(`cjs-types: "${name}" is a namespace; write its CommonJS declaration by hand.`);
  }
  if (declarations.some((declaration) => ts.isClassLike(declaration) && declaration.typeParameters)) {
    throw new Error(
      `cjs-types: "${name}" is a generic class; give its CommonJS type alias its type parameters.`,
    );
  }
  const type = target.flags & ts.SymbolFlags.Type ? `type ${name} = ferry.${name};` : null;
  if (!isReservedWord(name)) {
    return [
      `export declare const ${name}: typeof ferry.${name};`,
      ...(type === null ? [] : [`export ${type}`]),
    ];
  }
  if (type !== null) throw new Error(`cjs-types: the class "${name}" is named by a reserved word.`);
  return [`declare const ${name}_: typeof ferry.${name};`, `export { ${name}_ as ${name} };`];
}

/** The text of `node.d.cts` for the ESM declarations at `esmTypes`. */
export function cjsDeclarations(esmTypes) {
  const program = ts.createProgram([esmTypes], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(esmTypes);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`cjs-types: cannot read the declarations of ${esmTypes}.`);
  const values = [];
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (target.flags & ts.SymbolFlags.Value && !isTypeOnlyExport(symbol)) {
      values.push(...valueExport(symbol.getName(), target));
    }
  }
  return [
    "/**",
    ' * The types of `require("ferry")`: those of the ES module entry, whose values the CommonJS entry exports too.',
    " */",
    `import type * as ferry from "${ESM_TYPES}" with ${IMPORT_MODE};`,
    "",
    `export type * from "${ESM_TYPES}" with ${IMPORT_MODE};`,
    "",
    ...values,
    "",
  ].join("\n");
}

/** Writes `dist/node.d.cts` from `dist/node.d.ts` (the Node entry's), in the package folder `packageDir`. */
export async function writeCjsDeclarations(packageDir) {
  const text = cjsDeclarations(resolve(packageDir, "dist/node.d.ts"));
  await writeFile(resolve(packageDir, "dist/node.d.cts"), text);
}

/**
 * Where the benchmark finds its files.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The path of one of the committed test certificates (`packages/test-servers/certs`). */
export function certPath(name: string): string {
  return fileURLToPath(new URL(`../../packages/test-servers/certs/${name}`, import.meta.url));
}

/** The path of a file in the repository's root. */
export function rootPath(name: string): string {
  return fileURLToPath(new URL(`../../${name}`, import.meta.url));
}

/** The path of a compiled module of the benchmark (`bench/dist`). */
export function distPath(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

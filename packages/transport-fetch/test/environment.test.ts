import { describe, expect, it } from "vitest";
import {
  type DecodedCodings,
  decodedCodings,
  detectRuntime,
  supportsRequestStreams,
  wasDecoded,
} from "../src/environment.js";

const node6: DecodedCodings = { codings: new Set(["gzip", "x-gzip", "deflate", "br"]), chains: true };
const deno = decodedCodings("deno");
const bun = decodedCodings("bun");
const browser = decodedCodings("browser");

describe("which bodies fetch decoded", () => {
  it.each<readonly [string, string | null, DecodedCodings, boolean]>([
    ["Node", null, node6, false],
    ["Node", "identity", node6, false],
    ["Node", "gzip", node6, true],
    ["Node", "GZIP", node6, true],
    ["Node", "br", node6, true],
    ["Node", "zstd", node6, false],
    ["Node", "gzip, br", node6, true],
    ["Node", "gzip, zstd", node6, false],
    ["Node", "gzip, identity", node6, true],
    ["Deno", "deflate", deno, false],
    ["Deno", "gzip, br", deno, false],
    ["Deno", "br", deno, true],
    ["Bun", "zstd", bun, true],
    ["Bun", "gzip, br", bun, false],
    ["a browser", "zstd", browser, true],
    ["a browser", "compress", browser, true],
  ])("%s, Content-Encoding %s → %s", (_runtime, header, decoded, expected) => {
    expect(wasDecoded(header, decoded)).toBe(expected);
  });

  it("knows that Node's own fetch decodes zstd from undici 7 on", () => {
    const undiciMajor = Number.parseInt(process.versions["undici"] ?? "0", 10);
    expect(wasDecoded("zstd", decodedCodings("node"))).toBe(undiciMajor >= 7);
  });
});

describe("the runtime", () => {
  it("is told apart by its globals", () => {
    expect(detectRuntime()).toBe("node");
  });

  it("streams request bodies in Node", () => {
    expect(supportsRequestStreams()).toBe(true);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const readme = read("../README.md");

describe("README", () => {
  it.each([
    ["MockRouter", "mock-router.test.ts"],
    ["nock", "nock.test.ts"],
    ["msw", "msw.test.ts"],
  ])("states the line count of the %s suite", (name, file) => {
    const lines = read(`comparison/${file}`).split("\n").length - 1;
    const row = new RegExp(`\\| \\[${name}\\]\\(test/comparison/${file}\\)\\s*\\|\\s*(\\d+)\\s*\\|`);
    expect(row.exec(readme)?.[1]).toBe(String(lines));
  });

  it.each([
    ["MockRouter", "mock-router.test.ts"],
    ["nock", "nock.test.ts"],
    ["msw", "msw.test.ts"],
  ])("quotes the %s re-login test as it is", (_, file) => {
    const source = read(`comparison/${file}`);
    const start = source.indexOf('it("logs in again once after a 401');
    const test = source.slice(start, source.indexOf("\n});\n", start) + 4);
    expect(readme).toContain(test);
  });
});

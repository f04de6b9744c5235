import { describe, it } from "vitest";
import { behaviourTables, clientHarness, hookedClientHarness } from "./behaviours/index.js";

// Each row is its own it() so the report shows its whole name (it.each would quote and shorten it).
for (const harness of [clientHarness, hookedClientHarness]) {
  for (const { topic, rows } of behaviourTables) {
    describe(`${harness.name}: ${topic}`, () => {
      for (const { name, run } of rows) it(name, () => run(harness));
    });
  }
}

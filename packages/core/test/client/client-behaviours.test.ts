import { describe, it } from "vitest";
import { behaviourTables, clientHarness } from "./behaviours/index.js";

// Each row is its own it() so the report shows its whole name (it.each would quote and shorten it).
for (const { topic, rows } of behaviourTables) {
  describe(`Client: ${topic}`, () => {
    for (const { name, run } of rows) it(name, () => run(clientHarness));
  });
}

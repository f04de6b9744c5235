import { describe, it } from "vitest";
import { behaviourTables, clientHarness } from "./behaviours/index.js";

describe.each(behaviourTables)("Client: $topic", ({ rows }) => {
  it.each(rows)("$name", ({ run }) => run(clientHarness));
});

/**
 * `@ferry/transport-conformance/vitest`: the conformance suite as vitest tests. Kept apart from the main entry so
 * that `runConformance` works without vitest installed.
 *
 * @packageDocumentation
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { ConformanceSuite, planCases } from "./run.js";
import type { ConformanceOptions, TransportFactory } from "./types.js";

/**
 * Registers the conformance suite as vitest tests, one per case, in a `describe` block named `name`. Cases the
 * transport declares it cannot run (`options.supports`) are registered as skipped.
 *
 * ```ts
 * import { describeTransport } from "@ferry/transport-conformance/vitest";
 *
 * describeTransport("UndiciTransport", () => new UndiciTransport());
 * ```
 */
export function describeTransport(
  name: string,
  create: TransportFactory,
  options: ConformanceOptions = {},
): void {
  const suite = new ConformanceSuite(create, options);
  const timeout = (options.caseTimeout ?? 15_000) + 10_000;
  describe(`${name} keeps the transport contract`, () => {
    beforeAll(() => suite.start());
    afterAll(() => suite.close());
    for (const planned of planCases(options)) {
      const test = planned.skip ? it.skip : it;
      test(planned.case.name, () => suite.run(planned.case), timeout);
    }
  });
}

export type {
  ConformanceContext,
  ConformanceOptions,
  ConformanceSupports,
  TransportFactory,
} from "./types.js";

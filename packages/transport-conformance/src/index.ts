/**
 * `@ferry/transport-conformance`: the suite that proves a transport keeps Ferry's transport contract, against
 * real loopback servers. `runConformance` works with any test runner (or none); `describeTransport`, in
 * `@ferry/transport-conformance/vitest`, registers the same cases as vitest tests.
 *
 * @packageDocumentation
 */
export { ConformanceFailure } from "./failure.js";
export { runConformance } from "./run.js";
export type {
  ConformanceContext,
  ConformanceFailureRecord,
  ConformanceOptions,
  ConformanceResult,
  ConformanceSupports,
  TransportFactory,
} from "./types.js";

/**
 * Runs the suite's cases against a transport, without a test runner.
 *
 * @module
 */
import { allCases } from "./cases/index.js";
import { ConformanceFailure, show, within } from "./failure.js";
import { CaseEnv, type ConformanceCase } from "./harness.js";
import { ConformanceServer } from "./server.js";
import type {
  ConformanceContext,
  ConformanceOptions,
  ConformanceResult,
  ConformanceSupports,
  TransportFactory,
} from "./types.js";

const DEFAULT_CASE_TIMEOUT = 15_000;

/** Whether the transport has `capability`: everything defaults to yes, except HTTP/2. */
function supports(options: ConformanceOptions, capability: keyof ConformanceSupports): boolean {
  const declared = options.supports?.[capability];
  return declared ?? capability !== "http2";
}

/** A case chosen by `options.only`, and whether it is skipped. */
export interface PlannedCase {
  readonly case: ConformanceCase;
  readonly skip: boolean;
}

/** The cases `options` select, each marked skipped when the transport lacks what it needs. */
export function planCases(options: ConformanceOptions): PlannedCase[] {
  const only = options.only;
  return allCases
    .filter((c) => only === undefined || only.some((part) => c.rule === part || c.name.includes(part)))
    .map((c) => ({
      case: c,
      skip: !(c.needs ?? []).every((need) => supports(options, need)) || c.applies?.(options) === false,
    }));
}

/** The suite's servers, started once for a run, and the means to run one case on a fresh transport. */
export class ConformanceSuite {
  readonly #create: TransportFactory;
  readonly #options: ConformanceOptions;
  #server: ConformanceServer | undefined;

  constructor(create: TransportFactory, options: ConformanceOptions = {}) {
    if (typeof create !== "function") {
      throw new TypeError(
        `The conformance suite needs a function that builds a transport, got ${typeof create}.`,
      );
    }
    this.#create = create;
    this.#options = options;
  }

  /** Starts the suite's server. */
  async start(): Promise<void> {
    this.#server ??= await ConformanceServer.start();
  }

  /** Runs one case on a transport built for it, then closes the transport; throws when the case fails. */
  async run(testCase: ConformanceCase): Promise<void> {
    const server = this.#server;
    if (server === undefined) throw new Error("Start the conformance suite before running a case.");
    const context: ConformanceContext = { app: server.listener };
    const transport = await this.#create(context);
    const env = new CaseEnv(transport, server, this.#options, context);
    const limit = this.#options.caseTimeout ?? DEFAULT_CASE_TIMEOUT;
    try {
      await within(testCase.run(env), limit, testCase.rule, "the case did not finish: the transport hung");
    } catch (error) {
      if (error instanceof ConformanceFailure) throw error;
      throw new ConformanceFailure(testCase.rule, `the transport raised ${show(error)}`, { cause: error });
    } finally {
      await env.cleanup();
      await within(transport.close(), 5000, "close", "close() did not return").catch(() => {});
    }
  }

  /** Stops the suite's server. */
  async close(): Promise<void> {
    await this.#server?.close();
    this.#server = undefined;
  }
}

/**
 * Runs the conformance suite against the transports `create` builds (a fresh one per case), with no test runner:
 * resolves with the names of the cases passed and skipped, and each failed case with its error. A failure's error is
 * a `ConformanceFailure` whose message names the rule broken (with the transport's own error as its `cause` when
 * the transport raised one).
 *
 * ```ts
 * const result = await runConformance(() => new UndiciTransport(), { supports: { http2: false } });
 * if (result.failed.length > 0) console.error(result.failed);
 * ```
 */
export async function runConformance(
  create: TransportFactory,
  options: ConformanceOptions = {},
): Promise<ConformanceResult> {
  const suite = new ConformanceSuite(create, options);
  const result: ConformanceResult = { passed: [], failed: [], skipped: [] };
  await suite.start();
  try {
    for (const planned of planCases(options)) {
      const name = planned.case.name;
      if (planned.skip) {
        result.skipped.push(name);
        continue;
      }
      try {
        await suite.run(planned.case);
        result.passed.push(name);
      } catch (error) {
        result.failed.push({ name, error });
      }
    }
  } finally {
    await suite.close();
  }
  return result;
}

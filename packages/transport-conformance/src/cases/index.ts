/**
 * Every case of the suite, in the order they run.
 *
 * @module
 */
import type { ConformanceCase } from "../harness.js";
import { errorCases } from "./errors.js";
import { http2Cases } from "./http2.js";
import { lifecycleCases } from "./lifecycle.js";
import { policyCases } from "./policy.js";
import { requestCases } from "./request.js";
import { responseCases } from "./response.js";
import { timeoutCases } from "./timeouts.js";

/** The whole suite. */
export const allCases: readonly ConformanceCase[] = [
  ...requestCases,
  ...responseCases,
  ...policyCases,
  ...timeoutCases,
  ...errorCases,
  ...lifecycleCases,
  ...http2Cases,
];

/**
 * Every client under test, in the order the tables list them.
 *
 * @module
 */
import { axiosSpec } from "./axios.js";
import { ferryFetchSpec, ferryUndiciSpec } from "./ferry.js";
import { nodeGlobalFetchSpec, undiciFetchSpec } from "./fetch-like.js";
import { gotSpec } from "./got.js";
import { kySpec } from "./ky.js";
import { nodeFetchSpec } from "./node-fetch.js";
import type { ClientSpec } from "./types.js";
import { undiciRequestSpec } from "./undici-request.js";

export type { BenchClient, ClientSpec, Target, UploadSource } from "./types.js";

/** The clients, baseline first, Ferry last. */
export const CLIENTS: readonly ClientSpec[] = [
  undiciRequestSpec,
  undiciFetchSpec,
  nodeGlobalFetchSpec,
  axiosSpec,
  gotSpec,
  kySpec,
  nodeFetchSpec,
  ferryUndiciSpec,
  ferryFetchSpec,
];

/** The client each Ferry ratio is read against first: the target is relative to it. */
export const BASELINE = undiciRequestSpec.name;

/** Looks a client up by name, for the child processes that run one client each. */
export function clientNamed(name: string): ClientSpec {
  const spec = CLIENTS.find((candidate) => candidate.name === name);
  if (spec === undefined) throw new RangeError(`no client named ${JSON.stringify(name)}`);
  return spec;
}

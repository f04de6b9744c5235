/**
 * The entry module of a `SyncClient`'s worker thread on Node: its requests are sent by the transports `ferry`
 * builds for an async `Client` with the same options (`UndiciTransport`s).
 *
 * @module
 */
import { workerData } from "node:worker_threads";
import { runtime } from "@ferry/core";
import "../node.js";
import type { WorkerData } from "./protocol.js";
import { serve } from "./worker-host.js";

serve(workerData as WorkerData, (options) => {
  const create = runtime.transportFactory;
  if (create === undefined) throw new Error("No transport factory is registered in the worker thread.");
  return create(options);
});

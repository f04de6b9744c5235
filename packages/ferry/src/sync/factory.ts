/**
 * The blocking transports `ferry` gives each `SyncClient` on Node.
 *
 * @module
 */
import type { Worker } from "node:worker_threads";
import { runtime, type SyncTransportFactory, type TransportFactoryOptions } from "@ferry/core";
import { WorkerChannel } from "./channel.js";
import { WorkerTransport } from "./worker-transport.js";

let workerScript: URL = new URL("./worker.js", import.meta.url);
let workerObserver: ((worker: Worker) => void) | undefined;

/**
 * Sets the module a SyncClient's worker thread runs. For Ferry's own tests, which run the TypeScript sources and
 * so need a bundled worker.
 *
 * @internal
 */
export function setWorkerScript(script: URL): void {
  workerScript = script;
}

/**
 * Hands each worker thread a SyncClient starts from now on to `observer` (`undefined` to stop). For Ferry's own
 * tests, which stop workers to see that a SyncClient recovers.
 *
 * @internal
 */
export function observeWorkers(observer: ((worker: Worker) => void) | undefined): void {
  workerObserver = observer;
}

/**
 * Builds the transports of one SyncClient: its default transport and proxy mounts share one worker thread,
 * started on the first request, started afresh by the request after it dies, and ended when the last of them is
 * closed.
 */
export const workerTransportFactory: SyncTransportFactory = () => {
  const channel = new WorkerChannel(workerScript, (worker) => workerObserver?.(worker));
  return (options) => {
    checkOptions(options);
    return new WorkerTransport(channel, options);
  };
};

/**
 * Builds, and drops unused, the transport the worker will build from `options`, so that options it refuses (an
 * unreadable CA bundle, a bad certificate) fail when the SyncClient is built, as they do for a Client.
 */
function checkOptions(options: TransportFactoryOptions): void {
  const transport = runtime.transportFactory?.(options);
  transport?.close().catch(() => {});
}

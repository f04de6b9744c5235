/**
 * The blocking transports `ferry` gives each `SyncClient` on Node.
 *
 * @module
 */
import { runtime, type SyncTransportFactory, type TransportFactoryOptions } from "@ferry/core";
import { WorkerChannel } from "./channel.js";
import { WorkerTransport } from "./worker-transport.js";

let workerScript: URL = new URL("./worker.js", import.meta.url);

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
 * Builds the transports of one SyncClient: its default transport and proxy mounts share one worker thread,
 * started on the first request and ended when the last of them is closed.
 */
export const workerTransportFactory: SyncTransportFactory = () => {
  const channel = new WorkerChannel(workerScript);
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

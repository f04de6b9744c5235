/**
 * What a `SyncClient` needs from its transports: a blocking `handleRequestSync()` (the `SyncTransport` of
 * drive.ts) and, optionally, a blocking `closeSync()`; and how the runtime builds them.
 *
 * @module
 */
import type { BaseTransport } from "../base-transport.js";
import type { Request } from "../request.js";
import type { TransportFactory, TransportFactoryOptions } from "../runtime.js";
import type { SyncTransport } from "./drive.js";
import { show } from "./options.js";
import { MissingTransport } from "./transports.js";

/** A transport a `SyncClient` can use: it sends, and may close, without waiting on the event loop. */
export type BlockingTransport = BaseTransport & SyncTransport & { closeSync?(): void };

/**
 * Builds the blocking transports of one `SyncClient`. Called once per client; the factory it returns builds that
 * client's default transport and the transports of its proxy mounts, which may share one resource (on Node, one
 * worker thread per client).
 */
export type SyncTransportFactory = () => (options: TransportFactoryOptions) => BlockingTransport;

/** Whether `transport` can send requests synchronously. */
export function isSyncTransport(transport: BaseTransport): transport is BlockingTransport {
  return typeof (transport as Partial<SyncTransport>).handleRequestSync === "function";
}

/**
 * Checks, at construction, that the `transport` and `mounts` a `SyncClient` is given can send synchronously, so
 * that an async-only transport is refused when the client is built rather than on its first request.
 *
 * @throws TypeError naming the option and the transport.
 */
export function checkSyncTransports(options: unknown): void {
  if (options === null || typeof options !== "object") return;
  const { transport, mounts } = options as { transport?: unknown; mounts?: unknown };
  checkSyncTransport("transport", transport);
  if (mounts !== null && typeof mounts === "object") {
    for (const [pattern, mounted] of Object.entries(mounts))
      checkSyncTransport(`mounts["${pattern}"]`, mounted);
  }
}

function checkSyncTransport(option: string, value: unknown): void {
  if (value === undefined || value === null || typeof value !== "object") return;
  if (typeof (value as { handleRequest?: unknown }).handleRequest !== "function") return;
  if (isSyncTransport(value as BaseTransport)) return;
  throw new TypeError(
    `Invalid SyncClient option ${show(option)}: ${show(value)} cannot send requests synchronously (it has no ` +
      'handleRequestSync() method). Leave "transport" out and a SyncClient builds its own blocking transport ' +
      "from its network options (verify, cert, http1, http2, limits, proxy), or give it a transport that can " +
      "send synchronously, such as a MockTransport.",
  );
}

/**
 * Closes `transport` without waiting: with its `closeSync()` when it has one, else its `close()` is started and
 * left to finish on the event loop (a failure of it is reported to the caller when it happens synchronously).
 */
export function closeTransportSync(transport: BaseTransport): void {
  const closable = transport as BaseTransport & { closeSync?: () => void };
  if (typeof closable.closeSync === "function") {
    closable.closeSync();
    return;
  }
  // The caller cannot wait for the promise; a late failure must not surface as an unhandled rejection.
  transport.close().catch(() => {});
}

function missingBlockingTransport(request: Request): string {
  return (
    `No transport to send ${request.method} ${request.url} with: a SyncClient needs a blocking transport, and ` +
    'none is registered for this runtime (the "ferry" package registers one on Node). Give it a transport ' +
    "that answers synchronously: new SyncClient({ transport })."
  );
}

/** The factory of a SyncClient's blocking transports: the runtime's, else one whose transports explain why not. */
export function syncTransportFactory(create: SyncTransportFactory | undefined): TransportFactory {
  return create?.() ?? (() => new MissingTransport(missingBlockingTransport));
}

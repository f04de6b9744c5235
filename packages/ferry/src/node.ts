/**
 * The entry of `ferry` on Node.js: node:zlib's decoders and the process environment come from `@ferry/core/node`,
 * and a Client's default transport (and the transport of each proxy mount) is an {@link UndiciTransport} built from
 * the Client's `verify`, `cert`, `http1`, `http2`, `limits`, `proxy` and `trustEnv`.
 *
 * @module
 */
import "@ferry/core/node";
import { setSyncTransportFactory, setTransportFactory, type TransportFactoryOptions } from "@ferry/core";
import { UndiciTransport, type VerifyTypes } from "@ferry/transport-undici";
import { workerTransportFactory } from "./sync/factory.js";

function createUndiciTransport(options: TransportFactoryOptions): UndiciTransport {
  return new UndiciTransport({
    // The Client checks that `verify` is a boolean, a path or an object; the object form is Node TLS options.
    verify: options.verify as VerifyTypes,
    cert: options.cert,
    http1: options.http1,
    http2: options.http2,
    limits: options.limits,
    proxy: options.proxy,
    trustEnv: options.trustEnv,
  });
}

setTransportFactory(createUndiciTransport);
// A SyncClient's requests go to UndiciTransports built by the same factory, on a worker thread.
setSyncTransportFactory(workerTransportFactory);

export * from "./index.js";
/** Raised by a `SyncClient` request whose worker thread exited before the response was complete. */
export { WorkerExited } from "./sync/errors.js";

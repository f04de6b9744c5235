import { Limits } from "@ferry/core";
import { certs } from "@ferry/test-servers";
import { describeTransport } from "@ferry/transport-conformance/vitest";
import { Retry, RetryTransport } from "@ferry/transport-retry";
import { UndiciTransport } from "@ferry/transport-undici";

const retry = new Retry({ total: 2 });

describeTransport(
  "RetryTransport",
  () => new RetryTransport({ transport: new UndiciTransport({ verify: certs.caPath, http2: true }), retry }),
  {
    supports: { http2: true },
    tls: { cert: certs.serverCert, key: certs.serverKey },
    createPooled: () =>
      new RetryTransport({
        transport: new UndiciTransport({ limits: new Limits({ maxConnections: 1 }) }),
        retry,
      }),
  },
);

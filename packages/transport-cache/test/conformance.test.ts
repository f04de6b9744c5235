import { Limits } from "@ferry/core";
import { certs } from "@ferry/test-servers";
import { CacheTransport } from "@ferry/transport-cache";
import { describeTransport } from "@ferry/transport-conformance/vitest";
import { UndiciTransport } from "@ferry/transport-undici";

describeTransport(
  "CacheTransport",
  () => new CacheTransport({ transport: new UndiciTransport({ verify: certs.caPath, http2: true }) }),
  {
    supports: { http2: true },
    tls: { cert: certs.serverCert, key: certs.serverKey },
    createPooled: () =>
      new CacheTransport({ transport: new UndiciTransport({ limits: new Limits({ maxConnections: 1 }) }) }),
  },
);

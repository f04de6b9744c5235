import { Limits } from "@ferry/core";
import { certs } from "@ferry/test-servers";
import { describeTransport } from "@ferry/transport-conformance/vitest";
import { UndiciTransport } from "@ferry/transport-undici";

describeTransport("UndiciTransport", () => new UndiciTransport({ verify: certs.caPath, http2: true }), {
  supports: { http2: true },
  tls: { cert: certs.serverCert, key: certs.serverKey },
  createPooled: () => new UndiciTransport({ limits: new Limits({ maxConnections: 1 }) }),
});

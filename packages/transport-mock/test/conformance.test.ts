import { describeTransport } from "@ferry/transport-conformance/vitest";
import { AppTransport, MockTransport } from "@ferry/transport-mock";

// In-process transports open no sockets: the network cases (refused connections, resets, connect and pool timeouts,
// sockets released by close) and the write phase do not apply.
const inProcess = { network: false, connectTimeout: false, writeTimeout: false } as const;

describeTransport("AppTransport", ({ app }) => new AppTransport({ listener: app }), { supports: inProcess });

// A MockTransport whose handler hands each request to the suite's app: what the transport itself does with a request
// and the handler's response is checked. It reads the request body before calling the handler.
describeTransport(
  "MockTransport",
  ({ app }) => {
    const application = new AppTransport({ listener: app });
    return new MockTransport((request) => application.handleRequest(request));
  },
  { supports: { ...inProcess, uploadStreaming: false, closedRejects: false } },
);

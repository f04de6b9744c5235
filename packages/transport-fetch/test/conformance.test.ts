import { describeTransport } from "@ferry/transport-conformance/vitest";
import { FetchTransport } from "@ferry/transport-fetch";

// What a standard fetch cannot do: it joins repeated request headers, has no connect phase of its own, and shares
// the runtime's connection pool, which it cannot close. FetchTransport does not refuse requests after close() yet.
describeTransport("FetchTransport", () => new FetchTransport(), {
  supports: { headerOrder: false, connectTimeout: false, closeConnections: false },
});

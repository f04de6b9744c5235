import { Client, DEFAULT_LIMITS, Limits, runtime, type TransportFactoryOptions } from "@ferry/core";
import { startHttpServer } from "@ferry/test-servers";
import { FetchTransport } from "@ferry/transport-fetch";
import { describe, expect, it } from "vitest";
import "../src/default.js";

const network: TransportFactoryOptions = {
  verify: true,
  cert: null,
  http1: true,
  http2: false,
  limits: DEFAULT_LIMITS,
  proxy: null,
  trustEnv: true,
};

describe("ferry's default entry (runtimes other than Node)", () => {
  it("makes FetchTransport the default transport", () => {
    expect(runtime.transportFactory?.(network)).toBeInstanceOf(FetchTransport);
  });

  it("sends a Client's requests through fetch", async () => {
    await using server = await startHttpServer((req, res) => res.end(`hello ${req.url}`));
    await using client = new Client({ baseUrl: server.url, trustEnv: false });
    const response = await client.get("/there");
    expect(response.text).toBe("hello /there");
  });

  it.each<readonly [string, Partial<TransportFactoryOptions>, RegExp]>([
    ["limits", { limits: new Limits({ maxConnections: 1 }) }, /option 'limits' cannot be honoured in Node/],
    ["http1: false", { http1: false, http2: true }, /'http1: false' cannot be honoured in Node/],
    ["http2: true", { http2: true }, /'http2: true' cannot be honoured in Node: its fetch speaks HTTP\/1.1/],
    ["verify: false", { verify: false }, /cannot honour 'verify: false' in Node/],
    ["cert", { cert: "/tmp/client.pem" }, /cannot honour 'cert' in Node/],
  ])("refuses %s at construction, naming the runtime", (_name, options, message) => {
    expect(() => runtime.transportFactory?.({ ...network, ...options })).toThrow(message);
  });

  it("refuses a Client whose options fetch cannot honour when it is built", () => {
    expect(() => new Client({ limits: new Limits({ maxConnections: 1 }), trustEnv: false })).toThrow(
      TypeError,
    );
  });
});

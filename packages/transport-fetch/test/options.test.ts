import { Request } from "@ferry/core";
import { FetchTransport, type FetchTransportOptions } from "@ferry/transport-fetch";
import { describe, expect, it } from "vitest";

describe("FetchTransport options are checked at construction", () => {
  it.each<readonly [string, unknown, RegExp]>([
    ["an unknown option", { limits: {} }, /no option 'limits'/],
    ["a fetch that is not a function", { fetch: "fetch" }, /'fetch' must be a function, got "fetch"/],
    ["an init that is not an object", { init: [] }, /'init' must be an object, got an array/],
    ["init.method", { init: { method: "POST" } }, /'init.method' cannot be given/],
    ["init.redirect", { init: { redirect: "follow" } }, /'init.redirect' cannot be given/],
    ["init.signal", { init: { signal: new AbortController().signal } }, /'init.signal' cannot be given/],
    ["init.mode no-cors", { init: { mode: "no-cors" } }, /'init.mode' cannot be "no-cors"/],
    ["a browser flag that is not a boolean", { browser: "yes" }, /'browser' must be a boolean, got "yes"/],
    ["decodedEncodings of the wrong type", { decodedEncodings: "gzip" }, /'decodedEncodings' must be "all"/],
    ["a proxy on Node", { proxy: "http://proxy:3128" }, /cannot honour 'proxy' in Node.*UndiciTransport/],
    ["a client certificate on Node", { cert: "/tmp/cert.pem" }, /cannot honour 'cert' in Node/],
    ["verify: false on Node", { verify: false }, /cannot honour 'verify: false' in Node/],
    ["a CA bundle on Node", { verify: "/tmp/ca.pem" }, /cannot honour 'verify' in Node/],
  ])("refuses %s with a TypeError naming it", (_name, options, message) => {
    expect(() => new FetchTransport(options as FetchTransportOptions)).toThrow(TypeError);
    expect(() => new FetchTransport(options as FetchTransportOptions)).toThrow(message);
  });

  it("accepts verify: true, a null proxy and a null cert, which ask for nothing", () => {
    expect(() => new FetchTransport({ verify: true, proxy: null, cert: null })).not.toThrow();
  });

  it("sends the extra init members with every request, and calls the given fetch", async () => {
    const calls: RequestInit[] = [];
    const recording = async (_input: string, init: RequestInit): Promise<globalThis.Response> => {
      calls.push(init);
      return new globalThis.Response("ok");
    };
    const transport = new FetchTransport({
      fetch: recording,
      init: { credentials: "include", cache: "no-store" },
    });
    await transport.handleRequest(new Request("GET", "http://example.com/"));
    expect(calls[0]).toMatchObject({
      credentials: "include",
      cache: "no-store",
      method: "GET",
      redirect: "manual",
    });
  });

  it("detects the runtime it runs in", () => {
    expect(new FetchTransport().runtime).toBe("node");
  });
});

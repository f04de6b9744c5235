import { Headers, registerDecoder, runtime, supportedEncodings, VERSION } from "@ferry/core";
import { describe, expect, it } from "vitest";
import { type Echo, echoClient, echoedHeaders } from "./helpers.js";

const URL_ = "http://example.org/echo_headers";

function defaults(): Record<string, string> {
  return {
    host: "example.org",
    accept: "*/*",
    "accept-encoding": supportedEncodings().join(", "),
    connection: "keep-alive",
    "user-agent": `ferry/${VERSION}`,
  };
}

describe("client headers", () => {
  it("sends Host, then the defaults in httpx's order, then the client's headers", async () => {
    const response = await echoClient({ headers: { "Example-Header": "example-value" } }).get(URL_);
    expect(response.json<Echo>().headers).toEqual([
      ["Host", "example.org"],
      ["Accept", "*/*"],
      ["Accept-Encoding", supportedEncodings().join(", ")],
      ["Connection", "keep-alive"],
      ["User-Agent", `ferry/${VERSION}`],
      ["Example-Header", "example-value"],
    ]);
  });

  it("lists only the decoders this runtime has in Accept-Encoding", async () => {
    expect(supportedEncodings().slice(0, 2)).toEqual(["gzip", "deflate"]);
    const saved = new Map(runtime.decoders);
    try {
      registerDecoder("br", () => ({ decode: (data) => data, flush: () => new Uint8Array() }));
      const client = echoClient();
      expect(client.headers.get("accept-encoding")).toBe(supportedEncodings().join(", "));
      expect(client.headers.get("accept-encoding")).toContain("br");
    } finally {
      runtime.decoders.clear();
      for (const [name, factory] of saved) runtime.decoders.set(name, factory);
    }
  });

  it("lets client headers replace a default", async () => {
    const client = echoClient({ headers: { "User-Agent": "myclient/0.2.1" } });
    const response = await client.get(URL_, { headers: { "X-Auth-Token": "FooBarBazToken" } });
    expect(echoedHeaders(response)).toEqual({
      ...defaults(),
      "user-agent": "myclient/0.2.1",
      "x-auth-token": "FooBarBazToken",
    });
  });

  it("lets request headers replace the client's, all values of a name", async () => {
    const client = echoClient({
      headers: [
        ["X-Auth-Token", "FooBar"],
        ["X-Auth-Token", "Other"],
      ],
    });
    const response = await client.get(URL_, { headers: { "x-auth-token": "BazToken" } });
    expect(echoedHeaders(response)).toEqual({ ...defaults(), "x-auth-token": "BazToken" });
  });

  it("sees changes made to client.headers on later requests", async () => {
    const client = echoClient();
    const first = await client.get(URL_);
    client.headers.update({ "User-Agent": "myclient/0.2.1", "Another-Header": "AThing" });
    const second = await client.get(URL_);
    expect(echoedHeaders(first)).toEqual(defaults());
    expect(echoedHeaders(second)).toEqual({
      ...defaults(),
      "user-agent": "myclient/0.2.1",
      "another-header": "AThing",
    });
  });

  it("keeps the defaults when client.headers is assigned", () => {
    const client = echoClient();
    client.headers = { a: "b" };
    expect(client.headers).toBeInstanceOf(Headers);
    expect(client.headers.get("A")).toBe("b");
    expect(client.headers.get("accept")).toBe("*/*");
  });

  it("sends repeated request headers", async () => {
    const response = await echoClient().get(URL_, {
      headers: [
        ["x-header", "1"],
        ["x-header", "2,3"],
      ],
    });
    const repeated = response.json<Echo>().headers.filter(([name]) => name === "x-header");
    expect(repeated).toEqual([
      ["x-header", "1"],
      ["x-header", "2,3"],
    ]);
  });

  it.each([
    ["http://username:password@example.org:80/echo_headers", "example.org"],
    ["http://username:password@example.org:123/echo_headers", "example.org:123"],
  ])("sends Host without userinfo or a default port for %s", async (url, host) => {
    const headers = echoedHeaders(await echoClient().get(url));
    expect(headers["host"]).toBe(host);
    expect(headers["authorization"]).toBe("Basic dXNlcm5hbWU6cGFzc3dvcmQ=");
  });

  it("does not change the client's headers when a request adds some", async () => {
    const client = echoClient();
    await client.get(URL_, { headers: { "X-Once": "1" } });
    expect(client.headers.has("x-once")).toBe(false);
  });
});

import { Client, type ClientOptions, Response, runtime, type TransportFactoryOptions } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { named } from "./behaviours/harness.js";

async function carrier(client: Client, url: string): Promise<unknown> {
  return (await client.get(url)).json();
}

describe("missing transport", () => {
  const saved = runtime.transportFactory;
  beforeEach(() => {
    runtime.transportFactory = undefined;
  });
  afterEach(() => {
    runtime.transportFactory = saved;
  });

  it("says what to install when there is no transport and no factory", async () => {
    const client = new Client();
    await expect(client.get("https://example.org/")).rejects.toThrow(
      /No transport to send GET https:\/\/example\.org\/ with: .*"ferry" package.*new Client\(\{ transport \}\)/,
    );
  });
});

describe("proxies", () => {
  const savedFactory = runtime.transportFactory;
  const savedEnv = runtime.env;
  beforeEach(() => {
    // Each transport the factory builds answers with the proxy it was built for.
    runtime.transportFactory = (options: TransportFactoryOptions) =>
      new MockTransport(
        () => new Response(200, { json: options.proxy === null ? null : String(options.proxy.url) }),
      );
    runtime.env = () => ({});
  });
  afterEach(() => {
    runtime.transportFactory = savedFactory;
    runtime.env = savedEnv;
  });

  function proxyFor(
    url: string,
    options: ClientOptions = {},
    env: Record<string, string> = {},
  ): Promise<unknown> {
    runtime.env = () => env;
    return carrier(new Client(options), url);
  }

  it("sends everything through the proxy option", async () => {
    expect(await proxyFor("https://example.org/", { proxy: "http://proxy.test:3128" })).toBe(
      "http://proxy.test:3128",
    );
  });

  it("lets the proxy option replace the environment's proxies", async () => {
    expect(await proxyFor("http://a.test/", { proxy: "http://mine:1" }, { HTTP_PROXY: "http://env:2" })).toBe(
      "http://mine:1",
    );
  });

  it("lets mounts take precedence over the proxy", async () => {
    const options = { proxy: "http://proxy.test:3128", mounts: { "https://a.test": named("mounted") } };
    expect(await proxyFor("https://a.test/", options)).toBe("mounted");
    expect(await proxyFor("https://b.test/", options)).toBe("http://proxy.test:3128");
  });

  it.each<[string, Record<string, string>, string | null]>([
    ["http://google.com", {}, null],
    ["http://google.com", { HTTP_PROXY: "http://example.com" }, "http://example.com"],
    ["http://google.com", { http_proxy: "http://example.com" }, "http://example.com"],
    ["http://google.com", { HTTP_PROXY: "example.com" }, "http://example.com"],
    ["https://google.com", { HTTP_PROXY: "http://example.com" }, null],
    ["https://google.com", { HTTPS_PROXY: "http://example.com" }, "http://example.com"],
    ["http://google.com", { HTTP_PROXY: "http://example.com", NO_PROXY: "google.com" }, null],
    ["http://127.0.0.1", { ALL_PROXY: "http://localhost:123", NO_PROXY: "" }, "http://localhost:123"],
    ["http://127.0.0.1", { ALL_PROXY: "http://localhost:123", NO_PROXY: "127.0.0.1" }, null],
    [
      "http://127.0.0.1",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "https://127.0.0.1" },
      "http://localhost:123",
    ],
    ["http://127.0.0.1", { ALL_PROXY: "http://localhost:123", NO_PROXY: "1.1.1.1" }, "http://localhost:123"],
    ["http://10.1.2.3", { ALL_PROXY: "http://localhost:123", NO_PROXY: "10.0.0.0/8" }, null],
    [
      "http://11.1.2.3",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "10.0.0.0/8" },
      "http://localhost:123",
    ],
    ["http://[::1]:8000", { ALL_PROXY: "http://localhost:123", NO_PROXY: "::1" }, null],
    ["http://[fe80::1]", { ALL_PROXY: "http://localhost:123", no_proxy: "fe80::/10" }, null],
    ["http://localhost:8000", { ALL_PROXY: "http://localhost:123", NO_PROXY: "localhost" }, null],
    ["http://courses.mit.edu", { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu" }, null],
    [
      "https://mit.edu.info",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu" },
      "http://localhost:123",
    ],
    ["https://mit.edu.info", { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu,edu.info" }, null],
    ["https://mit.edu.info", { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu, edu.info" }, null],
    [
      "https://mit.edu.info",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu,mit.info" },
      "http://localhost:123",
    ],
    [
      "https://foo.example.com",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "www.example.com" },
      "http://localhost:123",
    ],
    ["https://www.example1.com", { ALL_PROXY: "http://localhost:123", NO_PROXY: ".example1.com" }, null],
    [
      "https://example1.com",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: ".example1.com" },
      "http://localhost:123",
    ],
    [
      "https://www.example2.com",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "ample2.com" },
      "http://localhost:123",
    ],
    ["https://www.example3.com", { ALL_PROXY: "http://localhost:123", NO_PROXY: "*" }, null],
  ])("sends %s with env %j through proxy %s", async (url, env, expected) => {
    expect(await proxyFor(url, {}, env)).toBe(expected);
  });

  it("ignores the environment without trustEnv", async () => {
    expect(await proxyFor("http://a.test/", { trustEnv: false }, { HTTP_PROXY: "http://env:2" })).toBeNull();
  });

  it("ignores the environment when a transport is given", async () => {
    const client = new Client({ transport: named("given") });
    runtime.env = () => ({ HTTP_PROXY: "http://env:2" });
    expect(await carrier(new Client({ transport: named("given") }), "http://a.test/")).toBe("given");
    expect(await carrier(client, "http://a.test/")).toBe("given");
  });
});

import {
  Client,
  type ClientOptions,
  Response,
  runtime,
  type TransportFactoryOptions,
  UnsupportedProtocol,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** A transport that answers with its name, so a test sees which one carried a request. */
function named(name: string): MockTransport {
  return new MockTransport(() => new Response(200, { json: name }));
}

async function carrier(client: Client, url: string): Promise<unknown> {
  return (await client.get(url)).json();
}

describe("mounts", () => {
  it("sends to a mounted transport by scheme, the rest to the default transport", async () => {
    const client = new Client({ transport: named("unmounted"), mounts: { "custom://": named("mounted") } });
    expect(await carrier(client, "https://www.example.com")).toBe("unmounted");
    expect(await carrier(client, "custom://www.example.com")).toBe("mounted");
  });

  it("sends everything to an all:// mount, with no default transport at all", async () => {
    const client = new Client({ mounts: { "all://": named("mounted") } });
    expect(await carrier(client, "https://www.example.com")).toBe("mounted");
  });

  it.each([
    ["http://example.com", {}, "default"],
    ["http://example.com", { "https://": "a" }, "default"],
    ["http://example.com", { "http://example.net": "a" }, "default"],
    ["http://example.com", { "http://*": "a" }, "a"],
    ["https://example.com", { "http://*": "a" }, "default"],
    ["http://example.com", { "http://example.com": "a" }, "a"],
    ["http://www.example.com", { "http://example.com": "a" }, "default"],
    ["http://example.com", { "http://*.example.com": "a" }, "default"],
    ["http://www.example.com", { "http://*.example.com": "a" }, "a"],
    ["http://example.com", { "http://*example.com": "a" }, "a"],
    ["http://www.example.com", { "http://*example.com": "a" }, "a"],
    ["http://wwwexample.com", { "http://*example.com": "a" }, "default"],
    ["http://example.com:443", { "http://example.com": "a" }, "a"],
    ["http://example.com", { "all://": "a" }, "a"],
    ["http://example.com", { "all://example.com": "a" }, "a"],
    ["http://example.com", { "http://example.com:80": "a" }, "a"],
    ["http://example.com:8080", { "http://example.com:8080": "a" }, "a"],
    ["http://example.com:8080", { "http://example.com": "a" }, "a"],
    [
      "http://example.com",
      { "all://": "1", "http://": "2", "all://example.com": "3", "http://example.com": "4" },
      "4",
    ],
    ["http://example.com", { "all://": "1", "http://": "2", "all://example.com": "3" }, "3"],
    ["http://example.com", { "all://": "1", "http://": "2" }, "2"],
    ["http://example.com:8080", { "all://example.com": "1", "all://*:8080": "2" }, "2"],
    ["http://example.com", { "all://example.com": null, "all://": "1" }, "default"],
  ])("sends %s with mounts %j to %s", async (url, mounts, expected) => {
    const transports = Object.fromEntries(
      Object.entries(mounts).map(([pattern, name]) => [pattern, name === null ? null : named(name)]),
    );
    const client = new Client({ transport: named("default"), mounts: transports });
    expect(await carrier(client, url)).toBe(expected);
  });

  it.each([
    ["ftp://example.org/", "Request URL has an unsupported protocol 'ftp://'."],
    ["invalid://example.org", "Request URL has an unsupported protocol 'invalid://'."],
    ["example.org/path", "Request URL is missing an 'http://' or 'https://' protocol."],
    ["/path", "Request URL is missing an 'http://' or 'https://' protocol."],
  ])("raises UnsupportedProtocol for %s without a mount", async (url, message) => {
    const client = new Client({ transport: named("default") });
    const error = await client.get(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedProtocol);
    expect((error as UnsupportedProtocol).message).toBe(message);
    expect((error as UnsupportedProtocol).request.url.toString()).toBe(url);
  });

  it("raises UnsupportedProtocol for a null mount of another scheme", async () => {
    const client = new Client({ transport: named("default"), mounts: { "ftp://": null } });
    await expect(client.get("ftp://example.org/")).rejects.toThrow(UnsupportedProtocol);
  });

  it("raises for an http URL without a host", async () => {
    await expect(new Client({ transport: named("default") }).get("http://")).rejects.toThrow(
      /missing a host/,
    );
  });

  it("closes every transport once, mounts included", async () => {
    const closed: string[] = [];
    const closing = (name: string) => {
      const transport = named(name);
      transport.close = async () => {
        closed.push(name);
      };
      return transport;
    };
    const shared = closing("shared");
    const client = new Client({
      transport: closing("default"),
      mounts: { "https://a.test": shared, "https://b.test": shared, "https://c.test": null },
    });
    await client.close();
    await client.close();
    expect(closed).toEqual(["default", "shared"]);
  });
});

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

  it("still sends to mounted transports", async () => {
    const client = new Client({ mounts: { "https://example.org": named("mounted") } });
    expect(await carrier(client, "https://example.org/")).toBe("mounted");
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

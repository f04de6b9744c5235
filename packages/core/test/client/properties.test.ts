import {
  BaseTransport,
  Client,
  DEFAULT_LIMITS,
  Limits,
  Proxy as ProxyConfig,
  type Request,
  type Response,
  Timeout,
  URL,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

describe("client properties", () => {
  it.each([
    ["https://www.example.org/", "https://www.example.org/"],
    ["https://www.example.org/path", "https://www.example.org/path/"],
    ["https://www.example.org/path/", "https://www.example.org/path/"],
    ["https://www.example.org", "https://www.example.org"],
  ])("normalises baseUrl %s to %s", (given, expected) => {
    const client = new Client();
    client.baseUrl = given;
    expect(client.baseUrl).toBeInstanceOf(URL);
    expect(String(client.baseUrl)).toBe(expected);
    expect(String(new Client({ baseUrl: new URL(given) }).baseUrl)).toBe(expected);
  });

  it("has an empty baseUrl by default", () => {
    expect(String(new Client().baseUrl)).toBe("");
  });

  it("normalises an assigned timeout", () => {
    const client = new Client();
    client.timeout = 12_000;
    expect(client.timeout).toBeInstanceOf(Timeout);
    expect(client.timeout.asExtension()).toEqual({
      connect: 12_000,
      read: 12_000,
      write: 12_000,
      pool: 12_000,
    });
    client.timeout = null;
    expect(client.timeout.asExtension()).toEqual({ connect: null, read: null, write: null, pool: null });
  });

  it("has httpx's defaults", () => {
    const client = new Client();
    expect(client.timeout.asExtension()).toEqual({ connect: 5000, read: 5000, write: 5000, pool: 5000 });
    expect(client.followRedirects).toBe(false);
    expect(client.maxRedirects).toBe(20);
    expect(client.trustEnv).toBe(true);
    expect(client.auth).toBeNull();
    expect(client.params.size).toBe(0);
    expect(client.cookies.size).toBe(0);
    expect(client.eventHooks).toEqual({ request: [], response: [] });
    expect(client.isClosed).toBe(false);
  });

  it("reads trustEnv", () => {
    expect(new Client({ trustEnv: false }).trustEnv).toBe(false);
  });

  it("validates assigned followRedirects and maxRedirects", () => {
    const client = new Client();
    client.followRedirects = true;
    client.maxRedirects = 3;
    expect([client.followRedirects, client.maxRedirects]).toEqual([true, 3]);
    expect(() => {
      client.followRedirects = "yes" as never;
    }).toThrow(new TypeError('Invalid Client option "followRedirects": "yes" (expected true or false).'));
    expect(() => {
      client.maxRedirects = -1;
    }).toThrow(RangeError);
  });
});

describe("client options", () => {
  it("accepts every option of the API", () => {
    const transport = new MockTransport(() => {
      throw new Error("unused");
    });
    const client = new Client({
      auth: ["user", "pass"],
      params: { a: "1" },
      headers: { "X-A": "1" },
      cookies: { c: "1" },
      verify: false,
      cert: ["cert.pem", "key.pem"],
      trustEnv: false,
      http1: true,
      http2: true,
      proxy: "http://proxy.test:3128",
      limits: new Limits({ maxConnections: 10 }),
      mounts: { "https://other.test": transport },
      timeout: { connect: 1, read: 2, write: 3, pool: 4 },
      followRedirects: true,
      maxRedirects: 5,
      eventHooks: { request: [], response: [] },
      baseUrl: "https://api.test/v1",
      transport,
      defaultEncoding: "latin1",
    });
    expect(client.timeout.asExtension()).toEqual({ connect: 1, read: 2, write: 3, pool: 4 });
  });

  it.each<[string, Record<string, unknown>, RegExp | string]>([
    ["an unknown option", { follow: true }, 'Unknown Client option "follow" (given true).'],
    ["a snake_case option", { follow_redirects: true }, /Did you mean "followRedirects"\?/],
    ["a misspelt option", { maxRedirect: 3 }, /Did you mean "maxRedirects"\?/],
    [
      "a mistyped boolean",
      { followRedirects: 1 },
      'Invalid Client option "followRedirects": 1 (expected true or false).',
    ],
    ["a mistyped trustEnv", { trustEnv: "no" }, /"trustEnv": "no"/],
    ["a mistyped http2", { http2: null }, /"http2": null/],
    ["no HTTP version", { http1: false }, /"http1": false/],
    [
      "a mistyped maxRedirects",
      { maxRedirects: "3" },
      'Invalid Client option "maxRedirects": "3" (expected a non-negative integer).',
    ],
    ["mistyped limits", { limits: { maxConnections: 1 } }, /"limits".*expected a Limits/],
    ["a mistyped transport", { transport: {} }, /"transport": \{\} \(expected a transport\)/],
    ["a mistyped mount", { mounts: { "all://": "x" } }, /mounts\["all:\/\/"\]": "x"/],
    ["mistyped mounts", { mounts: [] }, /"mounts"/],
    ["a bad mount pattern", { mounts: { http: null } }, /use "http:\/\/"/],
    ["a mistyped verify", { verify: 1 }, /"verify": 1/],
    ["a mistyped cert", { cert: 1 }, /"cert": 1/],
    ["a mistyped proxy", { proxy: 1 }, /"proxy": 1/],
    ["a mistyped baseUrl", { baseUrl: 1 }, /"baseUrl": 1/],
    ["a mistyped defaultEncoding", { defaultEncoding: 1 }, /"defaultEncoding": 1/],
  ])("rejects %s with a TypeError", (_, options, message) => {
    expect(() => new Client(options as never)).toThrow(TypeError);
    expect(() => new Client(options as never)).toThrow(message);
  });

  it.each<[string, Record<string, unknown>, RegExp | string]>([
    [
      "a negative maxRedirects",
      { maxRedirects: -1 },
      'Invalid Client option "maxRedirects": -1 (expected a non-negative integer).',
    ],
    ["a fractional maxRedirects", { maxRedirects: 1.5 }, /"maxRedirects": 1.5/],
    ["an unknown encoding", { defaultEncoding: "klingon" }, '"klingon" is not a known text encoding'],
    ["a negative timeout", { timeout: -1 }, /timeout/],
  ])("rejects %s with a RangeError", (_, options, message) => {
    expect(() => new Client(options as never)).toThrow(RangeError);
    expect(() => new Client(options as never)).toThrow(message);
  });

  it("rejects options that are not an object", () => {
    expect(() => new Client("https://example.org" as never)).toThrow(
      'Client options must be an object, got "https://example.org".',
    );
  });

  it("treats an option given as undefined as left out", () => {
    expect(new Client({ followRedirects: undefined, timeout: undefined }).followRedirects).toBe(false);
  });

  it("passes the network options to the runtime's transport factory", async () => {
    const { runtime } = await import("@ferry/core");
    const saved = runtime.transportFactory;
    const seen: unknown[] = [];
    class Recorded extends BaseTransport {
      async handleRequest(_: Request): Promise<Response> {
        throw new Error("unused");
      }
    }
    runtime.transportFactory = (options) => {
      seen.push(options);
      return new Recorded();
    };
    try {
      new Client({ verify: "/ca.pem", cert: "/cert.pem", http2: true, trustEnv: false });
      expect(seen).toEqual([
        {
          verify: "/ca.pem",
          cert: "/cert.pem",
          http1: true,
          http2: true,
          limits: DEFAULT_LIMITS,
          proxy: null,
          trustEnv: false,
        },
      ]);
      seen.length = 0;
      new Client({ proxy: new ProxyConfig("http://proxy.test:3128"), trustEnv: false });
      expect(seen).toHaveLength(2);
      expect((seen[1] as { proxy: ProxyConfig }).proxy.url.toString()).toBe("http://proxy.test:3128");
    } finally {
      runtime.transportFactory = saved;
    }
  });
});

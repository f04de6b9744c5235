import { describe, expect, it } from "vitest";
import { type PatternTarget, URLPattern } from "../src/url-pattern.js";

/** The scheme, host and port of a URL, read with the platform's URL parser. */
function target(url: string): PatternTarget {
  const parsed = new globalThis.URL(url);
  return {
    scheme: parsed.protocol.slice(0, -1),
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port === "" ? null : Number(parsed.port),
  };
}

describe("URLPattern", () => {
  it.each([
    ["http://example.com", "http://example.com", true],
    ["http://example.com", "https://example.com", false],
    ["http://example.com", "http://other.com", false],
    ["http://example.com:123", "http://example.com:123", true],
    ["http://example.com:123", "http://example.com:456", false],
    ["http://example.com:123", "http://example.com", false],
    ["http://example.com:80", "http://example.com", true],
    ["http://example.com:80", "http://example.com:8080", true],
    ["http://example.com", "http://example.com:8080", true],
    ["all://example.com", "http://example.com", true],
    ["all://example.com", "https://example.com", true],
    ["http://", "http://example.com", true],
    ["http://", "https://example.com", false],
    ["all://", "https://example.com:123", true],
    ["", "https://example.com:123", true],
    ["http://*", "http://example.com", true],
    ["http://*", "https://example.com", false],
    ["http://example.com", "http://www.example.com", false],
    ["http://*.example.com", "http://example.com", false],
    ["http://*.example.com", "http://www.example.com", true],
    ["http://*example.com", "http://example.com", true],
    ["http://*example.com", "http://www.example.com", true],
    ["http://*example.com", "http://wwwexample.com", false],
    ["HTTP://Example.COM", "http://example.com", true],
    ["all://127.0.0.1", "http://127.0.0.1:8000", true],
    ["all://127.0.0.1", "http://127.0.0.2", false],
    ["all://192.168.0.0/16", "http://192.168.4.5", true],
    ["all://192.168.0.0/16", "http://192.169.0.1", false],
    ["all://10.0.0.0/8", "http://example.com", false],
    ["all://[::1]", "http://[::1]:8000", true],
    ["all://[::1]", "http://[0:0:0:0:0:0:0:1]", true],
    ["all://[::1]", "http://127.0.0.1", false],
    ["all://[fe80::/10]", "http://[fe80::1]", true],
    ["all://[fe80::]/10", "http://[febf::1]", true],
    ["all://[fe80::/10]", "http://[fec0::1]", false],
    ["all://[::1]:8080", "http://[::1]:8080", true],
    ["all://[::1]:8080", "http://[::1]:8081", false],
  ])("%s matches %s: %s", (pattern, url, expected) => {
    expect(new URLPattern(pattern).matches(target(url))).toBe(expected);
  });

  it("sorts by priority: port first, then longer host, then longer scheme", () => {
    const written = [
      "all://",
      "http://",
      "all://example.com",
      "http://example.com",
      "http://example.com:123",
    ];
    const shuffled = [written[2], written[0], written[4], written[1], written[3]] as string[];
    const sorted = shuffled.map((p) => new URLPattern(p)).sort(URLPattern.compare);
    expect(sorted.map(String)).toEqual([
      "http://example.com:123",
      "http://example.com",
      "all://example.com",
      "http://",
      "all://",
    ]);
  });

  it("keeps the written order of patterns of equal priority", () => {
    const sorted = ["all://a.com", "all://b.com"].map((p) => new URLPattern(p)).sort(URLPattern.compare);
    expect(sorted.map(String)).toEqual(["all://a.com", "all://b.com"]);
  });

  it("exposes the parsed parts", () => {
    const pattern = new URLPattern("all://*.Example.com:8443");
    expect([pattern.scheme, pattern.host, pattern.port, pattern.pattern]).toEqual([
      "",
      "*.example.com",
      8443,
      "all://*.Example.com:8443",
    ]);
  });

  it.each(["http", "https", "all"])("rejects the bare scheme %s with a hint", (pattern) => {
    expect(() => new URLPattern(pattern)).toThrow(new RegExp(`use "${pattern}://"`));
  });

  it.each(["example.com", "http:/example.com", "http://example.com:99999", "http://example.com:x"])(
    "rejects %s with a TypeError",
    (pattern) => {
      expect(() => new URLPattern(pattern)).toThrow(TypeError);
    },
  );
});

import { describe, expect, it } from "vitest";
import { formatURL, isIPv4, isIPv6, parseURL, pyRepr, removeDotSegments } from "../src/url-parse.js";

describe("IP addresses", () => {
  it.each([
    ["1.2.3.4", true],
    ["0.0.0.0", true],
    ["255.255.255.255", true],
    ["256.1.1.1", false],
    ["01.1.1.1", false],
    ["1.2.3", false],
    ["1.2.3.4.5", false],
    ["1..2.3", false],
    ["1.2.3.4.", false],
    [".1.2.3", false],
    ["1.2.3.0400", false],
    ["1.2.3.00", false],
    ["10.0.0.010", false],
    ["1.2.3.a", false],
    ["", false],
  ])("IPv4 %s is valid: %s", (value, valid) => {
    expect(isIPv4(value)).toBe(valid);
  });

  it.each([
    ["::", true],
    ["::1", true],
    ["1:2:3:4:5:6:7:8", true],
    ["1:2:3:4:5:6:7::", true],
    ["::ffff:192.168.0.1", true],
    ["fe80::1%eth0", true],
    ["2001:db8::ff00:42:8329", true],
    ["2001", false],
    ["1::2::3", false],
    ["1:2:3:4:5:6:7:8:9", false],
    ["1:2:3:4:5:6:7:8::", false],
    [":1::2", false],
    ["12345::", false],
    ["::ffff:999.1.1.1", false],
    ["fe80::1%", false],
    ["g::1", false],
  ])("IPv6 %s is valid: %s", (value, valid) => {
    expect(isIPv6(value)).toBe(valid);
  });
});

describe("removeDotSegments", () => {
  it.each([
    ["/a/b/c", "/a/b/c"],
    ["/a/./b", "/a/b"],
    ["/a/../b", "/b"],
    ["/../a", "/a"],
    ["/a/b/..", "/a"],
    ["/a.b/c..", "/a.b/c.."],
  ])("normalises %s", (path, expected) => {
    expect(removeDotSegments(path)).toBe(expected);
  });
});

describe("parseURL", () => {
  it("tells an empty query from an absent one", () => {
    expect(parseURL("/a?").query).toBe("");
    expect(parseURL("/a").query).toBeNull();
    expect(parseURL("/a#").fragment).toBe("");
    expect(parseURL("/a").fragment).toBeNull();
  });

  it("lets overrides replace parsed components", () => {
    const components = parseURL("http://a.com/x?y", { host: "b.com", query: null, port: "8080" });
    expect(formatURL(components)).toBe("http://b.com:8080/x");
  });
});

describe("pyRepr", () => {
  it.each([
    ["abc", "'abc'"],
    ["it's", `"it's"`],
    [`'"`, `'\\'"'`],
    ["\n\t\x01", "'\\n\\t\\x01'"],
    ["a\\b", "'a\\\\b'"],
    ["a\u200db\u00a0", "'a\\u200db\\xa0'"],
    ["\u{e0001}", "'\\U000e0001'"],
  ])("formats %j", (value, expected) => {
    expect(pyRepr(value)).toBe(expected);
  });
});

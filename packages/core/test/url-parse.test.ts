import { describe, expect, it } from "vitest";
import {
  formatURL,
  isIPv4,
  isIPv6,
  PATH_SAFE,
  parseURL,
  pyRepr,
  QUERY_SAFE,
  quote,
  removeDotSegments,
  unquote,
} from "../src/url-parse.js";

describe("quote", () => {
  it.each([
    ["abc", PATH_SAFE, "abc"],
    ["a b", PATH_SAFE, "a%20b"],
    ["a%20b c", PATH_SAFE, "a%20b%20c"],
    ["100%", PATH_SAFE, "100%"],
    ["é🌟", PATH_SAFE, "%C3%A9%F0%9F%8C%9F"],
    ["?#{}`", PATH_SAFE, "%3F%23%7B%7D%60"],
    ["?{}`", QUERY_SAFE, "?{}`"],
    ["\ud800", PATH_SAFE, "%EF%BF%BD"],
  ])("quotes %j", (value, safe, expected) => {
    expect(quote(value, safe)).toBe(expected);
  });

  it("returns the same string when nothing needs escaping", () => {
    const value = "/already/fine";
    expect(quote(value, PATH_SAFE)).toBe(value);
  });
});

describe("unquote", () => {
  it.each([
    ["a%20b", "a b"],
    ["%C3%A9", "é"],
    ["%c3%a9", "é"],
    ["%FF", "\ufffd"],
    ["100%", "100%"],
    ["%zz%4", "%zz%4"],
    ["plain", "plain"],
  ])("decodes %j", (value, expected) => {
    expect(unquote(value)).toBe(expected);
  });
});

describe("IP addresses", () => {
  it.each([
    ["1.2.3.4", true],
    ["0.0.0.0", true],
    ["255.255.255.255", true],
    ["256.1.1.1", false],
    ["01.1.1.1", false],
    ["1.2.3", false],
    ["1.2.3.4.5", false],
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
  ])("formats %j", (value, expected) => {
    expect(pyRepr(value)).toBe(expected);
  });
});

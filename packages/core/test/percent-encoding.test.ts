import { describe, expect, it } from "vitest";
import {
  FRAGMENT_SAFE,
  HOST_SAFE,
  PATH_SAFE,
  percentEncodeCodePoint,
  QUERY_SAFE,
  quote,
  USERINFO_SAFE,
  USERNAME_SAFE,
  unquote,
} from "../src/percent-encoding.js";

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

describe("safe sets", () => {
  // Each row: the printable ASCII characters (besides unreserved ones) that a component escapes.
  it.each([
    ["path", PATH_SAFE, ' "#<>?`{}'],
    ["query", QUERY_SAFE, ' "#<>'],
    ["fragment", FRAGMENT_SAFE, ' "<>`'],
    ["userinfo", USERINFO_SAFE, ' "#/;<=>?@[\\]^`{|}'],
    ["username", USERNAME_SAFE, ' "#/:;<=>?@[\\]^`{|}'],
    ["host", HOST_SAFE, " #/:<>?@[]^"],
  ])("the %s escapes exactly %j", (_, safe, escaped) => {
    let actual = "";
    for (let code = 0x20; code < 0x7f; code++) if (safe[code] !== 1) actual += String.fromCharCode(code);
    expect(actual).toBe(escaped);
  });
});

describe("percentEncodeCodePoint", () => {
  it.each([
    [0x20, "%20"],
    [0xe9, "%C3%A9"],
    [0x4e2d, "%E4%B8%AD"],
    [0x1f31f, "%F0%9F%8C%9F"],
    [0xd800, "%EF%BF%BD"],
  ])("encodes U+%s as UTF-8", (cp, expected) => {
    expect(percentEncodeCodePoint(cp)).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { parseIPAddress, parseIPRange, rangeContains } from "../src/ip-address.js";

describe("parseIPAddress", () => {
  it.each([
    ["127.0.0.1", 32, 0x7f000001n],
    ["255.255.255.255", 32, 0xffffffffn],
    ["::", 128, 0n],
    ["::1", 128, 1n],
    ["[::1]", 128, 1n],
    ["1:2:3:4:5:6:7:8", 128, 0x00010002000300040005000600070008n],
    ["fe80::1%eth0", 128, 0xfe800000000000000000000000000001n],
    ["::ffff:10.0.0.1", 128, 0xffff0a000001n],
  ])("reads %s", (text, bits, value) => {
    expect(parseIPAddress(text)).toEqual({ bits, value });
  });

  it.each([
    "256.0.0.1",
    "1.2.3",
    "example.com",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "12345::",
    "1.2.3.4::",
    ":1",
    "",
  ])("rejects %s", (text) => {
    expect(parseIPAddress(text)).toBeNull();
  });
});

describe("parseIPRange", () => {
  it.each([
    ["10.0.0.0/8", "10.255.1.2", true],
    ["10.0.0.0/8", "11.0.0.0", false],
    ["0.0.0.0/0", "8.8.8.8", true],
    ["192.168.1.7", "192.168.1.7", true],
    ["192.168.1.7", "192.168.1.8", false],
    ["fe80::/10", "fe80::1", true],
    ["fe80::/10", "10.0.0.1", false],
  ])("%s contains %s: %s", (range, address, expected) => {
    const parsed = parseIPRange(range);
    const candidate = parseIPAddress(address);
    expect(parsed && candidate && rangeContains(parsed, candidate)).toBe(expected);
  });

  it.each(["10.0.0.0/33", "::/129", "10.0.0.0/x", "example.com/8"])("rejects %s", (text) => {
    expect(parseIPRange(text)).toBeNull();
  });
});

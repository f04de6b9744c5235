import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_CONFIG,
  Limits,
  type LimitsOptions,
  // biome-ignore lint/suspicious/noShadowRestrictedNames: Ferry's Proxy, under httpx's name.
  Proxy,
  type ProxyOptions,
  Timeout,
  type TimeoutExtension,
  URL,
} from "@ferry/core";
import { describe, expect, it } from "vitest";

const all = (value: number | null): TimeoutExtension => ({
  connect: value,
  read: value,
  write: value,
  pool: value,
});

describe("Timeout", () => {
  it.each<[string, () => Timeout, TimeoutExtension]>([
    ["a number for every phase", () => new Timeout(10_000), all(10_000)],
    ["null for no timeouts", () => new Timeout(null), all(null)],
    ["zero", () => new Timeout(0), all(0)],
    [
      "a Timeout, copied",
      () => new Timeout(new Timeout(1, { read: 2 })),
      { connect: 1, read: 2, write: 1, pool: 1 },
    ],
    [
      "an object with every phase",
      () => new Timeout({ connect: 1, read: 2, write: 3, pool: null }),
      { connect: 1, read: 2, write: 3, pool: null },
    ],
    [
      "a default and an override",
      () => new Timeout(5_000, { connect: 10_000 }),
      { ...all(5_000), connect: 10_000 },
    ],
    [
      "no default but a connect timeout",
      () => new Timeout(null, { connect: 5_000 }),
      { ...all(null), connect: 5_000 },
    ],
    [
      "a default with one phase disabled",
      () => new Timeout(5_000, { pool: null }),
      { ...all(5_000), pool: null },
    ],
    [
      "every phase as options, without a default",
      () => new Timeout(undefined, { connect: 1, read: 2, write: 3, pool: 4 }),
      { connect: 1, read: 2, write: 3, pool: 4 },
    ],
    ["a Timeout with an override", () => new Timeout(new Timeout(7), { write: 1 }), { ...all(7), write: 1 }],
    ["undefined options left unset", () => new Timeout(3, { connect: undefined }), all(3)],
  ])("accepts %s", (_form, build, expected) => {
    const timeout = build();
    expect(timeout.asExtension()).toEqual(expected);
    expect({
      connect: timeout.connect,
      read: timeout.read,
      write: timeout.write,
      pool: timeout.pool,
    }).toEqual(expected);
  });

  it.each<[string, () => Timeout, ErrorConstructor, RegExp]>([
    ["no arguments", () => new Timeout(), TypeError, /include a default, or set all four/],
    [
      "some phases only",
      () => new Timeout(undefined, { connect: 1 }),
      TypeError,
      /include a default, or set all four/,
    ],
    ["a negative default", () => new Timeout(-1), RangeError, /timeout: -1/],
    ["a negative phase", () => new Timeout(5, { read: -5 }), RangeError, /timeout read: -5/],
    ["an infinite default", () => new Timeout(Number.POSITIVE_INFINITY), RangeError, /timeout: Infinity/],
    ["NaN", () => new Timeout(Number.NaN), TypeError, /timeout: NaN/],
    ["a string default", () => new Timeout("5" as unknown as number), TypeError, /timeout: "5"/],
    [
      "a string phase",
      () => new Timeout(5, { pool: "x" as unknown as number }),
      TypeError,
      /timeout pool: "x"/,
    ],
    [
      "an object missing a phase",
      () => new Timeout({ connect: 1, read: 2, write: 3 } as unknown as TimeoutExtension),
      TypeError,
      /timeout pool: undefined/,
    ],
    [
      "an object with a negative phase",
      () => new Timeout({ connect: 1, read: 2, write: -3, pool: 4 }),
      RangeError,
      /timeout write: -3/,
    ],
    ["an unknown option", () => new Timeout(5, { conect: 1 } as never), TypeError, /unknown option "conect"/],
  ])("rejects %s", (_case, build, ErrorClass, message) => {
    expect(build).toThrow(ErrorClass);
    expect(build).toThrow(message);
  });

  it("is frozen and hands out a frozen extension", () => {
    const timeout = new Timeout(1);
    expect(Object.isFrozen(timeout)).toBe(true);
    expect(Object.isFrozen(timeout.asExtension())).toBe(true);
    expect(timeout.asExtension()).toBe(timeout.asExtension());
  });

  it("compares by value with Timeouts and plain objects", () => {
    expect(new Timeout(5).equals(new Timeout(5))).toBe(true);
    expect(new Timeout(5).equals(all(5))).toBe(true);
    expect(new Timeout(5).equals(new Timeout(5, { pool: null }))).toBe(false);
    expect(new Timeout(5).equals(5)).toBe(false);
    expect(new Timeout(5).equals(null)).toBe(false);
  });

  it.each([
    [new Timeout(5_000), "Timeout(timeout=5000)"],
    [new Timeout(null), "Timeout(timeout=null)"],
    [new Timeout(5, { connect: 1 }), "Timeout(connect=1, read=5, write=5, pool=5)"],
  ])("reads %s", (timeout, text) => {
    expect(timeout.toString()).toBe(text);
  });
});

describe("Limits", () => {
  it("is unlimited with a 5000 ms expiry by default", () => {
    const limits = new Limits();
    expect([limits.maxConnections, limits.maxKeepaliveConnections, limits.keepaliveExpiry]).toEqual([
      null,
      null,
      5000,
    ]);
  });

  it("keeps the values given, null included", () => {
    const limits = new Limits({ maxConnections: 10, maxKeepaliveConnections: 0, keepaliveExpiry: null });
    expect([limits.maxConnections, limits.maxKeepaliveConnections, limits.keepaliveExpiry]).toEqual([
      10,
      0,
      null,
    ]);
    expect(Object.isFrozen(limits)).toBe(true);
  });

  it.each<[LimitsOptions, ErrorConstructor, RegExp]>([
    [{ maxConnections: 0 }, RangeError, /Limits maxConnections: 0/],
    [{ maxConnections: 1.5 }, RangeError, /Limits maxConnections: 1.5/],
    [{ maxKeepaliveConnections: -1 }, RangeError, /Limits maxKeepaliveConnections: -1/],
    [{ keepaliveExpiry: -1 }, RangeError, /Limits keepaliveExpiry: -1 \(expected a non-negative/],
    [{ maxConnections: "10" as unknown as number }, TypeError, /Limits maxConnections: "10"/],
    [{ maxConections: 1 } as LimitsOptions, TypeError, /unknown option "maxConections"/],
  ])("rejects %o", (options, ErrorClass, message) => {
    expect(() => new Limits(options)).toThrow(ErrorClass);
    expect(() => new Limits(options)).toThrow(message);
  });

  it("compares by value and reads well", () => {
    expect(new Limits({ maxConnections: 1 }).equals(new Limits({ maxConnections: 1 }))).toBe(true);
    expect(new Limits({ maxConnections: 1 }).equals(new Limits())).toBe(false);
    expect(String(new Limits())).toBe(
      "Limits(maxConnections=null, maxKeepaliveConnections=null, keepaliveExpiry=5000)",
    );
  });
});

describe("defaults", () => {
  it("match httpx's, in milliseconds", () => {
    expect(DEFAULT_TIMEOUT_CONFIG.asExtension()).toEqual(all(5000));
    expect(DEFAULT_LIMITS.equals(new Limits({ maxConnections: 100, maxKeepaliveConnections: 20 }))).toBe(
      true,
    );
    expect(DEFAULT_LIMITS.keepaliveExpiry).toBe(5000);
    expect(DEFAULT_MAX_REDIRECTS).toBe(20);
  });
});

describe("Proxy", () => {
  it.each(["http", "https", "socks5", "socks5h", "socks4"])("accepts the %s scheme", (scheme) => {
    const proxy = new Proxy(`${scheme}://proxy.internal:1080`);
    expect(proxy.url.scheme).toBe(scheme);
    expect(proxy.auth).toBeNull();
    expect(proxy.headers.has("proxy-authorization")).toBe(false);
  });

  it.each(["ftp://proxy.internal", "socks4a://proxy.internal", "file:///tmp/socket"])(
    "refuses %s with a TypeError naming the scheme and the allowed ones",
    (url) => {
      const scheme = url.split(":")[0] as string;
      expect(() => new Proxy(url)).toThrow(TypeError);
      expect(() => new Proxy(url)).toThrow(`"${scheme}"`);
      expect(() => new Proxy(url)).toThrow("http, https, socks5, socks5h or socks4");
    },
  );

  it("takes credentials from the URL, removing them from it", () => {
    const proxy = new Proxy("http://us%40er:p%3Ass@proxy.internal:3128/");
    expect(proxy.auth).toEqual(["us@er", "p:ss"]);
    expect(proxy.url.userinfo).toBe("");
    expect(proxy.url.toString()).toBe("http://proxy.internal:3128/");
    expect(proxy.headers.get("Proxy-Authorization")).toBe(`Basic ${btoa("us@er:p:ss")}`);
  });

  it("takes credentials from auth, encoding them as UTF-8", () => {
    const proxy = new Proxy(new URL("https://proxy.internal"), { auth: ["user", "pässword"] });
    expect(proxy.auth).toEqual(["user", "pässword"]);
    expect(proxy.headers.get("proxy-authorization")).toBe("Basic dXNlcjpww6Rzc3dvcmQ=");
  });

  it("keeps the headers given, next to Proxy-Authorization", () => {
    const proxy = new Proxy("http://proxy.internal", { auth: ["a", "b"], headers: { "X-Proxy": "1" } });
    expect(proxy.headers.raw).toEqual([
      ["X-Proxy", "1"],
      ["Proxy-Authorization", `Basic ${btoa("a:b")}`],
    ]);
  });

  it.each<[string, ProxyOptions]>([
    ["an auth that is not a pair", { auth: ["user"] as unknown as [string, string] }],
    ["an auth with a non-string password", { auth: ["user", 1] as unknown as [string, string] }],
    ["an unknown option", { proxyAuth: ["a", "b"] } as ProxyOptions],
  ])("refuses %s with a TypeError", (_case, options) => {
    expect(() => new Proxy("http://proxy.internal", options)).toThrow(TypeError);
  });

  it("is frozen and reads well with the password masked", () => {
    const proxy = new Proxy("http://user:secret@proxy.internal:3128");
    expect(Object.isFrozen(proxy)).toBe(true);
    expect(String(proxy)).toBe('Proxy("http://proxy.internal:3128", auth=["user", "********"])');
    expect(String(proxy)).not.toContain("secret");
  });
});

import {
  CookieConflict,
  Cookies,
  Request as FerryRequest,
  Response as FerryResponse,
  Headers,
  URL,
} from "@ferry/core";
import { CookieJar, MemoryCookieStore } from "tough-cookie";
import { describe, expect, it, vi } from "vitest";

type Request = Parameters<Cookies["setCookieHeader"]>[0];
type Response = Parameters<Cookies["extractCookies"]>[0];

// The cookie code reads only these fields of a request and a response.
function request(url: string, headers: Record<string, string> = {}): Request {
  const parsed = new globalThis.URL(url);
  const fakeUrl = {
    scheme: parsed.protocol.slice(0, -1),
    rawHost: parsed.hostname.replace(/^\[|\]$/g, ""),
    rawPath: parsed.pathname + parsed.search,
  };
  return { url: fakeUrl, headers: new Headers(headers) } as unknown as Request;
}

function response(url: string, setCookies: string[]): Response {
  const headers = new Headers(setCookies.map((value): [string, string] => ["Set-Cookie", value]));
  return { request: request(url), headers } as unknown as Response;
}

function cookieHeader(cookies: Cookies, url: string): string | undefined {
  const req = request(url);
  cookies.setCookieHeader(req);
  return req.headers.get("cookie");
}

describe("Cookies", () => {
  it("sends a cookie set without a domain to every host", () => {
    const cookies = new Cookies({ a: "1" });
    expect(cookieHeader(cookies, "https://example.com/")).toBe("a=1");
    expect(cookieHeader(cookies, "http://other.org/deep/path")).toBe("a=1");
    expect(cookieHeader(cookies, "http://127.0.0.1:8000/")).toBe("a=1");
  });

  it.each([
    ["https://example.com/api/users", "every=3; all=1; site=2"],
    ["https://example.com/apix", "all=1; site=2"],
    ["http://other.org/api", "every=3; all=1"],
    ["http://other.org/", "all=1"],
  ])(
    "sends cookies for every host with the domain's, longest path first, then oldest: %s",
    (url, expected) => {
      const cookies = new Cookies({ all: "1" });
      cookies.set("site", "2", { domain: "example.com" });
      cookies.set("every", "3", { path: "/api" });
      expect(cookieHeader(cookies, url)).toBe(expected);
    },
  );

  it.each([
    ["https://example.com/", "a=1"],
    ["https://www.example.com/x", "a=1"],
    ["https://EXAMPLE.com/", "a=1"],
    ["https://example.org/", undefined],
    ["https://notexample.com/", undefined],
  ])("sends a cookie set for example.com to %s: %s", (url, expected) => {
    const cookies = new Cookies();
    cookies.set("a", "1", { domain: ".Example.com" });
    expect(cookieHeader(cookies, url)).toBe(expected);
  });

  it.each([
    ["https://example.com/api", "b=2; a=1"],
    ["https://example.com/api/users", "b=2; a=1"],
    ["https://example.com/apix", "a=1"],
    ["https://example.com/", "a=1"],
  ])("matches paths for %s, most specific first", (url, expected) => {
    const cookies = new Cookies();
    cookies.set("a", "1", { domain: "example.com" });
    cookies.set("b", "2", { domain: "example.com", path: "/api" });
    expect(cookieHeader(cookies, url)).toBe(expected);
  });

  it("adds no Cookie header when nothing matches", () => {
    const cookies = new Cookies();
    cookies.set("a", "1", { domain: "example.com" });
    expect(cookieHeader(cookies, "https://example.org/")).toBeUndefined();
  });

  it("leaves a Cookie header the request already has", () => {
    const req = request("https://example.com/", { Cookie: "mine=1" });
    new Cookies({ a: "1" }).setCookieHeader(req);
    expect(req.headers.getList("cookie")).toEqual(["mine=1"]);
  });

  it("does no jar work for an empty jar", () => {
    const cookies = new Cookies({ a: "1" });
    cookies.delete("a");
    const lookup = vi.spyOn(cookies.jar, "getCookiesSync");
    expect(cookieHeader(cookies, "https://example.com/")).toBeUndefined();
    expect(lookup).not.toHaveBeenCalled();
  });

  describe("get", () => {
    const cookies = new Cookies();
    cookies.set("a", "1", { domain: "example.com" });
    cookies.set("a", "2", { domain: "example.org" });
    cookies.set("a", "3", { domain: "example.org", path: "/x" });
    cookies.set("b", "4");

    it("returns the only match, or undefined", () => {
      expect(cookies.get("b")).toBe("4");
      expect(cookies.get("missing")).toBeUndefined();
    });

    it.each([
      [{ domain: "example.com" }, "1"],
      [{ domain: ".EXAMPLE.com" }, "1"],
      [{ domain: "example.org", path: "/" }, "2"],
      [{ domain: "example.org", path: "/x" }, "3"],
      [{ domain: "" }, undefined],
      [{ domain: "example.net" }, undefined],
    ])("narrows to %o", (scope, expected) => {
      expect(cookies.get("a", scope)).toBe(expected);
    });

    it.each([[{}], [{ domain: "example.org" }], [{ path: "/" }]])(
      "raises CookieConflict naming the cookie when %o matches several",
      (scope) => {
        expect(() => cookies.get("a", scope)).toThrow(CookieConflict);
        expect(() => cookies.get("a", scope)).toThrow("name=a");
      },
    );
  });

  it("delete removes every match of the name, or only the scoped one", () => {
    const cookies = new Cookies();
    cookies.set("a", "1", { domain: "example.com" });
    cookies.set("a", "2", { domain: "example.org" });
    cookies.set("b", "3");
    cookies.delete("a", { domain: "example.org" });
    expect(cookies.items()).toEqual([
      ["a", "1"],
      ["b", "3"],
    ]);
    cookies.delete("a");
    expect(cookies.keys()).toEqual(["b"]);
  });

  it("clear removes all cookies, a domain's, or a domain and path's", () => {
    const cookies = new Cookies();
    cookies.set("a", "1", { domain: "example.com" });
    cookies.set("b", "2", { domain: "example.com", path: "/x" });
    cookies.set("c", "3", { domain: "example.org" });
    cookies.set("d", "4");
    cookies.clear({ domain: "example.com", path: "/x" });
    expect(cookies.keys()).toEqual(["a", "c", "d"]);
    cookies.clear({ domain: "example.com" });
    expect(cookies.keys()).toEqual(["c", "d"]);
    expect(() => cookies.clear({ path: "/" })).toThrow(TypeError);
    cookies.clear();
    expect(cookies.size).toBe(0);
  });

  it.each<[string, () => Cookies]>([
    ["a record", () => new Cookies({ a: "1", b: "2" })],
    [
      "a list of pairs",
      () =>
        new Cookies([
          ["a", "1"],
          ["b", "2"],
        ]),
    ],
    ["another Cookies", () => new Cookies(new Cookies({ a: "1", b: "2" }))],
  ])("builds from %s", (_form, build) => {
    expect(build().items()).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  it("copies a Cookies, but uses a CookieJar as is", () => {
    const original = new Cookies({ a: "1" });
    const copy = new Cookies(original);
    copy.set("b", "2");
    expect(original.keys()).toEqual(["a"]);

    const jar = new CookieJar(new MemoryCookieStore());
    jar.setCookieSync("j=1", "https://example.com/");
    const shared = new Cookies(jar);
    expect(shared.jar).toBe(jar);
    expect(cookieHeader(shared, "https://example.com/")).toBe("j=1");
    shared.set("k", "2");
    expect(jar.getCookiesSync("https://example.com/")).toHaveLength(1);
    expect(shared.size).toBe(2);
  });

  it("refuses a CookieJar whose store is asynchronous", () => {
    const store = new MemoryCookieStore();
    store.synchronous = false;
    expect(() => new Cookies(new CookieJar(store))).toThrow(TypeError);
  });

  it("update adds cookies, replacing those with the same name, domain and path", () => {
    const cookies = new Cookies({ a: "1", b: "2" });
    cookies.update({ a: "3" });
    const jar = new CookieJar();
    jar.setCookieSync("c=4", "https://example.com/");
    cookies.update(jar);
    cookies.update(new Cookies([["d", "5"]]));
    expect(cookies.items()).toEqual([
      ["b", "2"],
      ["a", "3"],
      ["c", "4"],
      ["d", "5"],
    ]);
    expect(cookies.get("c", { domain: "example.com" })).toBe("4");
  });

  it.each<[string, unknown, unknown]>([
    ["a number value", "a", 1],
    ["a semicolon in the value", "a", "1; b=2"],
    ["CR LF in the value", "a", "1\r\nX: y"],
    ["= in the name", "a=b", "1"],
  ])("set rejects %s with a TypeError naming the cookie", (_case, name, value) => {
    expect(() => new Cookies().set(name as string, value as string)).toThrow(TypeError);
    expect(() => new Cookies().set(name as string, value as string)).toThrow(JSON.stringify(name));
  });

  it("lists, counts, iterates and reads well", () => {
    const cookies = new Cookies({ a: "1" });
    cookies.set("b", "2", { domain: "example.com" });
    expect(cookies.size).toBe(2);
    expect([...cookies]).toEqual(["a", "b"]);
    expect(cookies.values()).toEqual(["1", "2"]);
    expect(String(cookies)).toBe("<Cookies[<Cookie a=1 for  />, <Cookie b=2 for example.com />]>");
  });
});

describe("Cookies.extractCookies", () => {
  it("stores every Set-Cookie, host-only unless a Domain is given", () => {
    const cookies = new Cookies();
    cookies.extractCookies(
      response("https://www.example.com/login", ["a=1; Path=/", "b=2; Domain=example.com; Path=/"]),
    );
    expect(cookieHeader(cookies, "https://www.example.com/")).toBe("a=1; b=2");
    expect(cookieHeader(cookies, "https://api.example.com/")).toBe("b=2");
    expect(cookieHeader(cookies, "https://example.org/")).toBeUndefined();
    expect(cookies.get("a")).toBe("1");
  });

  it("ignores cookies for another site, or malformed", () => {
    const cookies = new Cookies();
    cookies.extractCookies(response("https://example.com/", ["a=1; Domain=example.org", "=", "; ; ;"]));
    expect(cookies.size).toBe(0);
  });

  it("does nothing for a response without Set-Cookie", () => {
    const cookies = new Cookies();
    cookies.extractCookies(response("https://example.com/", []));
    expect(cookies.size).toBe(0);
  });

  it.each([
    ["Path", "a=1; Path=/api", ["/api", "/api/x"], ["/", "/apis"]],
    ["the request's directory by default", "a=1", ["/docs/", "/docs/page"], ["/", "/other"]],
  ])("scopes by %s", (_case, setCookie, sent, notSent) => {
    const cookies = new Cookies();
    cookies.extractCookies(response("https://example.com/docs/index.html", [setCookie]));
    for (const path of sent) expect(cookieHeader(cookies, `https://example.com${path}`)).toBe("a=1");
    for (const path of notSent) expect(cookieHeader(cookies, `https://example.com${path}`)).toBeUndefined();
  });

  it.each([
    ["Max-Age=0", "a=; Max-Age=0; Path=/"],
    ["a negative Max-Age", "a=; Max-Age=-1; Path=/"],
    ["an Expires in the past", "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"],
  ])("deletes a cookie when a Set-Cookie has %s", (_case, setCookie) => {
    const cookies = new Cookies();
    cookies.extractCookies(response("https://example.com/", ["a=1; Path=/"]));
    expect(cookies.get("a")).toBe("1");
    cookies.extractCookies(response("https://example.com/", [setCookie]));
    expect(cookies.get("a")).toBeUndefined();
    expect(cookies.size).toBe(0);
    expect(cookieHeader(cookies, "https://example.com/")).toBeUndefined();
  });

  it("keeps a cookie whose Max-Age or Expires lies ahead", () => {
    const cookies = new Cookies();
    cookies.extractCookies(
      response("https://example.com/", ["a=1; Max-Age=3600", "b=2; Expires=Fri, 01 Jan 2100 00:00:00 GMT"]),
    );
    expect(cookieHeader(cookies, "https://example.com/")).toBe("a=1; b=2");
  });

  it.each([
    ["https://example.com/", "s=1; p=2"],
    ["http://example.com/", "p=2"],
    ["http://localhost/", "p=2"],
  ])("sends Secure cookies only over https: %s", (url, expected) => {
    const cookies = new Cookies();
    const host = new globalThis.URL(url).hostname;
    cookies.extractCookies(response(`https://${host}/`, ["s=1; Secure; Path=/", "p=2; Path=/"]));
    expect(cookieHeader(cookies, url)).toBe(expected);
  });

  it("keeps a Secure cookie set over http, sending it over https only", () => {
    const cookies = new Cookies();
    cookies.extractCookies(response("http://example.com/", ["s=1; Secure; Path=/"]));
    expect(cookies.get("s")).toBe("1");
    expect(cookieHeader(cookies, "http://example.com/")).toBeUndefined();
    expect(cookieHeader(cookies, "https://example.com/")).toBe("s=1");
  });
});

describe("Cookies with Ferry's Request and Response", () => {
  it("stores a response's cookies and sends them with the next request to that host", () => {
    const cookies = new Cookies();
    const first = new FerryRequest("GET", "https://bücher.example/shop/cart");
    cookies.extractCookies(
      new FerryResponse(200, { headers: [["Set-Cookie", "cart=1; Path=/shop"]], request: first }),
    );
    const next = new FerryRequest("GET", new URL("https://xn--bcher-kva.example/shop/pay?x=1"));
    cookies.setCookieHeader(next);
    expect(next.headers.get("Cookie")).toBe("cart=1");
    const elsewhere = new FerryRequest("GET", "https://bücher.example/");
    cookies.setCookieHeader(elsewhere);
    expect(elsewhere.headers.has("Cookie")).toBe(false);
  });

  it("matches IPv6 hosts", () => {
    const cookies = new Cookies();
    const request = new FerryRequest("GET", "http://[::1]:8080/");
    cookies.extractCookies(new FerryResponse(200, { headers: { "Set-Cookie": "a=1" }, request }));
    const next = new FerryRequest("GET", "http://[::1]:8080/x");
    cookies.setCookieHeader(next);
    expect(next.headers.get("cookie")).toBe("a=1");
  });
});

import { Client, Cookies, type Request, Response } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { CookieJar } from "tough-cookie";
import { describe, expect, it } from "vitest";

function getAndSetCookies(request: Request): Response {
  switch (request.url.path) {
    case "/echo_cookies":
      return new Response(200, { json: { cookies: request.headers.get("cookie") ?? null } });
    case "/set_cookie":
      return new Response(200, { headers: { "set-cookie": "example-name=example-value" } });
    case "/set_scoped":
      return new Response(200, {
        headers: [
          ["set-cookie", "api=1; Path=/api"],
          ["set-cookie", "site=2; Path=/"],
        ],
      });
    case "/api/echo_cookies":
      return new Response(200, { json: { cookies: request.headers.get("cookie") ?? null } });
    default:
      throw new Error(`unexpected path ${request.url.path}`);
  }
}

function client(options: ConstructorParameters<typeof Client>[0] = {}): Client {
  return new Client({ transport: new MockTransport(getAndSetCookies), ...options });
}

const ECHO = "http://example.org/echo_cookies";

describe("client cookies", () => {
  it("sends the client's cookies", async () => {
    const response = await client({ cookies: { "example-name": "example-value" } }).get(ECHO);
    expect(response.json()).toEqual({ cookies: "example-name=example-value" });
  });

  it("sends per-request cookies together with the client's", async () => {
    const c = client({ cookies: { a: "1" } });
    const response = await c.get(ECHO, { cookies: { b: "2" } });
    expect(response.json()).toEqual({ cookies: "a=1; b=2" });
    expect(c.cookies.get("b")).toBeUndefined();
  });

  it("sends cookies of a tough-cookie CookieJar", async () => {
    const jar = new CookieJar();
    jar.setCookieSync("example-name=example-value; Path=/", "http://example.org/");
    const response = await client({ cookies: jar }).get(ECHO);
    expect(response.json()).toEqual({ cookies: "example-name=example-value" });
  });

  it("sends cookies assigned to client.cookies", async () => {
    const c = client();
    const cookies = new Cookies();
    cookies.set("example-name", "example-value");
    c.cookies = cookies;
    expect(c.cookies).toBeInstanceOf(Cookies);
    expect((await c.get(ECHO)).json()).toEqual({ cookies: "example-name=example-value" });
  });

  it("normalises an assigned record", () => {
    const c = client();
    c.cookies = { a: "b" };
    expect(c.cookies.items()).toEqual([["a", "b"]]);
  });

  it("stores Set-Cookie in the client's jar and sends it later", async () => {
    const c = client();
    expect((await c.get(ECHO)).json()).toEqual({ cookies: null });
    await c.get("http://example.org/set_cookie");
    expect(c.cookies.get("example-name")).toBe("example-value");
    expect((await c.get(ECHO)).json()).toEqual({ cookies: "example-name=example-value" });
  });

  it("sends stored cookies by domain and path", async () => {
    const c = client();
    await c.get("http://example.org/set_scoped");
    expect((await c.get("http://example.org/api/echo_cookies")).json()).toEqual({ cookies: "api=1; site=2" });
    expect((await c.get(ECHO)).json()).toEqual({ cookies: "site=2" });
    expect((await c.get("http://other.example/echo_cookies")).json()).toEqual({ cookies: null });
  });

  it("stores the cookies of a streamed response", async () => {
    const c = client();
    await c.stream("GET", "http://example.org/set_cookie", async () => {});
    expect(c.cookies.get("example-name")).toBe("example-value");
  });
});

/** A login flow whose cookies are set and expired on redirect hops, as in httpx's tests. */
function cookieSessions(request: Request): Response {
  switch (request.url.path) {
    case "/":
      return new Response(200, { text: request.headers.has("cookie") ? "Logged in" : "Not logged in" });
    case "/login":
      return new Response(303, {
        headers: {
          location: "/",
          "set-cookie": "session=eyJ1c2VybmFtZSI6ICJ0b21; path=/; Max-Age=1209600; httponly; samesite=lax",
        },
      });
    default:
      return new Response(303, {
        headers: {
          location: "/",
          "set-cookie": "session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax",
        },
      });
  }
}

describe("cookies across redirects", () => {
  it("recomputes Cookie from the jar on each hop", async () => {
    const c = new Client({ transport: new MockTransport(cookieSessions), followRedirects: true });
    const text = async (method: string, url: string) => (await c.request(method, url)).text;
    expect(await text("GET", "https://example.com/")).toBe("Not logged in");
    expect(await text("POST", "https://example.com/login")).toBe("Logged in");
    expect(await text("GET", "https://example.com/")).toBe("Logged in");
    expect(await text("POST", "https://example.com/logout")).toBe("Not logged in");
    expect(await text("GET", "https://example.com/")).toBe("Not logged in");
  });

  it("does not carry a request's Cookie header to another host", async () => {
    const transport = new MockTransport((request) =>
      request.url.host === "a.test"
        ? new Response(302, { headers: { location: "https://b.test/" } })
        : new Response(200, { json: { cookies: request.headers.get("cookie") ?? null } }),
    );
    const c = new Client({ transport, followRedirects: true });
    const response = await c.get("https://a.test/", { headers: { Cookie: "secret=1" } });
    expect(response.json()).toEqual({ cookies: null });
  });
});

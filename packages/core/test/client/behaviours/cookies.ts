/** Behaviours of a client's cookies: sent, stored from Set-Cookie, and recomputed on each redirect hop. */
import { Cookies, type Request, Response } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { CookieJar } from "tough-cookie";
import { expect } from "vitest";
import { type Behaviour, behaviour, type Harness } from "./harness.js";

/** Sets cookies on some paths, logs in and out through redirects, and echoes the Cookie header elsewhere. */
function cookieApp(request: Request): Response {
  switch (request.url.path) {
    case "/set_cookie":
      return new Response(200, { headers: { "set-cookie": "example-name=example-value" } });
    case "/set_scoped":
      return new Response(200, {
        headers: [
          ["set-cookie", "api=1; Path=/api"],
          ["set-cookie", "site=2; Path=/"],
        ],
      });
    case "/login":
      return new Response(303, {
        headers: {
          location: "/",
          "set-cookie": "session=eyJ1c2VybmFtZSI6ICJ0b21; path=/; Max-Age=1209600; httponly; samesite=lax",
        },
      });
    case "/logout":
      return new Response(303, {
        headers: {
          location: "/",
          "set-cookie": "session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax",
        },
      });
    default:
      return new Response(200, { json: { cookies: request.headers.get("cookie") ?? null } });
  }
}

const ECHO = "http://example.org/echo_cookies";
const cookieClient = (h: Harness, options: Parameters<Harness["client"]>[0] = {}) =>
  h.client({ transport: new MockTransport(cookieApp), ...options });

const sending: Behaviour[] = [
  behaviour("sends the client's cookies with per-request ones", async (h) => {
    const client = cookieClient(h, { cookies: { a: "1" } });
    expect((await client.get(ECHO, { cookies: { b: "2" } })).json()).toEqual({ cookies: "a=1; b=2" });
    expect(client.cookies.get("b")).toBeUndefined();
  }),
  behaviour("sends cookies of a tough-cookie CookieJar", async (h) => {
    const jar = new CookieJar();
    jar.setCookieSync("example-name=example-value; Path=/", "http://example.org/");
    const response = await cookieClient(h, { cookies: jar }).get(ECHO);
    expect(response.json()).toEqual({ cookies: "example-name=example-value" });
  }),
  behaviour("sends cookies assigned to client.cookies", async (h) => {
    const client = cookieClient(h);
    const jar = new Cookies();
    jar.set("example-name", "example-value");
    client.cookies = jar;
    expect(client.cookies).toBeInstanceOf(Cookies);
    expect((await client.get(ECHO)).json()).toEqual({ cookies: "example-name=example-value" });
  }),
  behaviour("normalises an assigned record of cookies", async (h) => {
    const client = cookieClient(h);
    client.cookies = { a: "b" };
    expect(client.cookies).toBeInstanceOf(Cookies);
    expect(client.cookies.items()).toEqual([["a", "b"]]);
  }),
];

const storing: Behaviour[] = [
  behaviour("stores Set-Cookie in the client's jar and sends it later", async (h) => {
    const client = cookieClient(h);
    expect((await client.get(ECHO)).json()).toEqual({ cookies: null });
    await client.get("http://example.org/set_cookie");
    expect(client.cookies.get("example-name")).toBe("example-value");
    expect((await client.get(ECHO)).json()).toEqual({ cookies: "example-name=example-value" });
  }),
  behaviour("sends stored cookies by domain and path", async (h) => {
    const client = cookieClient(h);
    await client.get("http://example.org/set_scoped");
    expect((await client.get("http://example.org/api/echo")).json()).toEqual({ cookies: "api=1; site=2" });
    expect((await client.get(ECHO)).json()).toEqual({ cookies: "site=2" });
    expect((await client.get("http://other.example/echo")).json()).toEqual({ cookies: null });
  }),
  behaviour("stores the cookies of a streamed response", async (h) => {
    const client = cookieClient(h);
    await h.streamWith(client, "GET", "http://example.org/set_cookie", {}, () => undefined);
    expect(client.cookies.get("example-name")).toBe("example-value");
  }),
];

const redirects: Behaviour[] = [
  behaviour("recomputes Cookie from the jar on each redirect hop", async (h) => {
    const client = cookieClient(h, { followRedirects: true });
    const cookie = async (method: string, path: string) =>
      (await client.request(method, `https://example.com${path}`)).json<{ cookies: string | null }>().cookies;
    expect(await cookie("GET", "/")).toBeNull();
    expect(await cookie("POST", "/login")).toBe("session=eyJ1c2VybmFtZSI6ICJ0b21");
    expect(await cookie("GET", "/")).toBe("session=eyJ1c2VybmFtZSI6ICJ0b21");
    expect(await cookie("POST", "/logout")).toBeNull();
    expect(await cookie("GET", "/")).toBeNull();
  }),
  behaviour("does not carry a request's Cookie header to another host", async (h) => {
    const transport = new MockTransport((request) =>
      request.url.host === "a.test"
        ? new Response(302, { headers: { location: "https://b.test/" } })
        : new Response(200, { json: { cookies: request.headers.get("cookie") ?? null } }),
    );
    const client = h.client({ transport, followRedirects: true });
    const response = await client.get("https://a.test/", { headers: { Cookie: "secret=1" } });
    expect(response.json()).toEqual({ cookies: null });
  }),
];

/** Cookie behaviours. */
export const cookieBehaviours: readonly Behaviour[] = [...sending, ...storing, ...redirects];

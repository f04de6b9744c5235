/** Behaviours of redirects, after httpx's own redirect tests. */
import {
  BaseTransport,
  codes,
  RemoteProtocolError,
  type Request,
  Response,
  StreamConsumed,
  TooManyRedirects,
  UnsupportedProtocol,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { expect } from "vitest";
import { type Behaviour, behaviour, chunks, echo, echoed, type Harness } from "./harness.js";

function redirects(request: Request): Response {
  const to = (status: number, location: string) => new Response(status, { headers: { location } });
  switch (request.url.path) {
    case "/redirect_301":
      return new Response(301, { headers: { location: "https://example.org/" }, content: "<a>here</a>" });
    case "/redirect_302":
      return to(302, "https://example.org/");
    case "/redirect_303":
      return to(303, "https://example.org/");
    case "/redirect_307":
      return to(307, "/echo");
    case "/redirect_308":
      return to(308, "/echo");
    case "/relative_redirect":
      return to(303, "/");
    case "/malformed_redirect":
      return to(303, "https://:443/");
    case "/invalid_redirect":
      return to(303, "https://exa mple.org/");
    case "/no_scheme_redirect":
      return to(303, "//example.org/");
    case "/fragment_redirect":
      return to(303, "/echo#other");
    case "/multiple_redirects": {
      const count = Number(request.url.params.get("count") ?? "0");
      if (count === 0) return new Response(200);
      return to(303, count > 1 ? `/multiple_redirects?count=${count - 1}` : "/multiple_redirects");
    }
    case "/redirect_loop":
      return to(303, "/redirect_loop");
    case "/cross_domain":
      return to(303, "https://example.org/echo");
    case "/cross_port":
      return to(303, "https://example.org:8443/echo");
    case "/to_http":
      return to(303, "http://example.org/echo");
    case "/to_https":
      return to(303, "https://example.org/echo");
    case "/redirect_custom_scheme":
      return to(301, "market://details?id=42");
    case "/echo":
      return echo(request);
    default:
      return request.method === "HEAD" ? new Response(200) : new Response(200, { html: "<p>Hello</p>" });
  }
}

const client = (h: Harness, options: Parameters<Harness["client"]>[0] = {}) =>
  h.client({ transport: new MockTransport(redirects), ...options });

/** Which method each status sends the next hop with. */
const methods: Behaviour[] = (
  [
    [301, "GET", "GET"],
    [301, "POST", "GET"],
    [301, "PUT", "PUT"],
    [301, "HEAD", "HEAD"],
    [302, "GET", "GET"],
    [302, "POST", "GET"],
    [302, "PUT", "GET"],
    [302, "HEAD", "HEAD"],
    [303, "POST", "GET"],
    [303, "DELETE", "GET"],
    [303, "HEAD", "HEAD"],
    [307, "POST", "POST"],
    [307, "PUT", "PUT"],
    [308, "POST", "POST"],
    [308, "PATCH", "PATCH"],
  ] as const
).map(([status, method, expected]) =>
  behaviour(`a ${status} turns ${method} into ${expected}`, async (h) => {
    const transport = new MockTransport((request) =>
      request.url.path === "/start"
        ? new Response(status, { headers: { location: "/end" } })
        : new Response(200, { json: request.method }),
    );
    const response = await h
      .client({ transport, followRedirects: true })
      .request(method, "https://a.test/start");
    expect(response.request.method).toBe(expected);
    expect(response.history.map((hop) => hop.statusCode)).toEqual([status]);
  }),
);

const following: Behaviour[] = [
  ...(
    [
      ["/redirect_301", "POST"],
      ["/redirect_302", "POST"],
      ["/redirect_303", "GET"],
    ] as const
  ).map(([path, method]) =>
    behaviour(`follows ${path} sent with ${method}`, async (h) => {
      const response = await client(h).request(method, `https://example.org${path}`, {
        followRedirects: true,
      });
      expect(response.statusCode).toBe(codes.OK);
      expect(response.url.equals("https://example.org/")).toBe(true);
      expect(response.history.map((hop) => hop.statusCode)).toEqual([Number(path.slice(-3))]);
    }),
  ),
  ...([307, 308] as const).map((status) =>
    behaviour(`keeps the body and its headers on a ${status}`, async (h) => {
      const response = await client(h, { followRedirects: true }).post(
        `https://example.org/redirect_${status}`,
        { content: "Example request body" },
      );
      expect(echoed(response).body).toBe("Example request body");
      expect(echoed(response).header["content-length"]).toBe("20");
    }),
  ),
  behaviour("drops the body and its headers when the method becomes GET", async (h) => {
    const transport = new MockTransport((request) =>
      request.url.path === "/start" ? new Response(303, { headers: { location: "/echo" } }) : echo(request),
    );
    const response = await h
      .client({ transport, followRedirects: true })
      .post("https://example.org/start", { content: "Example request body" });
    const sent = echoed(response);
    expect([sent.method, sent.body]).toEqual(["GET", ""]);
    expect(sent.header["content-length"]).toBeUndefined();
    expect(sent.header["transfer-encoding"]).toBeUndefined();
  }),
  behaviour("keeps HEAD through a 302, and the final body is empty", async (h) => {
    const response = await client(h).head("https://example.org/redirect_302", { followRedirects: true });
    expect(response.request.method).toBe("HEAD");
    expect(response.history).toHaveLength(1);
    expect(response.text).toBe("");
  }),
  behaviour("returns the redirect with nextRequest when not following, and sends it", async (h) => {
    const c = client(h);
    const response = await c.send(c.buildRequest("POST", "https://example.org/redirect_303"));
    expect(response.statusCode).toBe(codes.SEE_OTHER);
    expect(response.url.equals("https://example.org/redirect_303")).toBe(true);
    expect(response.nextRequest?.method).toBe("GET");
    expect(response.nextRequest?.url.equals("https://example.org/")).toBe(true);
    const next = await c.send(response.nextRequest as Request);
    expect(next.statusCode).toBe(codes.OK);
    expect(next.nextRequest).toBeNull();
  }),
  behaviour("follows by the client's followRedirects unless a request turns it off", async (h) => {
    const c = client(h, { followRedirects: true });
    expect((await c.get("https://example.org/redirect_303")).statusCode).toBe(200);
    expect((await c.get("https://example.org/redirect_303", { followRedirects: false })).statusCode).toBe(
      303,
    );
  }),
  ...(
    [
      ["a relative Location", "https://example.org/relative_redirect", "https://example.org/"],
      ["a Location without a host", "http://example.org/malformed_redirect", "https://example.org:443/"],
      ["a protocol-relative Location", "https://example.org/no_scheme_redirect", "https://example.org/"],
      ["the request's fragment", "https://example.org/relative_redirect#frag", "https://example.org/#frag"],
      [
        "the Location's own fragment",
        "https://example.org/fragment_redirect#mine",
        "https://example.org/echo#other",
      ],
    ] as const
  ).map(([name, url, expected]) =>
    behaviour(`resolves ${name}`, async (h) => {
      const response = await client(h).get(url, { followRedirects: true });
      expect(response.statusCode).toBe(200);
      expect(response.url.equals(expected)).toBe(true);
    }),
  ),
  behaviour("raises RemoteProtocolError, with the request, for a Location that is not a URL", async (h) => {
    const c = client(h);
    const error = await (async () =>
      c.get("http://example.org/invalid_redirect", { followRedirects: true }))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteProtocolError);
    expect((error as RemoteProtocolError).message).toMatch(/^Invalid URL in location header: /);
    expect((error as RemoteProtocolError).request.url.path).toBe("/invalid_redirect");
  }),
];

const history: Behaviour[] = [
  behaviour("records every hop in history, bodies read, each with its own history", async (h) => {
    const response = await client(h).get("https://example.org/multiple_redirects?count=20", {
      followRedirects: true,
    });
    expect(response.url.equals("https://example.org/multiple_redirects")).toBe(true);
    expect(response.history).toHaveLength(20);
    expect(response.history[0]?.url.equals("https://example.org/multiple_redirects?count=20")).toBe(true);
    expect(response.history[1]?.url.equals("https://example.org/multiple_redirects?count=19")).toBe(true);
    expect(response.history[0]?.history).toHaveLength(0);
    expect(response.history[1]?.history).toHaveLength(1);
    expect(response.history.every((hop) => hop.isClosed)).toBe(true);
  }),
  behaviour("reads the body of a response in history", async (h) => {
    const response = await client(h).get("https://example.org/redirect_301", { followRedirects: true });
    expect(response.history[0]?.text).toBe("<a>here</a>");
  }),
  ...(
    [
      [20, 20, false],
      [21, 20, true],
      [2, 2, false],
      [3, 2, true],
      [1, 1, false],
      [2, 1, true],
      [1, 0, true],
    ] as const
  ).map(([count, maxRedirects, raises]) =>
    behaviour(`with ${count} redirects and maxRedirects ${maxRedirects}, raises: ${raises}`, async (h) => {
      const sent = async () =>
        client(h, { maxRedirects }).get(`https://example.org/multiple_redirects?count=${count}`, {
          followRedirects: true,
        });
      if (raises)
        await expect(sent).rejects.toThrow(new TooManyRedirects("Exceeded maximum allowed redirects."));
      else expect((await sent()).statusCode).toBe(200);
    }),
  ),
  behaviour("honours a changed maxRedirects", async (h) => {
    const c = client(h);
    c.maxRedirects = 1;
    await expect(async () =>
      c.get("https://example.org/multiple_redirects?count=2", { followRedirects: true }),
    ).rejects.toThrow(TooManyRedirects);
  }),
  behaviour("stops a redirect loop", async (h) => {
    const c = client(h);
    await expect(async () =>
      c.get("https://example.org/redirect_loop", { followRedirects: true }),
    ).rejects.toThrow(TooManyRedirects);
  }),
];

const crossOrigin: Behaviour[] = [
  ...(
    [
      ["drops", "https://example.com/cross_domain", "to another host", undefined],
      ["drops", "https://example.org/cross_port", "to another port", undefined],
      ["drops", "https://example.org/to_http", "from https to http", undefined],
      ["drops", "http://example.com/to_https", "from http to https on another host", undefined],
      ["keeps", "https://example.org/cross_domain", "within the origin", "abc"],
      ["keeps", "http://example.org/to_https", "from http to https on the same host", "abc"],
    ] as const
  ).map(([verb, url, why, expected]) =>
    behaviour(`${verb} Authorization on a redirect from ${url} (${why})`, async (h) => {
      const response = await client(h).get(url, { headers: { Authorization: "abc" }, followRedirects: true });
      expect(echoed(response).header["authorization"]).toBe(expected);
    }),
  ),
  behaviour("drops Authorization set by auth on a cross-domain redirect", async (h) => {
    const response = await client(h).get("https://example.com/cross_domain", {
      auth: ["user", "pass"],
      followRedirects: true,
    });
    expect(echoed(response).header["authorization"]).toBeUndefined();
  }),
  behaviour("rewrites Host when the origin changes", async (h) => {
    const response = await client(h).get("https://example.com/cross_port", { followRedirects: true });
    expect(echoed(response).header["host"]).toBe("example.org:8443");
  }),
];

const streamsAndSchemes: Behaviour[] = [
  behaviour("raises StreamConsumed when a one-shot body must be sent again", async (h) => {
    // Reads the body straight from its stream, as a network transport does, without buffering it.
    class StreamingTransport extends BaseTransport {
      async handleRequest(request: Request): Promise<Response> {
        return this.handleRequestSync(request);
      }
      handleRequestSync(request: Request): Response {
        for (const _ of request.stream as Iterable<Uint8Array>);
        return redirects(request);
      }
    }
    const c = h.client({ transport: new StreamingTransport(), followRedirects: true });
    await expect(async () =>
      c.post("https://example.org/redirect_307", { content: chunks("Example request body") }),
    ).rejects.toThrow(StreamConsumed);
  }),
  behaviour("streams a redirect response that is not followed", async (h) => {
    const status = await h.streamWith(
      client(h),
      "GET",
      "https://example.org/redirect_301",
      {},
      (response) => {
        expect(response.headers.get("location")).toBe("https://example.org/");
        return response.statusCode;
      },
    );
    expect(status).toBe(301);
  }),
  behaviour("raises UnsupportedProtocol for a redirect to a scheme without a transport", async (h) => {
    const c = client(h);
    await expect(async () =>
      c.post("https://example.org/redirect_custom_scheme", { followRedirects: true }),
    ).rejects.toThrow(new UnsupportedProtocol("Request URL has an unsupported protocol 'market://'."));
  }),
  behaviour("follows a redirect to a mounted custom scheme", async (h) => {
    const market = new MockTransport(
      (request) => new Response(200, { text: `app ${request.url.params.get("id")}` }),
    );
    const c = client(h, { mounts: { "market://": market } });
    const response = await c.get("https://example.org/redirect_custom_scheme", { followRedirects: true });
    expect(response.text).toBe("app 42");
  }),
];

/** Redirect behaviours. */
export const redirectBehaviours: readonly Behaviour[] = [
  ...methods,
  ...following,
  ...history,
  ...crossOrigin,
  ...streamsAndSchemes,
];

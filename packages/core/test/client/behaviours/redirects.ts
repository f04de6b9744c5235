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
    case "/relative_redirect":
      return to(303, "/");
    case "/malformed_redirect":
      return to(303, "https://:443/");
    case "/invalid_redirect":
      return to(303, "https://exa mple.org/");
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

/** Redirect behaviours. */
export const redirectBehaviours: readonly Behaviour[] = [
  ...(
    [
      [301, "POST", "GET"],
      [301, "PUT", "PUT"],
      [302, "POST", "GET"],
      [302, "HEAD", "HEAD"],
      [303, "DELETE", "GET"],
      [307, "POST", "POST"],
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
  ),
  behaviour("keeps the body and its headers on a 307", async (h) => {
    const response = await client(h, { followRedirects: true }).post("https://example.org/redirect_307", {
      content: "Example request body",
    });
    expect(echoed(response).body).toBe("Example request body");
    expect(echoed(response).header["content-length"]).toBe("20");
  }),
  behaviour("returns the redirect with nextRequest when not following, and sends it", async (h) => {
    const c = client(h);
    const response = await c.send(c.buildRequest("POST", "https://example.org/redirect_303"));
    expect(response.statusCode).toBe(codes.SEE_OTHER);
    expect(response.nextRequest?.method).toBe("GET");
    const next = await c.send(response.nextRequest as Request);
    expect(next.statusCode).toBe(codes.OK);
    expect(next.nextRequest).toBeNull();
  }),
  behaviour("lets a request turn off the client's followRedirects", async (h) => {
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
      ["the request's fragment", "https://example.org/relative_redirect#frag", "https://example.org/#frag"],
    ] as const
  ).map(([name, url, expected]) =>
    behaviour(`resolves ${name}`, async (h) => {
      const response = await client(h).get(url, { followRedirects: true });
      expect(response.url.equals(expected)).toBe(true);
    }),
  ),
  behaviour("raises RemoteProtocolError, with the request, for a Location that is not a URL", async (h) => {
    const c = client(h);
    const error = await (async () =>
      c.get("http://example.org/invalid_redirect", { followRedirects: true }))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteProtocolError);
    expect((error as RemoteProtocolError).request.url.path).toBe("/invalid_redirect");
  }),
  behaviour("records every hop in history, bodies read, each with its own history", async (h) => {
    const response = await client(h).get("https://example.org/multiple_redirects?count=5", {
      followRedirects: true,
    });
    expect(response.history).toHaveLength(5);
    expect(response.history[1]?.url.equals("https://example.org/multiple_redirects?count=4")).toBe(true);
    expect(response.history[1]?.history).toHaveLength(1);
    expect(response.history.every((hop) => hop.isClosed)).toBe(true);
  }),
  behaviour("reads the body of a response in history", async (h) => {
    const response = await client(h).get("https://example.org/redirect_301", { followRedirects: true });
    expect(response.history[0]?.text).toBe("<a>here</a>");
  }),
  ...(
    [
      [2, 2, false],
      [3, 2, true],
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
  behaviour("stops a redirect loop", async (h) => {
    const c = client(h);
    await expect(async () =>
      c.get("https://example.org/redirect_loop", { followRedirects: true }),
    ).rejects.toThrow(TooManyRedirects);
  }),
  ...(
    [
      ["drops", "https://example.com/cross_domain", undefined],
      ["drops", "https://example.org/cross_port", undefined],
      ["drops", "https://example.org/to_http", undefined],
      ["keeps", "https://example.org/cross_domain", "abc"],
      ["keeps", "http://example.org/to_https", "abc"],
    ] as const
  ).map(([verb, url, expected]) =>
    behaviour(`${verb} Authorization on a redirect from ${url}`, async (h) => {
      const response = await client(h).get(url, { headers: { Authorization: "abc" }, followRedirects: true });
      expect(echoed(response).header["authorization"]).toBe(expected);
    }),
  ),
  behaviour("rewrites Host when the origin changes", async (h) => {
    const response = await client(h).get("https://example.com/cross_port", { followRedirects: true });
    expect(echoed(response).header["host"]).toBe("example.org:8443");
  }),
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

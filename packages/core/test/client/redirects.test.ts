import {
  BaseTransport,
  Client,
  codes,
  RemoteProtocolError,
  type Request,
  Response,
  StreamConsumed,
  TooManyRedirects,
  UnsupportedProtocol,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

const decoder = new TextDecoder();

function echo(request: Request): Response {
  return new Response(200, {
    json: {
      method: request.method,
      body: decoder.decode(request.content),
      headers: Object.fromEntries(request.headers.multiItems()),
    },
  });
}

/** Redirect endpoints, after httpx's own redirect tests. */
function redirects(request: Request): Response {
  const path = request.url.path;
  const to = (status: number, location: string) => new Response(status, { headers: { location } });
  switch (path) {
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

function client(options: ConstructorParameters<typeof Client>[0] = {}): Client {
  return new Client({ transport: new MockTransport(redirects), ...options });
}

describe("redirects", () => {
  it.each([
    ["/redirect_301", "POST"],
    ["/redirect_302", "POST"],
    ["/redirect_303", "GET"],
  ])("follows %s sent with %s", async (path, method) => {
    const response = await client().request(method, `https://example.org${path}`, { followRedirects: true });
    expect(response.statusCode).toBe(codes.OK);
    expect(response.url.equals("https://example.org/")).toBe(true);
    expect(response.history).toHaveLength(1);
    expect(response.history[0]?.statusCode).toBe(Number(path.slice(-3)));
  });

  it.each([
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
  ])("a %i turns %s into %s", async (status, method, expected) => {
    const transport = new MockTransport((request) =>
      request.url.path === "/start"
        ? new Response(status, { headers: { location: "/end" } })
        : new Response(200, { json: request.method }),
    );
    const response = await new Client({ transport, followRedirects: true }).request(
      method,
      "https://a.test/start",
    );
    expect(response.request.method).toBe(expected);
  });

  it.each([
    [307, "Example request body"],
    [308, "Example request body"],
  ])("keeps the body and its headers on a %i", async (status) => {
    const response = await client({ followRedirects: true }).post(`https://example.org/redirect_${status}`, {
      content: "Example request body",
    });
    const json = response.json<{ body: string; headers: Record<string, string> }>();
    expect(json.body).toBe("Example request body");
    expect(json.headers["content-length"]).toBe("20");
  });

  it("drops the body and its headers when the method becomes GET", async () => {
    const transport = new MockTransport((request) =>
      request.url.path === "/start" ? new Response(303, { headers: { location: "/echo" } }) : echo(request),
    );
    const response = await new Client({ transport, followRedirects: true }).post(
      "https://example.org/start",
      {
        content: "Example request body",
      },
    );
    const json = response.json<{ method: string; body: string; headers: Record<string, string> }>();
    expect(json).toMatchObject({ method: "GET", body: "" });
    expect(json.headers["content-length"]).toBeUndefined();
    expect(json.headers["transfer-encoding"]).toBeUndefined();
  });

  it("returns the redirect with nextRequest when not following", async () => {
    const c = client();
    const request = c.buildRequest("POST", "https://example.org/redirect_303");
    const response = await c.send(request);
    expect(response.statusCode).toBe(codes.SEE_OTHER);
    expect(response.url.equals("https://example.org/redirect_303")).toBe(true);
    expect(response.nextRequest?.method).toBe("GET");
    expect(response.nextRequest?.url.equals("https://example.org/")).toBe(true);

    const next = await c.send(response.nextRequest as Request);
    expect(next.statusCode).toBe(codes.OK);
    expect(next.nextRequest).toBeNull();
  });

  it("follows redirects when the client says so and a request does not", async () => {
    const response = await client({ followRedirects: true }).get("https://example.org/redirect_303");
    expect(response.statusCode).toBe(200);
  });

  it("lets a request turn off the client's followRedirects", async () => {
    const response = await client({ followRedirects: true }).get("https://example.org/redirect_303", {
      followRedirects: false,
    });
    expect(response.statusCode).toBe(303);
  });

  it("keeps HEAD through a 302, and the final body is empty", async () => {
    const response = await client().head("https://example.org/redirect_302", { followRedirects: true });
    expect(response.request.method).toBe("HEAD");
    expect(response.history).toHaveLength(1);
    expect(response.text).toBe("");
  });

  it.each([
    ["a relative Location", "https://example.org/relative_redirect", "https://example.org/"],
    ["a Location without a host", "http://example.org/malformed_redirect", "https://example.org:443/"],
    ["a protocol-relative Location", "https://example.org/no_scheme_redirect", "https://example.org/"],
    [
      "the request's fragment",
      "https://example.org/relative_redirect#fragment",
      "https://example.org/#fragment",
    ],
    [
      "the Location's own fragment",
      "https://example.org/fragment_redirect#mine",
      "https://example.org/echo#other",
    ],
  ])("resolves %s", async (_, url, expected) => {
    const response = await client().get(url, { followRedirects: true });
    expect(response.statusCode).toBe(200);
    expect(response.url.equals(expected)).toBe(true);
  });

  it("raises RemoteProtocolError for a Location that is not a URL", async () => {
    const failure = client().get("http://example.org/invalid_redirect", { followRedirects: true });
    await expect(failure).rejects.toThrow(RemoteProtocolError);
    await expect(failure).rejects.toThrow(/^Invalid URL in location header: /);
  });

  it("attaches the request to the RemoteProtocolError", async () => {
    const error = await client()
      .get("http://example.org/invalid_redirect", { followRedirects: true })
      .catch((e: unknown) => e);
    expect((error as RemoteProtocolError).request.url.path).toBe("/invalid_redirect");
  });

  it("records every hop in history, each with its own history", async () => {
    const response = await client().get("https://example.org/multiple_redirects?count=20", {
      followRedirects: true,
    });
    expect(response.url.equals("https://example.org/multiple_redirects")).toBe(true);
    expect(response.history).toHaveLength(20);
    expect(response.history[0]?.url.equals("https://example.org/multiple_redirects?count=20")).toBe(true);
    expect(response.history[1]?.url.equals("https://example.org/multiple_redirects?count=19")).toBe(true);
    expect(response.history[0]?.history).toHaveLength(0);
    expect(response.history[1]?.history).toHaveLength(1);
    expect(response.history.every((hop) => hop.isClosed)).toBe(true);
  });

  it("reads the body of every response in history", async () => {
    const response = await client().get("https://example.org/redirect_301", { followRedirects: true });
    expect(response.history[0]?.text).toBe("<a>here</a>");
  });

  it.each([
    [20, 20, false],
    [21, 20, true],
    [2, 1, true],
    [1, 1, false],
    [1, 0, true],
  ])(
    "with %i redirects and maxRedirects %i, raises TooManyRedirects: %s",
    async (count, maxRedirects, raises) => {
      const sent = client({ maxRedirects }).get(`https://example.org/multiple_redirects?count=${count}`, {
        followRedirects: true,
      });
      if (raises)
        await expect(sent).rejects.toThrow(new TooManyRedirects("Exceeded maximum allowed redirects."));
      else expect((await sent).statusCode).toBe(200);
    },
  );

  it("stops a redirect loop", async () => {
    await expect(
      client().get("https://example.org/redirect_loop", { followRedirects: true }),
    ).rejects.toThrow(TooManyRedirects);
  });

  it("honours a changed maxRedirects", async () => {
    const c = client();
    c.maxRedirects = 1;
    await expect(
      c.get("https://example.org/multiple_redirects?count=2", { followRedirects: true }),
    ).rejects.toThrow(TooManyRedirects);
  });

  it.each([
    ["drops", "https://example.com/cross_domain", "to another host", undefined],
    ["drops", "https://example.org/cross_port", "to another port", undefined],
    ["drops", "https://example.org/to_http", "from https to http", undefined],
    ["drops", "http://example.com/to_https", "from http to https on another host", undefined],
    ["keeps", "https://example.org/cross_domain", "within the origin", "abc"],
    ["keeps", "http://example.org/to_https", "from http to https on the same host", "abc"],
  ])("%s Authorization on a redirect from %s (%s)", async (_, url, __, expected) => {
    const response = await client().get(url, { headers: { Authorization: "abc" }, followRedirects: true });
    const json = response.json<{ headers: Record<string, string> }>();
    expect(json.headers["authorization"]).toBe(expected);
  });

  it("drops Authorization set by auth on a cross-domain redirect", async () => {
    const response = await client().get("https://example.com/cross_domain", {
      auth: ["user", "pass"],
      followRedirects: true,
    });
    expect(response.json<{ headers: Record<string, string> }>().headers["authorization"]).toBeUndefined();
  });

  it("rewrites Host when the origin changes", async () => {
    const response = await client().get("https://example.com/cross_port", { followRedirects: true });
    expect(response.json<{ headers: Record<string, string> }>().headers["host"]).toBe("example.org:8443");
  });

  it("raises StreamConsumed when a one-shot body must be sent again", async () => {
    function* body(): Generator<Uint8Array> {
      yield new TextEncoder().encode("Example request body");
    }
    // Reads the body straight from its stream, as a network transport does, without buffering it.
    class StreamingTransport extends BaseTransport {
      async handleRequest(request: Request): Promise<Response> {
        for (const _ of request.stream as Iterable<Uint8Array>);
        return redirects(request);
      }
    }
    const consuming = new StreamingTransport();
    const c = new Client({ transport: consuming, followRedirects: true });
    await expect(c.post("https://example.org/redirect_307", { content: body() })).rejects.toThrow(
      StreamConsumed,
    );
  });

  it("can stream a redirect response that is not followed", async () => {
    const c = client();
    const status = await c.stream("GET", "https://example.org/redirect_301", async (response) => {
      expect(response.headers.get("location")).toBe("https://example.org/");
      return response.statusCode;
    });
    expect(status).toBe(301);
  });

  it("raises UnsupportedProtocol for a redirect to a scheme without a transport", async () => {
    const failure = client().post("https://example.org/redirect_custom_scheme", { followRedirects: true });
    await expect(failure).rejects.toThrow(
      new UnsupportedProtocol("Request URL has an unsupported protocol 'market://'."),
    );
  });

  it("follows a redirect to a mounted custom scheme", async () => {
    const market = new MockTransport(
      (request) => new Response(200, { text: `app ${request.url.params.get("id")}` }),
    );
    const c = client({ mounts: { "market://": market } });
    const response = await c.get("https://example.org/redirect_custom_scheme", { followRedirects: true });
    expect(response.text).toBe("app 42");
  });
});

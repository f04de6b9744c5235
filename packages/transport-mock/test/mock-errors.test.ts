import { Request, TransportError } from "@ferry/core";
import { M, MockRouter, UnmatchedRequestError } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

async function unmatched(router: MockRouter, request: Request): Promise<UnmatchedRequestError> {
  const error = await router.handleRequest(request).catch((caught: unknown) => caught);
  if (!(error instanceof UnmatchedRequestError))
    throw new Error(`expected an UnmatchedRequestError, got ${error}`);
  return error;
}

describe("UnmatchedRequestError", () => {
  it("shows the request, its key headers and body, and the closest routes with why each missed", async () => {
    const router = new MockRouter({ baseUrl: "https://api.example.com/v1" });
    router.get("/users/:id", { name: "get user" });
    router.post("/users", { json: { name: "Bob", role: "admin" } });
    router.get("/health");
    router.delete("/users/:id", { headers: { "x-admin": "yes" } });
    const request = new Request("POST", "https://api.example.com/v1/users", {
      json: { name: "Ada", role: "admin" },
      headers: { authorization: "Bearer secret-token-123", "x-admin": "no" },
    });
    const error = await unmatched(router, request);
    expect(error.request).toBe(request);
    expect(error.message).toBe(
      [
        "No route matches POST https://api.example.com/v1/users",
        "  content-type: application/json",
        "  authorization: Bearer secr...",
        "  x-admin: no",
        '  body: {"name":"Ada","role":"admin"}',
        "",
        "Closest routes (of 4):",
        '  1. POST https://api.example.com/v1/users with json {"name":"Bob","role":"admin"}',
        '     - json body at $.name: expected "Bob", got "Ada"',
        '  2. "get user" GET https://api.example.com/v1/users/:id',
        '     - method: expected "GET", got "POST"',
        '     - path: expected "/v1/users/:id", got "/v1/users"',
        "  3. GET https://api.example.com/v1/health",
        '     - method: expected "GET", got "POST"',
        '     - path: expected "/v1/health", got "/v1/users"',
      ].join("\n"),
    );
    expect(error.nearMisses.map((miss) => miss.route.name)).toEqual([undefined, "get user", undefined]);
  });

  it.each([
    ["query", { params: { page: "2" } }, "https://x.test/?page=3", 'params "page": expected "2", got "3"'],
    ["exact query", { params: M.exactly({ a: "1" }) }, "https://x.test/?a=1&b=2", 'params: unexpected "b"'],
    [
      "header",
      { headers: { accept: "text/html" } },
      "https://x.test/",
      'header "accept": expected "text/html", got absent',
    ],
    ["cookie", { cookies: { sid: null } }, "https://x.test/", ""],
    ["host", { host: "*.example.com" }, "https://x.test/", 'host: expected "*.example.com", got "x.test"'],
    ["port", { port: 8080 }, "https://x.test/", "port: expected 8080, got 443"],
    [
      "predicate",
      {
        when: function isAdmin() {
          return false;
        },
      },
      "https://x.test/",
      "isAdmin() returned false",
    ],
    [
      "not",
      { pattern: M.host("x.test").not() },
      "https://x.test/",
      'matches host "x.test", which it must not',
    ],
    [
      "or",
      { pattern: M.or(M.port(1), M.port(2)) },
      "https://x.test/",
      "none of (port: expected 1, got 443) or (port: expected 2, got 443)",
    ],
  ])("explains a %s mismatch", async (_, spec, url, reason) => {
    const router = new MockRouter();
    router.route({ ...spec, method: "GET" });
    const request = new Request("GET", url, { cookies: { sid: "1" } });
    if (reason === "") {
      expect((await unmatched(router, request)).message).toContain('cookie "sid": expected absent, got "1"');
      return;
    }
    expect((await unmatched(router, request)).message).toContain(`- ${reason}`);
  });

  it("puts a used-up route that matches first", async () => {
    const router = new MockRouter({ baseUrl: "https://x.test" });
    router.get("/other");
    router.get("/once").once();
    await router.handleRequest(new Request("GET", "https://x.test/once"));
    const error = await unmatched(router, new Request("GET", "https://x.test/once"));
    expect(error.message).toContain(
      "Routes:\n  1. GET https://x.test/once\n     - matches, but is used up: it answered 1 of 1 calls",
    );
  });

  it("says when the router has no routes, and is not a TransportError", async () => {
    const error = await unmatched(new MockRouter(), new Request("GET", "https://x.test/"));
    expect(error.message).toBe("No route matches GET https://x.test/\n\nThe router has no routes.");
    expect(error).not.toBeInstanceOf(TransportError);
  });

  it("shows a binary body by its size and clips a long one", async () => {
    const router = new MockRouter();
    router.post("https://x.test/", { content: "x" });
    const binary = await unmatched(
      router,
      new Request("POST", "https://x.test/", { content: new Uint8Array([0xff, 0xfe]) }),
    );
    expect(binary.message).toContain("  body: 2 bytes");
    const long = await unmatched(
      router,
      new Request("POST", "https://x.test/", { content: "y".repeat(500) }),
    );
    expect(long.message).toContain(`  body: ${"y".repeat(200)}... (500 characters)`);
  });
});

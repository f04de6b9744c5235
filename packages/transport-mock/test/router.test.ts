import { Request, URL } from "@ferry/core";
import { M, MockRouter, UnmatchedRequestError } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

/** Sends through the router and returns the status, or "unmatched". */
async function statusOf(router: MockRouter, request: Request): Promise<number | "unmatched"> {
  try {
    return (await router.handleRequest(request)).statusCode;
  } catch (error) {
    if (error instanceof UnmatchedRequestError) return "unmatched";
    throw error;
  }
}

const get = (url: string, options?: ConstructorParameters<typeof Request>[2]) =>
  new Request("GET", url, options);

describe("MockRouter routing", () => {
  it.each([
    ["exact path", "/users", "https://api.example.com/users", 200],
    ["exact path, other path", "/users", "https://api.example.com/users/1", "unmatched"],
    ["template segment", "/users/:id", "https://api.example.com/users/42", 200],
    [
      "template segment spans one segment only",
      "/users/:id",
      "https://api.example.com/users/42/posts",
      "unmatched",
    ],
    ["wildcard", "/files/*", "https://api.example.com/files/a/b.txt", 200],
    ["absolute URL", "https://api.example.com/users", "https://api.example.com/users", 200],
    [
      "absolute URL, other host",
      "https://api.example.com/users",
      "https://other.example.com/users",
      "unmatched",
    ],
    [
      "absolute URL, other scheme",
      "https://api.example.com/users",
      "http://api.example.com/users",
      "unmatched",
    ],
    ["absolute URL with a port", "http://localhost:8000/", "http://localhost:8000/", 200],
    ["absolute URL with a port, other port", "http://localhost:8000/", "http://localhost:8001/", "unmatched"],
    ["host wildcard", "https://*.example.com/", "https://eu.example.com/", 200],
    ["host case", "https://API.Example.com/", "https://api.example.com/", 200],
    ["query subset", "/search?q=ferry", "https://api.example.com/search?q=ferry&page=2", 200],
    ["query subset, missing", "/search?q=ferry", "https://api.example.com/search?page=2", "unmatched"],
    ["percent-encoded path", "/caf%C3%A9", "https://api.example.com/caf%C3%A9", 200],
  ] as const)("%s: %s ← %s", async (_, route, url, expected) => {
    const router = new MockRouter();
    router.get(route);
    expect(await statusOf(router, get(url))).toBe(expected);
  });

  it("routes by method, case-insensitively, and any method with route()", async () => {
    const router = new MockRouter();
    router.post("https://example.com/items").respond(201);
    router.route({ method: ["put", "PATCH"], url: "https://example.com/items" }).respond(204);
    router.route({ url: "https://example.com/any" }).respond(202);
    expect(await statusOf(router, new Request("POST", "https://example.com/items"))).toBe(201);
    expect(await statusOf(router, new Request("PATCH", "https://example.com/items"))).toBe(204);
    expect(await statusOf(router, new Request("GET", "https://example.com/items"))).toBe("unmatched");
    expect(await statusOf(router, new Request("DELETE", "https://example.com/any"))).toBe(202);
  });

  it.each([
    ["http", 80, "http://example.com/", 200],
    ["https", 443, "https://example.com/", 200],
    ["https", 8443, "https://example.com:8443/", 200],
    ["https", 443, "https://example.com:8443/", "unmatched"],
  ] as const)("matches %s on port %d counting the default port (%s)", async (scheme, port, url, expected) => {
    const router = new MockRouter();
    router.route({ scheme, port });
    expect(await statusOf(router, get(url))).toBe(expected);
  });

  it("passes RegExp named groups and :name segments to the handler", async () => {
    const router = new MockRouter({ baseUrl: "https://api.example.com" });
    router
      .get(/^\/orders\/(?<order>\d+)\/items\/(?<item>\d+)$/)
      .respond((_, { params }) => ({ json: params }));
    router.get("/users/:user/posts/:post").respond((_, { params }) => ({ json: params }));
    const order = await router.handleRequest(get("https://api.example.com/orders/12/items/3"));
    expect(order.json()).toEqual({ order: "12", item: "3" });
    const post = await router.handleRequest(get("https://api.example.com/users/ada/posts/7"));
    expect(post.json()).toEqual({ user: "ada", post: "7" });
  });

  it.each([
    ["prefix", M.startsWith("/v2/"), "/v2/anything/else", "/v1/x"],
    ["suffix", M.endsWith(".json"), "/data/file.json", "/data/file.xml"],
    ["contains", M.contains("admin"), "/x/admin/y", "/x/user/y"],
    ["glob *", M.glob("/files/*.txt"), "/files/a.txt", "/files/dir/a.txt"],
    ["glob **", M.glob("/files/**/*.txt"), "/files/dir/sub/a.txt", "/files/a.csv"],
    ["glob ?", M.glob("/v?/status"), "/v1/status", "/v10/status"],
    ["glob braces", M.glob("/{cats,dogs}/:id"), "/dogs/:id", "/birds/:id"],
    ["literal", M.equals("/a/:b"), "/a/:b", "/a/x"],
    ["one of", M.oneOf("/a", /^\/b/), "/bee", "/c"],
    ["function", (path: string) => path.length === 3, "/ab", "/abc"],
  ])("matches the path by %s", async (_, path, hit, miss) => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.get({ path });
    expect(await statusOf(router, get(`https://example.com${hit}`))).toBe(200);
    expect(await statusOf(router, get(`https://example.com${miss}`))).toBe("unmatched");
  });

  it("puts relative routes under the base URL's origin and path", async () => {
    const router = new MockRouter({ baseUrl: "https://api.example.com/v1/" });
    router.get("/users");
    router.get(/^\/orders\/\d+$/);
    router.get("https://elsewhere.example.com/ping");
    expect(await statusOf(router, get("https://api.example.com/v1/users"))).toBe(200);
    expect(await statusOf(router, get("https://api.example.com/v1/orders/3"))).toBe(200);
    expect(await statusOf(router, get("https://api.example.com/users"))).toBe("unmatched");
    expect(await statusOf(router, get("https://api.example.com/v1x/users"))).toBe("unmatched");
    expect(await statusOf(router, get("http://api.example.com/v1/users"))).toBe("unmatched");
    expect(await statusOf(router, get("https://elsewhere.example.com/ping"))).toBe(200);
  });

  it("matches everything under the base URL with a bare route()", async () => {
    const router = new MockRouter({ baseUrl: new URL("https://api.example.com/v1") });
    router.route();
    expect(router.baseUrl).toBe("https://api.example.com/v1");
    expect(await statusOf(router, new Request("DELETE", "https://api.example.com/v1/a/b"))).toBe(200);
    expect(await statusOf(router, get("https://api.example.com/v1"))).toBe(200);
    expect(await statusOf(router, get("https://api.example.com/v2"))).toBe("unmatched");
  });

  it("matches query params as a subset, exactly, absent, repeated and by test", async () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.get("/exact", { params: M.exactly({ a: "1", b: ["2", "3"] }) });
    router.get("/subset", { params: { page: 2, draft: false, q: /^fer/, token: null } });
    expect(await statusOf(router, get("https://example.com/exact?b=2&a=1&b=3"))).toBe(200);
    expect(await statusOf(router, get("https://example.com/exact?a=1&b=2&b=3&c=4"))).toBe("unmatched");
    expect(await statusOf(router, get("https://example.com/exact?a=1&b=3&b=2"))).toBe("unmatched");
    expect(await statusOf(router, get("https://example.com/subset?q=ferry&page=2&draft=false&x=1"))).toBe(
      200,
    );
    expect(await statusOf(router, get("https://example.com/subset?q=ferry&page=2&draft=false&token=t"))).toBe(
      "unmatched",
    );
    expect(await statusOf(router, get("https://example.com/subset?q=boat&page=2&draft=false"))).toBe(
      "unmatched",
    );
  });

  it("matches headers by value, test or absence, ignoring the name's case", async () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.get("/", {
      headers: { Authorization: /^Bearer \w+$/, "X-Trace": null, accept: "application/json" },
    });
    const headers = { authorization: "Bearer abc", Accept: "application/json" };
    expect(await statusOf(router, get("https://example.com/", { headers }))).toBe(200);
    expect(
      await statusOf(router, get("https://example.com/", { headers: { ...headers, "x-trace": "1" } })),
    ).toBe("unmatched");
    expect(
      await statusOf(router, get("https://example.com/", { headers: { accept: "application/json" } })),
    ).toBe("unmatched");
  });

  it("matches cookies of the Cookie header", async () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.get("/", { cookies: { session: "s3", theme: null } });
    expect(
      await statusOf(router, get("https://example.com/", { cookies: { session: "s3", lang: "en" } })),
    ).toBe(200);
    expect(
      await statusOf(router, get("https://example.com/", { cookies: { session: "s3", theme: "dark" } })),
    ).toBe("unmatched");
    expect(await statusOf(router, get("https://example.com/", { cookies: { session: "other" } }))).toBe(
      "unmatched",
    );
  });

  it("matches the body as text, bytes, JSON (exact or partial), form fields and by test", async () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.post("/text", { content: "hello" }).respond(201);
    router.post("/bytes", { content: new Uint8Array([1, 2, 3]) }).respond(202);
    router.post("/json", { json: { name: "Ada", tags: ["x"] } }).respond(203);
    router.post("/partial", { json: M.partial({ user: { name: "Ada" } }) }).respond(204);
    router.post("/asymmetric", { json: { id: expect.any(Number) } }).respond(205);
    router.post("/form", { data: { name: "Ada" } }).respond(206);
    router
      .post("/predicate", { json: (body: unknown) => Array.isArray(body) && body.length === 2 })
      .respond(207);
    const post = (path: string, options: ConstructorParameters<typeof Request>[2]) =>
      statusOf(router, new Request("POST", `https://example.com${path}`, options));
    expect(await post("/text", { content: "hello" })).toBe(201);
    expect(await post("/text", { content: "hello!" })).toBe("unmatched");
    expect(await post("/bytes", { content: new Uint8Array([1, 2, 3]) })).toBe(202);
    expect(await post("/bytes", { content: new Uint8Array([1, 2]) })).toBe("unmatched");
    expect(await post("/json", { json: { tags: ["x"], name: "Ada" } })).toBe(203);
    expect(await post("/json", { json: { name: "Ada", tags: ["x"], extra: 1 } })).toBe("unmatched");
    expect(await post("/partial", { json: { user: { name: "Ada", age: 36 }, more: true } })).toBe(204);
    expect(await post("/partial", { json: { user: { name: "Bob" } } })).toBe("unmatched");
    expect(await post("/asymmetric", { json: { id: 7 } })).toBe(205);
    expect(await post("/asymmetric", { json: { id: "7" } })).toBe("unmatched");
    expect(await post("/form", { data: { name: "Ada", age: 36 } })).toBe(206);
    expect(await post("/form", { json: { name: "Ada" } })).toBe("unmatched");
    expect(await post("/predicate", { json: [1, 2] })).toBe(207);
    expect(await post("/predicate", { content: "not json" })).toBe("unmatched");
  });

  it("reads a streaming request body before matching on it", async () => {
    const router = new MockRouter();
    router.post("https://example.com/upload", { content: "abcdef" }).respond(201);
    async function* chunks() {
      yield new TextEncoder().encode("abc");
      yield new TextEncoder().encode("def");
    }
    const request = new Request("POST", "https://example.com/upload", { content: chunks() });
    expect(await statusOf(router, request)).toBe(201);
    expect(new TextDecoder().decode(router.calls.last.request.content)).toBe("abcdef");
  });

  it("combines patterns with and, or and not, and accepts predicates", async () => {
    const router = new MockRouter();
    const mirrors = M.or(M.host("a.example.com"), M.host("b.example.com"));
    router.route(mirrors.and(M.path("/health").not())).respond(201);
    router.route(M.and(M.method("GET"), M.path("/health"))).respond(202);
    router.route((request) => request.headers.has("x-fallback")).respond(203);
    router.route({ pattern: M.url(/\?debug=1$/), when: (request) => request.method === "PUT" }).respond(204);
    expect(await statusOf(router, get("https://a.example.com/users"))).toBe(201);
    expect(await statusOf(router, get("https://b.example.com/users"))).toBe(201);
    expect(await statusOf(router, get("https://a.example.com/health"))).toBe(202);
    expect(await statusOf(router, get("https://c.example.com/users"))).toBe("unmatched");
    expect(await statusOf(router, get("https://c.example.com/", { headers: { "x-fallback": "1" } }))).toBe(
      203,
    );
    expect(await statusOf(router, new Request("PUT", "https://c.example.com/x?debug=1"))).toBe(204);
    expect(await statusOf(router, new Request("POST", "https://c.example.com/x?debug=1"))).toBe("unmatched");
  });

  it("tries routes in order: the first match answers", async () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.get("/users/me").respond(201);
    router.get("/users/:id").respond(202);
    expect(await statusOf(router, get("https://example.com/users/me"))).toBe(201);
    expect(await statusOf(router, get("https://example.com/users/1"))).toBe(202);
  });

  it("finds routes by name and removes them", async () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    const users = router.get("/users", { name: "list users" });
    expect(router.getRoute("list users")).toBe(users);
    expect(router.getRoute("missing")).toBeUndefined();
    router.removeRoute(users);
    expect(router.routes).toEqual([]);
    expect(await statusOf(router, get("https://example.com/users"))).toBe("unmatched");
  });

  it.each([
    [
      "an unknown route option",
      () => new MockRouter().route({ pth: "/x" } as never),
      /Unknown route option "pth"/,
    ],
    ["a bad port", () => new MockRouter().route({ port: 70000 }), /port must be a port number/],
    ["a path twice", () => new MockRouter().get("/a", { path: "/b" }), /Give the route's url once/],
    ["a relative base URL", () => new MockRouter({ baseUrl: "/v1" }), /baseUrl must be an absolute URL/],
    [
      "a bad header test",
      () => new MockRouter().route({ headers: { a: 1 as never } }),
      /headers\.a must be a string/,
    ],
    ["a bad glob", () => M.glob("/{a,b"), /has a "\{" without its "\}"/],
    ["an empty M.or()", () => M.or(), /M\.or\(\) needs at least one pattern/],
  ])("rejects %s with a clear error", (_, build, message) => {
    expect(build).toThrow(message);
  });
});

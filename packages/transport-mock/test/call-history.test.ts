import { Request } from "@ferry/core";
import { MockAssertionError, MockRouter } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

const BASE = "https://api.example.com";
const get = (router: MockRouter, path: string, headers?: Record<string, string>) =>
  router.handleRequest(new Request("GET", `${BASE}${path}`, { headers }));

describe("call history", () => {
  it("records calls on the route and the router, with request, response and captures", async () => {
    const router = new MockRouter({ baseUrl: BASE });
    const users = router.get("/users/:id").respond(200, { json: { ok: true } });
    const health = router.get("/health");
    expect(users.called).toBe(false);
    expect(router.called).toBe(false);
    await get(router, "/users/1");
    await get(router, "/users/2", { authorization: "Bearer t" });
    await get(router, "/health");
    expect(users.called).toBe(true);
    expect(users.callCount).toBe(2);
    expect(health.callCount).toBe(1);
    expect(router.callCount).toBe(3);
    expect(users.calls).toHaveLength(2);
    expect(users.calls.first.params).toEqual({ id: "1" });
    expect(users.calls.last.request.headers.get("authorization")).toBe("Bearer t");
    expect(users.calls.last.response.json()).toEqual({ ok: true });
    expect(users.calls.last.response.request).toBe(users.calls.last.request);
    expect(users.calls.last.route).toBe(users);
    expect(users.calls.at(-2)?.params).toEqual({ id: "1" });
    expect(users.calls.at(5)).toBeUndefined();
    expect(router.calls.requests.map((request) => request.url.path)).toEqual([
      "/users/1",
      "/users/2",
      "/health",
    ]);
    expect([...router.calls].map((call) => call.route)).toEqual([users, users, health]);
    expect(router.calls.filter((call) => call.route === health)).toHaveLength(1);
    expect(router.calls.toArray()).toHaveLength(3);
  });

  it("says which route was not called when asked for its last call", () => {
    const router = new MockRouter({ baseUrl: BASE });
    const route = router.get("/users", { name: "list users" });
    expect(() => route.calls.last).toThrow(
      'The route "list users" GET https://api.example.com/users was not called.',
    );
    expect(() => router.calls.first).toThrow("The router was not called.");
  });

  it("records a call that is still waiting for its response", async () => {
    const router = new MockRouter({ baseUrl: BASE });
    let release = () => {};
    const route = router.get("/slow").respond(() => new Promise((resolve) => (release = () => resolve(204))));
    const pending = get(router, "/slow");
    await Promise.resolve();
    await Promise.resolve();
    expect(route.callCount).toBe(1);
    expect(route.calls.last.hasResponse).toBe(false);
    expect(() => route.calls.last.response).toThrow(/has no response yet/);
    release();
    await pending;
    expect(route.calls.last.response.statusCode).toBe(204);
  });

  it("reset() forgets calls and lets limited routes answer again", async () => {
    const router = new MockRouter({ baseUrl: BASE });
    const route = router.get("/once").once();
    await get(router, "/once");
    await expect(get(router, "/once")).rejects.toThrow(/used up/);
    router.reset();
    expect(router.callCount).toBe(0);
    expect(route.called).toBe(false);
    expect((await get(router, "/once")).statusCode).toBe(200);
  });
});

describe("assertions", () => {
  it("assertAllCalled() passes when every route was called as often as it expects", async () => {
    const router = new MockRouter({ baseUrl: BASE });
    router.get("/a");
    router.get("/b").times(2);
    router.get("/c").sequence(500, 200);
    router.get("/d").optional();
    await get(router, "/a");
    await get(router, "/b");
    await get(router, "/b");
    await get(router, "/c");
    await get(router, "/c");
    expect(() => router.assertAllCalled()).not.toThrow();
  });

  it("assertAllCalled() lists the routes that were not called enough", async () => {
    const router = new MockRouter({ baseUrl: BASE });
    router.get("/a");
    router.get("/b").times(3);
    router.post("/c", { name: "create" });
    await get(router, "/b");
    const error = (() => {
      try {
        router.assertAllCalled();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(MockAssertionError);
    expect((error as Error).message).toBe(
      [
        "3 routes were not called as expected:",
        "  - GET https://api.example.com/a (called 0 of 1 times)",
        "  - GET https://api.example.com/b (called 1 of 3 times)",
        '  - "create" POST https://api.example.com/c (called 0 of 1 times)',
      ].join("\n"),
    );
  });

  it("assertAllCalled() checks only the routes it is given", () => {
    const router = new MockRouter({ baseUrl: BASE });
    router.get("/a");
    const b = router.get("/b");
    expect(() => router.assertAllCalled([b])).toThrow("1 route was not called as expected");
    expect(() => router.assertAllCalled([])).not.toThrow();
  });

  it("assertAllMocked() reports requests that were caught and swallowed", async () => {
    const router = new MockRouter({ baseUrl: BASE });
    router.get("/known");
    await get(router, "/known");
    await get(router, "/unknown").catch(() => {});
    expect(() => router.assertAllMocked()).toThrow(
      "1 request was not matched by any route:\n  - GET https://api.example.com/unknown",
    );
  });

  it("with assertAllMocked: false, answers unmatched requests with an empty 200 and still reports them", async () => {
    const router = new MockRouter({ assertAllMocked: false });
    const response = await get(router, "/anything");
    expect(response.statusCode).toBe(200);
    expect(router.calls.last.route).toBeNull();
    expect(() => router.assertAllMocked()).toThrow(MockAssertionError);
  });
});

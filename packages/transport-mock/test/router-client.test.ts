import { Client, ConnectTimeout, SyncClient } from "@ferry/core";
import { M, MockRouter, UnmatchedRequestError } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

describe("MockRouter through a Client", () => {
  it("serves a Client as its transport, with the client's base URL, params, headers, cookies and JSON", async () => {
    const router = new MockRouter({ baseUrl: "https://api.example.com/v1" });
    const create = router
      .post("/users", {
        params: { dryRun: "false" },
        headers: { authorization: "Bearer t0k3n" },
        cookies: { session: "s1" },
        json: { name: "Ada" },
      })
      .respond(201, { json: { id: 7 }, headers: { "set-cookie": "session=s2; Path=/" } });
    await using client = new Client({
      transport: router,
      baseUrl: "https://api.example.com/v1",
      headers: { authorization: "Bearer t0k3n" },
      cookies: { session: "s1" },
    });
    const response = await client.post("/users", { json: { name: "Ada" }, params: { dryRun: false } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: 7 });
    expect(client.cookies.get("session", { domain: "api.example.com" })).toBe("s2");
    expect(create.calls.last.request.headers.get("user-agent")).toMatch(/^ferry\//);
    router.assertAllCalled();
  });

  it("serves as a mount for one host while other hosts go elsewhere", async () => {
    const api = new MockRouter();
    api.get("https://api.example.com/ping").respond({ text: "pong" });
    const elsewhere = new MockRouter({ assertAllMocked: false });
    await using client = new Client({ transport: elsewhere, mounts: { "all://api.example.com": api } });
    expect((await client.get("https://api.example.com/ping")).text).toBe("pong");
    await client.get("https://other.example.com/");
    expect(api.callCount).toBe(1);
    expect(elsewhere.calls.last.request.url.host).toBe("other.example.com");
  });

  it("lets the client follow a mocked redirect", async () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.get("/old").respond(301, { headers: { location: "/new" } });
    router.get("/new").respond({ text: "moved here" });
    await using client = new Client({ transport: router, followRedirects: true });
    const response = await client.get("https://example.com/old");
    expect(response.text).toBe("moved here");
    expect(response.history.map((earlier) => earlier.statusCode)).toEqual([301]);
  });

  it("raises a mocked transport error through the client, with the request", async () => {
    const router = new MockRouter();
    router.get("https://example.com/").raise(ConnectTimeout);
    await using client = new Client({ transport: router });
    const error = await client.get("https://example.com/").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectTimeout);
    expect((error as ConnectTimeout).request.url.host).toBe("example.com");
  });

  it("raises the unmatched-request error through the client", async () => {
    await using client = new Client({ transport: new MockRouter() });
    await expect(client.get("https://example.com/missing")).rejects.toThrow(UnmatchedRequestError);
  });

  it("times out a delayed route with the client's read timeout", async () => {
    const router = new MockRouter();
    router.get("https://example.com/slow").respond(200).delay(2_000);
    await using client = new Client({ transport: router, timeout: 30 });
    await expect(client.get("https://example.com/slow")).rejects.toThrow(/Timed out after 30 ms/);
  });

  it("streams a mocked body to client.stream()", async () => {
    const router = new MockRouter();
    router.get("https://example.com/events").respond({ stream: ["data: 1\n", "data: 2\n"] });
    await using client = new Client({ transport: router });
    const lines: string[] = [];
    await client.stream("GET", "https://example.com/events", async (response) => {
      for await (const line of response.iterLines()) lines.push(line);
    });
    expect(lines).toEqual(["data: 1", "data: 2"]);
  });

  it("serves a SyncClient with synchronous handlers, sequences, streams and delays", () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.get("/users/:id").respond((_, { params }) => ({ json: { id: params.id } }));
    router.get("/flaky").sequence(503, 200);
    router
      .get("/stream")
      .respond({ stream: ["a", "b"] })
      .delay(5);
    using client = new SyncClient({ transport: router });
    expect(client.get("https://example.com/users/3").json()).toEqual({ id: "3" });
    expect(client.get("https://example.com/flaky").statusCode).toBe(503);
    expect(client.get("https://example.com/flaky").statusCode).toBe(200);
    expect(client.get("https://example.com/stream").text).toBe("ab");
    expect(router.callCount).toBe(4);
  });

  it("tells a SyncClient user that an async handler cannot serve it", () => {
    const router = new MockRouter();
    router.get("https://example.com/").respond(async () => 200);
    using client = new SyncClient({ transport: router });
    expect(() => client.get("https://example.com/")).toThrow(
      /returned a Promise: a SyncClient needs a handler/,
    );
  });

  it("matches by M patterns on requests the client built", async () => {
    const router = new MockRouter();
    router.route(M.and(M.method("GET"), M.header("accept", M.contains("json")))).respond(200);
    await using client = new Client({ transport: router });
    await client.get("https://example.com/", { headers: { accept: "application/json" } });
    await expect(client.get("https://example.com/")).rejects.toThrow(UnmatchedRequestError);
  });
});

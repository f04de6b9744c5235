import { AppTransport, MockRouter, MockTransport } from "@ferry/transport-mock";
import { mockRouter } from "@ferry/transport-mock/vitest";
import { ConnectTimeout, HTTPStatusError, Response } from "ferry";
import { describe, expect, it } from "vitest";
import { type Issue, IssueTracker } from "./mock-in-tests.js";

const baseUrl = "https://tracker.example.com/api";
const issue = (number: number, title: string): Issue => ({ number, title, state: "open" });

describe("with a MockTransport: one function answers every request", () => {
  it("sends the token, the Accept header and the query parameters", async () => {
    const transport = new MockTransport((request) => {
      expect(request.headers.get("authorization")).toBe("Bearer t0ken");
      expect(request.headers.get("accept")).toBe("application/json");
      expect(request.url.toString()).toBe(`${baseUrl}/issues?state=open&per_page=50`);
      return new Response(200, { json: [issue(1, "Ferry sinks")] });
    });
    await using tracker = new IssueTracker({ baseUrl, token: "t0ken", transport });
    expect(await tracker.listOpen()).toEqual([issue(1, "Ferry sinks")]);
  });
});

describe("with a MockRouter: routes, call history and assertions", () => {
  it("follows the Link header from page to page", async () => {
    const router = new MockRouter({ baseUrl });
    router.get("/issues", { params: { state: "open", page: null } }).respond(200, {
      json: [issue(1, "a")],
      headers: { link: `<${baseUrl}/issues?state=open&page=2>; rel="next"` },
    });
    router.get("/issues", { params: { page: 2 } }).respond({ json: [issue(2, "b")] });
    await using tracker = new IssueTracker({ baseUrl, token: "t0ken", transport: router });
    expect(await tracker.listOpen()).toEqual([issue(1, "a"), issue(2, "b")]);
    router.assertAllCalled();
    expect(router.calls.requests.map((request) => request.url.query)).toEqual([
      "state=open&per_page=50",
      "state=open&page=2",
    ]);
  });

  it("matches the JSON body and records the calls", async () => {
    const router = new MockRouter({ baseUrl });
    const create = router
      .post("/issues", { json: { title: "Ferry sinks" } })
      .respond(201, { json: issue(7, "Ferry sinks") });
    const close = router.patch("/issues/:number").respond(204);
    await using tracker = new IssueTracker({ baseUrl, token: "t0ken", transport: router });
    const created = await tracker.create("Ferry sinks");
    await tracker.closeIssue(created.number);
    expect(create.callCount).toBe(1);
    expect(close.calls.last.params).toEqual({ number: "7" });
    expect(close.calls.last.request.content).toEqual(new TextEncoder().encode('{"state":"closed"}'));
  });

  it("surfaces transport errors and error statuses as the API client's errors", async () => {
    const router = new MockRouter({ baseUrl });
    router.get("/issues").raise(ConnectTimeout);
    router.post("/issues").respond(422, { json: { error: "title taken" } });
    await using tracker = new IssueTracker({ baseUrl, token: "t0ken", transport: router });
    await expect(tracker.listOpen()).rejects.toBeInstanceOf(ConnectTimeout);
    const error = await tracker.create("again").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).response.json()).toEqual({ error: "title taken" });
  });
});

describe("with mockRouter(): the routes are checked when the test ends", () => {
  it("fails the test if a route was not called or a request matched no route", async () => {
    const router = mockRouter({ baseUrl });
    router.get("/issues").respond({ json: [] });
    await using tracker = new IssueTracker({ baseUrl, token: "t0ken", transport: router });
    expect(await tracker.listOpen()).toEqual([]);
  });
});

describe("with an AppTransport: a fake of the API in the same process", () => {
  it("creates, lists and closes issues against a Fetch-style handler", async () => {
    const issues: Issue[] = [];
    const app = async (request: globalThis.Request): Promise<globalThis.Response> => {
      const { pathname } = new globalThis.URL(request.url);
      if (request.method === "POST" && pathname === "/api/issues") {
        const { title } = (await request.json()) as { title: string };
        issues.push(issue(issues.length + 1, title));
        return globalThis.Response.json(issues.at(-1), { status: 201 });
      }
      if (request.method === "PATCH") {
        const found = issues.find(({ number }) => `/api/issues/${number}` === pathname);
        if (found !== undefined) found.state = "closed";
        return new globalThis.Response(null, { status: found === undefined ? 404 : 204 });
      }
      return globalThis.Response.json(issues.filter(({ state }) => state === "open"));
    };
    await using tracker = new IssueTracker({ baseUrl, token: "t0ken", transport: new AppTransport(app) });
    await tracker.create("first");
    await tracker.create("second");
    await tracker.closeIssue(1);
    expect(await tracker.listOpen()).toEqual([issue(2, "second")]);
    await expect(tracker.closeIssue(9)).rejects.toThrow(/Client error '404 Not Found'/);
  });
});

import { HTTPStatusError } from "@ferry/core";
import { FetchTransport } from "@ferry/transport-fetch";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { TasksClient } from "./tasks-client.js";

const baseUrl = "https://tasks.example.com/api";
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function setUp(tokens = ["t1"]) {
  let logins = 0;
  server.use(
    http.post(`${baseUrl}/auth/token`, ({ request }) => {
      if (request.headers.get("authorization") !== "Basic YWRhOnMzY3JldA==")
        return new HttpResponse(null, { status: 403 });
      return HttpResponse.json({ token: tokens[logins++] });
    }),
  );
  const tasks = new TasksClient({
    baseUrl,
    username: "ada",
    password: "s3cret",
    transport: new FetchTransport(),
  });
  return { tasks, logins: () => logins };
}

it("logs in and lists tasks across pages", async () => {
  const { tasks } = setUp();
  const pages: Record<string, object> = {
    "1": { items: [{ id: 1, title: "a" }], next: 2 },
    "2": { items: [{ id: 2, title: "b" }], next: null },
  };
  server.use(
    http.get(`${baseUrl}/tasks`, ({ request }) => {
      if (request.headers.get("authorization") !== "Bearer t1")
        return new HttpResponse(null, { status: 401 });
      const page = pages[new URL(request.url).searchParams.get("page") ?? ""];
      return page === undefined ? new HttpResponse(null, { status: 404 }) : HttpResponse.json(page);
    }),
  );
  expect(await tasks.listTasks()).toEqual([
    { id: 1, title: "a" },
    { id: 2, title: "b" },
  ]);
});

it("logs in again once after a 401, then retries", async () => {
  const { tasks, logins } = setUp(["stale", "fresh"]);
  server.use(
    http.get(`${baseUrl}/tasks`, ({ request }) => {
      if (request.headers.get("authorization") === "Bearer fresh")
        return HttpResponse.json({ items: [], next: null });
      return new HttpResponse(null, { status: 401 });
    }),
  );
  expect(await tasks.listTasks()).toEqual([]);
  expect(logins()).toBe(2);
});

it("sends a new task as JSON", async () => {
  const { tasks } = setUp();
  let sent: { body: unknown; authorization: string | null } | undefined;
  server.use(
    http.post(`${baseUrl}/tasks`, async ({ request }) => {
      sent = { body: await request.json(), authorization: request.headers.get("authorization") };
      return HttpResponse.json({ id: 3, title: "write tests" }, { status: 201 });
    }),
  );
  expect(await tasks.createTask("write tests")).toEqual({ id: 3, title: "write tests" });
  expect(sent).toEqual({ body: { title: "write tests" }, authorization: "Bearer t1" });
});

it("raises on a server error", async () => {
  const { tasks } = setUp();
  server.use(http.get(`${baseUrl}/tasks`, () => new HttpResponse(null, { status: 500 })));
  await expect(tasks.listTasks()).rejects.toThrow(HTTPStatusError);
});

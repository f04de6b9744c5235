import { HTTPStatusError } from "@ferry/core";
import { FetchTransport } from "@ferry/transport-fetch";
import nock from "nock";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { TasksClient } from "./tasks-client.js";

const origin = "https://tasks.example.com";
const baseUrl = `${origin}/api`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

function setUp() {
  const api = nock(origin);
  api
    .post("/api/auth/token")
    .matchHeader("authorization", "Basic YWRhOnMzY3JldA==")
    .reply(200, { token: "t1" });
  const tasks = new TasksClient({
    baseUrl,
    username: "ada",
    password: "s3cret",
    transport: new FetchTransport(),
  });
  return { api, tasks };
}

it("logs in and lists tasks across pages", async () => {
  const { api, tasks } = setUp();
  api
    .get("/api/tasks")
    .query({ page: "1" })
    .matchHeader("authorization", "Bearer t1")
    .reply(200, { items: [{ id: 1, title: "a" }], next: 2 });
  api
    .get("/api/tasks")
    .query({ page: "2" })
    .matchHeader("authorization", "Bearer t1")
    .reply(200, { items: [{ id: 2, title: "b" }], next: null });
  expect(await tasks.listTasks()).toEqual([
    { id: 1, title: "a" },
    { id: 2, title: "b" },
  ]);
});

it("logs in again once after a 401, then retries", async () => {
  nock.cleanAll();
  const api = nock(origin);
  api.post("/api/auth/token").reply(200, { token: "stale" });
  api.post("/api/auth/token").reply(200, { token: "fresh" });
  api.get("/api/tasks").query(true).matchHeader("authorization", "Bearer stale").reply(401);
  api
    .get("/api/tasks")
    .query(true)
    .matchHeader("authorization", "Bearer fresh")
    .reply(200, { items: [], next: null });
  const tasks = new TasksClient({
    baseUrl,
    username: "ada",
    password: "s3cret",
    transport: new FetchTransport(),
  });
  expect(await tasks.listTasks()).toEqual([]);
  expect(api.isDone()).toBe(true);
});

it("sends a new task as JSON", async () => {
  const { api, tasks } = setUp();
  let authorization: string | undefined;
  api.post("/api/tasks", { title: "write tests" }).reply(201, function () {
    authorization = this.req.headers["authorization"] as string;
    return { id: 3, title: "write tests" };
  });
  expect(await tasks.createTask("write tests")).toEqual({ id: 3, title: "write tests" });
  expect(authorization).toBe("Bearer t1");
});

it("raises on a server error", async () => {
  const { api, tasks } = setUp();
  api.get("/api/tasks").query(true).reply(500);
  await expect(tasks.listTasks()).rejects.toThrow(HTTPStatusError);
});

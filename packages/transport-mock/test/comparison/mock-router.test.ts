import { HTTPStatusError } from "@ferry/core";
import { mockRouter } from "@ferry/transport-mock/vitest";
import { expect, it } from "vitest";
import { TasksClient } from "./tasks-client.js";

const baseUrl = "https://tasks.example.com/api";

function setUp() {
  const router = mockRouter({ baseUrl });
  const login = router.post("/auth/token", { headers: { authorization: "Basic YWRhOnMzY3JldA==" } });
  login.respond({ json: { token: "t1" } });
  const tasks = new TasksClient({ baseUrl, username: "ada", password: "s3cret", transport: router });
  return { router, login, tasks };
}

it("logs in and lists tasks across pages", async () => {
  const { router, tasks } = setUp();
  const bearer = { authorization: "Bearer t1" };
  router
    .get("/tasks", { params: { page: "1" }, headers: bearer })
    .respond({ json: { items: [{ id: 1, title: "a" }], next: 2 } });
  router
    .get("/tasks", { params: { page: "2" }, headers: bearer })
    .respond({ json: { items: [{ id: 2, title: "b" }], next: null } });
  expect(await tasks.listTasks()).toEqual([
    { id: 1, title: "a" },
    { id: 2, title: "b" },
  ]);
});

it("logs in again once after a 401, then retries", async () => {
  const { router, login, tasks } = setUp();
  login.sequence({ json: { token: "stale" } }, { json: { token: "fresh" } });
  router.get("/tasks", { headers: { authorization: "Bearer stale" } }).respond(401);
  router
    .get("/tasks", { headers: { authorization: "Bearer fresh" } })
    .respond({ json: { items: [], next: null } });
  expect(await tasks.listTasks()).toEqual([]);
  expect(login.callCount).toBe(2);
});

it("sends a new task as JSON", async () => {
  const { router, tasks } = setUp();
  const create = router
    .post("/tasks", { json: { title: "write tests" } })
    .respond(201, { json: { id: 3, title: "write tests" } });
  expect(await tasks.createTask("write tests")).toEqual({ id: 3, title: "write tests" });
  expect(create.calls.last.request.headers.get("authorization")).toBe("Bearer t1");
});

it("raises on a server error", async () => {
  const { router, tasks } = setUp();
  router.get("/tasks").respond(500);
  await expect(tasks.listTasks()).rejects.toThrow(HTTPStatusError);
});

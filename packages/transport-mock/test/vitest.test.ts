import { Client } from "@ferry/core";
import type { MockRouter } from "@ferry/transport-mock";
import { mockRouter } from "@ferry/transport-mock/vitest";
import { beforeEach, describe, expect, it } from "vitest";

describe("mockRouter() for vitest", () => {
  it("passes a test that called every route", async () => {
    const router = mockRouter({ baseUrl: "https://api.example.com" });
    router.get("/users/1").respond({ json: { name: "Ada" } });
    await using client = new Client({ transport: router });
    expect((await client.get("https://api.example.com/users/1")).json()).toEqual({ name: "Ada" });
  });

  it.fails("fails a test that left a route uncalled", () => {
    const router = mockRouter({ baseUrl: "https://api.example.com" });
    router.get("/users/1");
  });

  it.fails("fails a test whose code swallowed an unmatched request", async () => {
    const router = mockRouter();
    await using client = new Client({ transport: router });
    await client.get("https://api.example.com/unknown").catch(() => {});
  });

  it("lets unmatched requests through with assertAllMocked: false", async () => {
    const router = mockRouter({ assertAllMocked: false });
    await using client = new Client({ transport: router });
    expect((await client.get("https://api.example.com/anything")).statusCode).toBe(200);
  });

  it("leaves uncalled routes alone with assertAllCalled: false", () => {
    const router = mockRouter({ assertAllCalled: false });
    router.get("https://api.example.com/maybe");
  });

  describe("in beforeEach", () => {
    let router: MockRouter;
    beforeEach(() => {
      router = mockRouter({ baseUrl: "https://api.example.com" });
      router.get("/config").respond({ json: { flags: [] } });
    });

    it("checks the routes of each test", async () => {
      await using client = new Client({ transport: router });
      await client.get("https://api.example.com/config");
    });

    it.fails("fails the test that did not call them", () => {
      expect(router.routes).toHaveLength(1);
    });
  });
});

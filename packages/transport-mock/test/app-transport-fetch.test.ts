import { Client, ReadTimeout, Request, SyncClient } from "@ferry/core";
import { AppTransport } from "@ferry/transport-mock";
import { Hono } from "hono";
import { stream as honoStream } from "hono/streaming";
import { describe, expect, it } from "vitest";

function honoApp(): Hono {
  const app = new Hono();
  app.get("/users/:id", (c) => c.json({ id: c.req.param("id"), ua: c.req.header("user-agent") ?? null }));
  app.post("/echo", async (c) =>
    c.json({ received: await c.req.json(), type: c.req.header("content-type") }),
  );
  app.post("/upload", async (c) => c.text(`${(await c.req.arrayBuffer()).byteLength} bytes`));
  app.get("/cookies", (c) => {
    c.header("set-cookie", "a=1; Path=/", { append: true });
    c.header("set-cookie", "b=2; Path=/", { append: true });
    return c.text(c.req.header("cookie") ?? "none");
  });
  app.get("/redirect", (c) => c.redirect("/users/1"));
  app.get("/stream", (c) =>
    honoStream(c, async (out) => {
      for (const part of ["one\n", "two\n", "three\n"]) await out.write(part);
    }),
  );
  app.get("/boom", () => {
    throw new Error("boom in a handler");
  });
  app.onError((error, c) => c.text(`handled: ${error.message}`, 500));
  return app;
}

describe("AppTransport with a Fetch-style app (Hono)", () => {
  it("sends requests into the app with the client's headers, and reads its JSON", async () => {
    await using client = new Client({ transport: new AppTransport(honoApp()), baseUrl: "http://app.test" });
    const response = await client.get("/users/42");
    expect(response.statusCode).toBe(200);
    expect(response.httpVersion).toBe("HTTP/1.1");
    expect(response.json()).toEqual({ id: "42", ua: expect.stringMatching(/^ferry\//) });
  });

  it("sends JSON and streamed request bodies", async () => {
    await using client = new Client({ transport: new AppTransport(honoApp()), baseUrl: "http://app.test" });
    expect((await client.post("/echo", { json: { name: "Ada" } })).json()).toEqual({
      received: { name: "Ada" },
      type: "application/json",
    });
    async function* chunks() {
      for (let index = 0; index < 4; index++) yield new Uint8Array(1000);
    }
    expect((await client.post("/upload", { content: chunks() })).text).toBe("4000 bytes");
  });

  it("streams the app's response body as the app writes it", async () => {
    await using client = new Client({ transport: new AppTransport(honoApp()), baseUrl: "http://app.test" });
    const lines: string[] = [];
    await client.stream("GET", "/stream", async (response) => {
      for await (const line of response.iterLines()) lines.push(line);
    });
    expect(lines).toEqual(["one", "two", "three"]);
  });

  it("keeps every Set-Cookie, sends cookies back, and follows the app's redirects", async () => {
    await using client = new Client({
      transport: new AppTransport(honoApp()),
      baseUrl: "http://app.test",
      followRedirects: true,
    });
    const first = await client.get("/cookies");
    expect(first.headers.getList("set-cookie")).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect((await client.get("/cookies")).text).toBe("a=1; b=2");
    const redirected = await client.get("/redirect");
    expect(redirected.url.path).toBe("/users/1");
    expect(redirected.history).toHaveLength(1);
  });

  it("returns what Hono's error handler answers for a failing route", async () => {
    await using client = new Client({ transport: new AppTransport(honoApp()) });
    const response = await client.get("http://app.test/boom");
    expect(response.statusCode).toBe(500);
    expect(response.text).toBe("handled: boom in a handler");
  });

  it("accepts a bare handler and an object with fetch()", async () => {
    const handler = (request: globalThis.Request) =>
      new Response(`${request.method} ${new URL(request.url).pathname}`);
    await using bare = new Client({ transport: new AppTransport(handler) });
    expect((await bare.delete("http://app.test/x")).text).toBe("DELETE /x");
    await using object = new Client({
      transport: new AppTransport({ fetch: async () => new Response("ok") }),
    });
    expect((await object.get("http://app.test/")).text).toBe("ok");
  });

  it("raises the app's errors by default", async () => {
    const transport = new AppTransport(() => {
      throw new RangeError("app bug");
    });
    await using client = new Client({ transport });
    await expect(client.get("http://app.test/")).rejects.toThrow("app bug");
  });

  it("turns the app's errors into a 500 with raiseAppExceptions: false", async () => {
    const failure = new RangeError("app bug");
    const transport = new AppTransport(
      async () => {
        throw failure;
      },
      { raiseAppExceptions: false },
    );
    await using client = new Client({ transport });
    const response = await client.get("http://app.test/");
    expect(response.statusCode).toBe(500);
    expect(response.extensions["app_error"]).toBe(failure);
  });

  it("raises an error the app's body stream fails with, or ends the body quietly", async () => {
    const failing = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("partial"));
          },
          pull(controller) {
            controller.error(new Error("stream broke"));
          },
        }),
      );
    await using raising = new Client({ transport: new AppTransport(failing) });
    await expect(raising.get("http://app.test/")).rejects.toThrow("stream broke");
    await using quiet = new Client({ transport: new AppTransport(failing, { raiseAppExceptions: false }) });
    expect((await quiet.get("http://app.test/")).text).toBe("partial");
  });

  it("answers HEAD without a body", async () => {
    await using client = new Client({ transport: new AppTransport(() => new Response("body")) });
    const response = await client.head("http://app.test/");
    expect(response.content).toEqual(new Uint8Array(0));
  });

  it("times out an app that does not answer within the read timeout", async () => {
    await using client = new Client({
      transport: new AppTransport(() => new Promise(() => {})),
      timeout: 30,
    });
    await expect(client.get("http://app.test/")).rejects.toThrow(ReadTimeout);
  });

  it("times out a body that stalls, within a few ms of the read timeout, and cancels it", async () => {
    let cancelled: () => void = () => {};
    const cancel = new Promise<void>((resolve) => {
      cancelled = resolve;
    });
    const stalling = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("half of it"));
          },
          cancel: () => cancelled(),
        }),
      );
    await using client = new Client({ transport: new AppTransport(stalling), timeout: 100 });
    await client.stream("GET", "http://app.test/", async (response) => {
      const chunks = response.iterBytes()[Symbol.asyncIterator]();
      expect((await chunks.next()).value).toHaveLength(10);
      const started = performance.now();
      await expect(chunks.next()).rejects.toThrow(ReadTimeout);
      expect(performance.now() - started).toBeGreaterThanOrEqual(99);
      expect(performance.now() - started).toBeLessThan(100 + 50);
    });
    await cancel;
  });

  it("reads a slow but steady body that takes longer than the read timeout in all", async () => {
    let sent = 0;
    const steady = () =>
      new Response(
        new ReadableStream({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            controller.enqueue(new TextEncoder().encode(`${sent}\n`));
            if (++sent === 10) controller.close();
          },
        }),
      );
    await using client = new Client({ transport: new AppTransport(steady), timeout: 100 });
    const started = performance.now();
    const response = await client.get("http://app.test/");
    expect(performance.now() - started).toBeGreaterThan(100);
    expect(response.text).toBe("0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
  });

  it("refuses a GET with a body, which a Fetch Request cannot carry", async () => {
    const transport = new AppTransport(() => new Response("x"));
    await expect(
      transport.handleRequest(new Request("GET", "http://app.test/", { content: "x" })),
    ).rejects.toThrow("A Fetch-style app cannot receive a GET request with a body.");
  });

  it.each([
    ["null", null],
    ["a number", 3],
    ["an object without fetch or listener", {}],
  ])("rejects %s as the app", (_, app) => {
    expect(() => new AppTransport(app as never)).toThrow(/AppTransport needs a Fetch-style handler/);
  });

  it("is not usable by a SyncClient", () => {
    expect(() => new SyncClient({ transport: new AppTransport(() => new Response()) })).toThrow(
      /cannot send requests synchronously/,
    );
  });
});

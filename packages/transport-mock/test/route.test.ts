import {
  BaseTransport,
  ConnectError,
  ConnectTimeout,
  ReadTimeout,
  Request,
  Response,
  type Response as ResponseType,
  runtime,
  setTransportFactory,
} from "@ferry/core";
import { MockRouter, MockTransport, type Route, UnmatchedRequestError } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

const URL_ = "https://api.example.com/items";

class AsyncOnly extends BaseTransport {
  async handleRequest(): Promise<Response> {
    return new Response(200);
  }
}
const send = (router: MockRouter, options?: ConstructorParameters<typeof Request>[2]) =>
  router.handleRequest(new Request("GET", URL_, options));

async function bodyText(response: ResponseType): Promise<string> {
  return new TextDecoder().decode(await response.read());
}

describe("Route replies", () => {
  it("answers an empty 200 when given no reply", async () => {
    const router = new MockRouter();
    router.get(URL_);
    const response = await send(router);
    expect(response.statusCode).toBe(200);
    expect(await response.read()).toEqual(new Uint8Array(0));
  });

  it.each([
    ["a status and options", (router: MockRouter) => router.get(URL_).respond(201, { json: { id: 1 } })],
    [
      "a shorthand object",
      (router: MockRouter) => router.get(URL_).respond({ status: 201, json: { id: 1 } }),
    ],
    ["a Response", (router: MockRouter) => router.get(URL_).respond(new Response(201, { json: { id: 1 } }))],
    [
      "a handler",
      (router: MockRouter) => router.get(URL_).respond(() => new Response(201, { json: { id: 1 } })),
    ],
    [
      "an async handler",
      (router: MockRouter) => router.get(URL_).respond(async () => ({ status: 201, json: { id: 1 } })),
    ],
  ])("answers with %s, as often as asked", async (_, setUp) => {
    const router = new MockRouter();
    setUp(router);
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await send(router);
      expect(response.statusCode).toBe(201);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(JSON.parse(await bodyText(response))).toEqual({ id: 1 });
    }
  });

  it("answers each call with a response of its own", async () => {
    const router = new MockRouter();
    router.get(URL_).respond({ text: "hi", headers: { "x-a": "1" } });
    const first = await send(router);
    first.headers.set("x-a", "changed");
    const second = await send(router);
    expect(second).not.toBe(first);
    expect(second.headers.get("x-a")).toBe("1");
    expect(second.text).toBe("hi");
  });

  it("answers with a status code from a handler, and text, html and raw content shorthands", async () => {
    const router = new MockRouter({ baseUrl: "https://api.example.com" });
    router.get("/status").respond(() => 418);
    router.get("/text").respond({ text: "plain" });
    router.get("/html").respond({ html: "<p>hi</p>" });
    router.get("/bytes").respond({ content: new Uint8Array([7, 8]), headers: { "content-type": "x/y" } });
    const at = (path: string) => router.handleRequest(new Request("GET", `https://api.example.com${path}`));
    expect((await at("/status")).statusCode).toBe(418);
    expect((await at("/text")).headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect((await at("/html")).text).toBe("<p>hi</p>");
    expect(await (await at("/bytes")).read()).toEqual(new Uint8Array([7, 8]));
  });

  it("gives the handler the request, the captures and the call index", async () => {
    const router = new MockRouter({ baseUrl: "https://api.example.com" });
    const route: Route = router.post("/users/:id");
    route.respond((request, { params, route: matched, callIndex }) => ({
      json: {
        id: params.id,
        body: JSON.parse(new TextDecoder().decode(request.content)),
        callIndex,
        same: matched === route,
      },
    }));
    const request = () => new Request("POST", "https://api.example.com/users/9", { json: { a: 1 } });
    expect((await router.handleRequest(request())).json()).toEqual({
      id: "9",
      body: { a: 1 },
      callIndex: 0,
      same: true,
    });
    expect((await router.handleRequest(request())).json()).toMatchObject({ callIndex: 1 });
  });

  it("answers a sequence in order, then is used up", async () => {
    const router = new MockRouter();
    router.get(URL_).sequence(500, { status: 503 }, () => new Response(200));
    expect((await send(router)).statusCode).toBe(500);
    expect((await send(router)).statusCode).toBe(503);
    expect((await send(router)).statusCode).toBe(200);
    await expect(send(router)).rejects.toThrow(UnmatchedRequestError);
  });

  it("repeats the last reply of a persisted sequence", async () => {
    const router = new MockRouter();
    router.get(URL_).sequence(500, 200).persist();
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await send(router)).statusCode);
    expect(statuses).toEqual([500, 200, 200, 200]);
  });

  it("falls through to the next route once a limited route is used up", async () => {
    const router = new MockRouter();
    router.get(URL_).respond(201).times(2);
    router.get(URL_).respond(202).once();
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await send(router)).statusCode);
    expect(statuses).toEqual([201, 201, 202]);
    await expect(send(router)).rejects.toThrow(/used up: it answered 1 of 1 calls/);
  });

  it("persist() lifts times()", async () => {
    const router = new MockRouter();
    const route = router.get(URL_).times(1).persist();
    await send(router);
    await send(router);
    expect(route.callCount).toBe(2);
  });

  it("shares a limited route fairly between concurrent requests", async () => {
    const router = new MockRouter();
    router.get(URL_).respond(201).once().delay(5);
    router.get(URL_).respond(202);
    const statuses = await Promise.all([send(router), send(router), send(router)]);
    expect(statuses.map((response) => response.statusCode).sort()).toEqual([201, 202, 202]);
  });

  it.each([
    ["an error instance", new ConnectError("refused")],
    ["an error class", ConnectError],
  ])("raises %s, with the request attached", async (_, error) => {
    const router = new MockRouter();
    const route = router.get(URL_).raise(error);
    const thrown = await send(router).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(ConnectError);
    expect((thrown as ConnectError).request.url.toString()).toBe(URL_);
    expect(route.calls.last.error).toBe(thrown);
    expect(() => route.calls.last.response).toThrow(
      /raised an error instead of returning a response: ConnectError/,
    );
  });

  it("raises errors inside a sequence, as a flaky server would", async () => {
    const router = new MockRouter();
    router.get(URL_).sequence(new ConnectTimeout("slow"), ConnectError, 200);
    await expect(send(router)).rejects.toThrow(ConnectTimeout);
    await expect(send(router)).rejects.toThrow(ConnectError);
    expect((await send(router)).statusCode).toBe(200);
  });

  it("surfaces an error the handler throws", async () => {
    const router = new MockRouter();
    router.get(URL_).respond(() => {
      throw new RangeError("handler bug");
    });
    await expect(send(router)).rejects.toThrow("handler bug");
  });

  it("rejects what a handler returns when it is not a response", async () => {
    const router = new MockRouter();
    router.get(URL_).respond(() => "nope" as never);
    await expect(send(router)).rejects.toThrow(/returned "nope": return a Response, a status code/);
  });

  it("waits before answering", async () => {
    const router = new MockRouter();
    router.get(URL_).respond(200).delay(40);
    const started = performance.now();
    await send(router);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it("raises ReadTimeout when the delay outlasts the request's read timeout", async () => {
    const router = new MockRouter();
    router.get(URL_).respond(200).delay(5_000);
    const timeout = { connect: 1000, read: 20, write: 1000, pool: 1000 };
    const started = performance.now();
    await expect(send(router, { extensions: { timeout } })).rejects.toThrow(ReadTimeout);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("streams a body chunk by chunk, afresh for each call", async () => {
    const router = new MockRouter();
    router
      .get(URL_)
      .respond({ status: 200, headers: { "content-type": "text/event-stream" }, stream: ["a", "b", "c"] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await send(router);
      const chunks: string[] = [];
      for await (const chunk of response.iterText()) chunks.push(chunk);
      expect(chunks).toEqual(["a", "b", "c"]);
    }
  });

  it("streams from a function, an async generator, or a ReadableStream", async () => {
    const router = new MockRouter({ baseUrl: "https://example.com" });
    router.get("/fn").respond({
      stream: async function* () {
        yield "x";
        yield new Uint8Array([121]);
      },
    });
    router.get("/readable").respond({
      stream: () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("r1"));
            controller.enqueue(new TextEncoder().encode("r2"));
            controller.close();
          },
        }),
    });
    const at = (path: string) => router.handleRequest(new Request("GET", `https://example.com${path}`));
    expect(await bodyText(await at("/fn"))).toBe("xy");
    expect(await bodyText(await at("/fn"))).toBe("xy");
    expect(await bodyText(await at("/readable"))).toBe("r1r2");
  });

  it("sends a one-shot stream once, then says how to send it again", async () => {
    const router = new MockRouter();
    router.get(URL_).respond({
      stream: (function* () {
        yield "once";
      })(),
    });
    expect(await bodyText(await send(router))).toBe("once");
    await expect(send(router)).rejects.toThrow(/one-shot iterable that was already sent/);
  });

  it("passes chosen routes through to a real transport", async () => {
    class Backend extends BaseTransport {
      seen: string[] = [];
      async handleRequest(request: Request): Promise<Response> {
        this.seen.push(String(request.url));
        return new Response(299, { text: "from the network" });
      }
    }
    const backend = new Backend();
    const other = new Backend();
    const router = new MockRouter({ baseUrl: "https://api.example.com", passThrough: backend });
    const live = router.get("/live").passThrough();
    router.get("/own").passThrough(other);
    router.get("/mocked").respond(200);
    const at = (path: string) => router.handleRequest(new Request("GET", `https://api.example.com${path}`));
    expect((await at("/live")).text).toBe("from the network");
    expect((await at("/own")).statusCode).toBe(299);
    expect((await at("/mocked")).statusCode).toBe(200);
    expect(backend.seen).toEqual(["https://api.example.com/live"]);
    expect(other.seen).toEqual(["https://api.example.com/own"]);
    expect(live.calls.last.response.statusCode).toBe(299);
  });

  it("passes through to the runtime's default transport when the router has none, and closes it", async () => {
    class Backend extends BaseTransport {
      closed = false;
      async handleRequest(): Promise<Response> {
        return new Response(298);
      }
      override async close(): Promise<void> {
        this.closed = true;
      }
    }
    const built: Backend[] = [];
    const previous = runtime.transportFactory;
    setTransportFactory(() => {
      const backend = new Backend();
      built.push(backend);
      return backend;
    });
    try {
      const router = new MockRouter();
      router.get(URL_).passThrough();
      expect((await send(router)).statusCode).toBe(298);
      expect((await send(router)).statusCode).toBe(298);
      expect(built).toHaveLength(1);
      await router.close();
      expect(built[0]?.closed).toBe(true);
    } finally {
      setTransportFactory(previous);
    }
  });

  it("passes through synchronously, for a SyncClient, to a transport that can", () => {
    const router = new MockRouter({ passThrough: new MockTransport(() => new Response(297)) });
    router.get(URL_).passThrough();
    router.get("https://api.example.com/async").passThrough(new AsyncOnly());
    expect(router.handleRequestSync(new Request("GET", URL_)).statusCode).toBe(297);
    expect(() => router.handleRequestSync(new Request("GET", "https://api.example.com/async"))).toThrow(
      "AsyncOnly cannot send requests synchronously, as a SyncClient needs.",
    );
  });

  it("says how to give a transport when a pass-through route has none", async () => {
    const router = new MockRouter();
    router.get(URL_).passThrough();
    await expect(send(router)).rejects.toThrow(/has no transport to send them with/);
  });

  it.each([
    ["times(0)", (router: MockRouter) => router.get(URL_).times(0), /positive integer/],
    ["delay(-1)", (router: MockRouter) => router.get(URL_).delay(-1), /milliseconds >= 0/],
    ["an empty sequence", (router: MockRouter) => router.get(URL_).sequence(), /at least one reply/],
    ["a bad status", (router: MockRouter) => router.get(URL_).respond(42), /integer from 100 to 999/],
    [
      "a bad shorthand key",
      (router: MockRouter) => router.get(URL_).respond({ body: "x" } as never),
      /Unknown response option "body"/,
    ],
    ["a bad reply", (router: MockRouter) => router.get(URL_).respond("text" as never), /got "text"/],
  ])("rejects %s with a clear error", (_, build, message) => {
    expect(() => build(new MockRouter())).toThrow(message);
  });
});

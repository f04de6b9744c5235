import { Client, HTTPStatusError, type Request, Response, supportedEncodings, VERSION } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

function app(request: Request): Response {
  if (request.url.path === "/redirect")
    return new Response(303, { headers: { server: "testserver", location: "/" } });
  if (request.url.path.startsWith("/status/")) {
    return new Response(Number(request.url.path.slice(-3)), { headers: { server: "testserver" } });
  }
  return new Response(200, { headers: { server: "testserver" }, text: "body" });
}

const requestHeaders = {
  host: "127.0.0.1:8000",
  accept: "*/*",
  "accept-encoding": supportedEncodings().join(", "),
  connection: "keep-alive",
  "user-agent": `ferry/${VERSION}`,
  authorization: "Basic dXNlcm5hbWU6cGFzc3dvcmQ=",
};

type Event = { event: string; headers: Record<string, string> };

function recorder(kind: "sync" | "async") {
  const events: Event[] = [];
  const record = (event: string, headers: Iterable<[string, string]>) =>
    events.push({ event, headers: Object.fromEntries(headers) });
  const request =
    kind === "sync"
      ? (r: Request) => record("request", r.headers)
      : async (r: Request) => {
          await Promise.resolve();
          record("request", r.headers);
        };
  const response =
    kind === "sync"
      ? (r: Response) => record("response", r.headers)
      : async (r: Response) => {
          await Promise.resolve();
          record("response", r.headers);
        };
  return { events, eventHooks: { request: [request], response: [response] } };
}

describe("event hooks", () => {
  it.each(["sync", "async"] as const)("runs %s request and response hooks", async (kind) => {
    const { events, eventHooks } = recorder(kind);
    const client = new Client({ eventHooks, transport: new MockTransport(app) });
    await client.get("http://127.0.0.1:8000/", { auth: ["username", "password"] });
    expect(events).toEqual([
      { event: "request", headers: requestHeaders },
      {
        event: "response",
        headers: { server: "testserver", "content-length": "4", "content-type": "text/plain; charset=utf-8" },
      },
    ]);
  });

  it.each(["sync", "async"] as const)("runs %s hooks for every redirect hop", async (kind) => {
    const { events, eventHooks } = recorder(kind);
    const client = new Client({ eventHooks, transport: new MockTransport(app), followRedirects: true });
    await client.get("http://127.0.0.1:8000/redirect", { auth: ["username", "password"] });
    expect(events.map((e) => [e.event, e.headers["location"] ?? e.headers["host"]])).toEqual([
      ["request", "127.0.0.1:8000"],
      ["response", "/"],
      ["request", "127.0.0.1:8000"],
      ["response", undefined],
    ]);
    expect(events[2]?.headers).toEqual(requestHeaders);
  });

  it.each(["sync", "async"] as const)(
    "propagates an error of a %s response hook and closes the response",
    async (kind) => {
      let seen: Response | undefined;
      const raise =
        kind === "sync"
          ? (response: Response) => {
              seen = response;
              response.raiseForStatus();
            }
          : async (response: Response) => {
              seen = response;
              response.raiseForStatus();
            };
      const client = new Client({ eventHooks: { response: [raise] }, transport: new MockTransport(app) });
      const error = await client.get("http://127.0.0.1:8000/status/400").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HTTPStatusError);
      expect((error as HTTPStatusError).response).toBe(seen);
      expect(seen?.isClosed).toBe(true);
    },
  );

  it("propagates an error of a request hook before anything is sent", async () => {
    let sent = 0;
    const transport = new MockTransport((request) => {
      sent += 1;
      return app(request);
    });
    const hook = () => {
      throw new Error("refused");
    };
    const client = new Client({ eventHooks: { request: [hook] }, transport });
    await expect(client.get("http://example.org/")).rejects.toThrow("refused");
    expect(sent).toBe(0);
  });

  it("runs response hooks before the body is read", async () => {
    let consumed: boolean | undefined;
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("streamed");
    }
    const transport = new MockTransport(() => new Response(200, { content: body() }));
    const client = new Client({
      transport,
      eventHooks: {
        response: [
          (response) => {
            consumed = response.isStreamConsumed;
          },
        ],
      },
    });
    const response = await client.get("http://example.org/");
    expect(consumed).toBe(false);
    expect(response.text).toBe("streamed");
  });

  it("lets a response hook read the body", async () => {
    const texts: string[] = [];
    const client = new Client({
      transport: new MockTransport(app),
      eventHooks: {
        response: [async (response) => texts.push(new TextDecoder().decode(await response.read()))],
      },
    });
    const response = await client.get("http://example.org/");
    expect(texts).toEqual(["body"]);
    expect(response.text).toBe("body");
  });

  it("lets a request hook change the request", async () => {
    const client = new Client({
      transport: new MockTransport(
        (request) => new Response(200, { text: request.headers.get("x-signed") ?? "" }),
      ),
      eventHooks: { request: [(request) => request.headers.set("X-Signed", "yes")] },
    });
    expect((await client.get("http://example.org/")).text).toBe("yes");
  });

  it("runs hooks pushed onto client.eventHooks later", async () => {
    const client = new Client({ transport: new MockTransport(app) });
    const urls: string[] = [];
    client.eventHooks.request.push((request) => urls.push(String(request.url)));
    await client.get("http://example.org/x");
    expect(urls).toEqual(["http://example.org/x"]);
  });

  it("normalises assigned hooks", () => {
    const onRequest = () => {};
    const client = new Client();
    client.eventHooks = { request: [onRequest] };
    expect(client.eventHooks).toEqual({ request: [onRequest], response: [] });
  });

  it.each([
    [{ requests: [] }, /only "request" and "response" hooks, not "requests"/],
    [{ request: () => {} }, /eventHooks.request.*expected an array of functions/],
    [{ response: ["x"] }, /eventHooks.response.*"x" \(expected a function\)/],
    [[() => {}], /eventHooks/],
  ])("rejects %j", (eventHooks, message) => {
    expect(() => new Client({ eventHooks: eventHooks as never })).toThrow(message);
  });
});

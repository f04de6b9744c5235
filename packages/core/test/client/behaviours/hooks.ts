/** Behaviours of event hooks: what they see, when they run, what they may change, and their errors. */
import {
  HTTPStatusError,
  type Request,
  Response,
  type ResponseHook,
  supportedEncodings,
  VERSION,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { expect } from "vitest";
import { type Behaviour, behaviour, chunks, type Harness } from "./harness.js";

/** Answers 303 on /redirect, the status in the path on /status/NNN, and "body" elsewhere. */
export function hookApp(request: Request): Response {
  if (request.url.path === "/redirect") {
    return new Response(303, { headers: { server: "testserver", location: "/" } });
  }
  if (request.url.path.startsWith("/status/")) return new Response(Number(request.url.path.slice(-3)));
  return new Response(200, { headers: { server: "testserver" }, text: "body" });
}

const hookClient = (h: Harness, options: Parameters<Harness["client"]>[0] = {}) =>
  h.client({ transport: new MockTransport(hookApp), ...options });

/** The headers of a request to 127.0.0.1:8000 with username:password as Basic auth. */
export const requestHeaders = (): Record<string, string> => ({
  host: "127.0.0.1:8000",
  accept: "*/*",
  "accept-encoding": supportedEncodings().join(", "),
  connection: "keep-alive",
  "user-agent": `ferry/${VERSION}`,
  authorization: "Basic dXNlcm5hbWU6cGFzc3dvcmQ=",
});

/** A response hook that reads the body with `h` and hands it to `use`, at once or once it is read. */
function readingHook(h: Harness, use: (body: Uint8Array) => void): ResponseHook {
  return (response) => {
    const body = h.read(response);
    return body instanceof Uint8Array ? use(body) : body.then(use);
  };
}

const running: Behaviour[] = [
  behaviour("runs request and response hooks", async (h) => {
    const events: [string, Record<string, string>][] = [];
    const client = hookClient(h, {
      eventHooks: {
        request: [(request) => events.push(["request", Object.fromEntries(request.headers)])],
        response: [(response) => events.push(["response", Object.fromEntries(response.headers)])],
      },
    });
    await client.get("http://127.0.0.1:8000/", { auth: ["username", "password"] });
    expect(events).toEqual([
      ["request", requestHeaders()],
      [
        "response",
        { server: "testserver", "content-length": "4", "content-type": "text/plain; charset=utf-8" },
      ],
    ]);
  }),
  behaviour("runs hooks for every redirect hop", async (h) => {
    const events: [string, Record<string, string>][] = [];
    const client = hookClient(h, {
      followRedirects: true,
      eventHooks: {
        request: [
          (request) => events.push([`request ${request.url.path}`, Object.fromEntries(request.headers)]),
        ],
        response: [
          (response) =>
            events.push([`response ${response.statusCode}`, Object.fromEntries(response.headers)]),
        ],
      },
    });
    await client.get("http://127.0.0.1:8000/redirect", { auth: ["username", "password"] });
    expect(events.map(([event]) => event)).toEqual([
      "request /redirect",
      "response 303",
      "request /",
      "response 200",
    ]);
    expect(events.map(([, headers]) => headers["location"] ?? headers["host"])).toEqual([
      "127.0.0.1:8000",
      "/",
      "127.0.0.1:8000",
      undefined,
    ]);
    expect(events[2]?.[1]).toEqual(requestHeaders());
  }),
  behaviour("runs response hooks before the body is read", async (h) => {
    let consumed: boolean | undefined;
    const client = h.client({
      transport: new MockTransport(() => new Response(200, { content: chunks("streamed") })),
      eventHooks: { response: [(response) => (consumed = response.isStreamConsumed)] },
    });
    expect((await client.get("http://example.org/")).text).toBe("streamed");
    expect(consumed).toBe(false);
  }),
  behaviour("lets a response hook read the body", async (h) => {
    const texts: string[] = [];
    const hook = readingHook(h, (body) => texts.push(new TextDecoder().decode(body)));
    const response = await hookClient(h, { eventHooks: { response: [hook] } }).get("http://example.org/");
    expect(texts).toEqual(["body"]);
    expect(response.text).toBe("body");
  }),
];

/** Answers with the X-Signed header of the request. */
const signedEcho = () =>
  new MockTransport((request) => new Response(200, { text: request.headers.get("x-signed") ?? "" }));

const changing: Behaviour[] = [
  behaviour("lets a request hook change the request", async (h) => {
    const client = h.client({
      transport: signedEcho(),
      eventHooks: { request: [(request) => request.headers.set("X-Signed", "yes")] },
    });
    expect((await client.get("http://example.org/")).text).toBe("yes");
  }),
  behaviour("runs hooks pushed onto client.eventHooks later, changes included", async (h) => {
    const client = h.client({ transport: signedEcho() });
    const urls: string[] = [];
    client.eventHooks.request.push((request) => {
      urls.push(String(request.url));
      request.headers.set("X-Signed", "later");
    });
    expect((await client.get("http://example.org/x")).text).toBe("later");
    expect(urls).toEqual(["http://example.org/x"]);
  }),
  behaviour("normalises assigned hooks", async (h) => {
    const onRequest = () => {};
    const client = hookClient(h);
    client.eventHooks = { request: [onRequest] };
    expect(client.eventHooks).toEqual({ request: [onRequest], response: [] });
  }),
  ...(
    [
      ["an unknown kind of hook", { requests: [] }, /only "request" and "response" hooks, not "requests"/],
      [
        "a function where a list belongs",
        { request: () => {} },
        /eventHooks.request.*expected an array of functions/,
      ],
      ["a list holding a string", { response: ["x"] }, /eventHooks.response.*"x" \(expected a function\)/],
      ["a list in place of the object", [() => {}], /eventHooks/],
    ] as const
  ).map(([name, eventHooks, message]) =>
    behaviour(`rejects eventHooks with ${name}`, async (h) => {
      expect(() => hookClient(h, { eventHooks: eventHooks as never })).toThrow(message);
    }),
  ),
];

const errors: Behaviour[] = [
  behaviour("propagates an error of a response hook and closes the response", async (h) => {
    let seen: Response | undefined;
    const raise = (response: Response) => {
      seen = response;
      response.raiseForStatus();
    };
    const client = hookClient(h, { eventHooks: { response: [raise] } });
    const error = await (async () => client.get("http://example.org/status/400"))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).response).toBe(seen);
    expect(seen?.isClosed).toBe(true);
  }),
  behaviour("propagates an error of a request hook before anything is sent", async (h) => {
    let sent = 0;
    const transport = new MockTransport((request) => {
      sent += 1;
      return hookApp(request);
    });
    const hook = () => {
      throw new Error("refused");
    };
    const client = h.client({ eventHooks: { request: [hook] }, transport });
    await expect(async () => client.get("http://example.org/")).rejects.toThrow("refused");
    expect(sent).toBe(0);
  }),
];

/** Event hook behaviours. */
export const hookBehaviours: readonly Behaviour[] = [...running, ...changing, ...errors];

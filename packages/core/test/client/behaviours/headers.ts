/** Behaviours of the headers and query params a client sends: its defaults, its own, and each request's. */
import { Headers, QueryParams, registerDecoder, runtime, supportedEncodings, VERSION } from "@ferry/core";
import { expect } from "vitest";
import { type Behaviour, behaviour, echoClient, echoed } from "./harness.js";

const URL_ = "http://example.org/echo_headers";

/** The headers every request carries, by lower-case name. */
function defaults(): Record<string, string> {
  return {
    host: "example.org",
    accept: "*/*",
    "accept-encoding": supportedEncodings().join(", "),
    connection: "keep-alive",
    "user-agent": `ferry/${VERSION}`,
  };
}

const params: Behaviour[] = [
  ...(
    [
      ["a record", { a: "b" }],
      ["a string", "a=b"],
      ["pairs", [["a", "b"]]],
      ["a QueryParams", new QueryParams("a=b")],
    ] as const
  ).map(([name, params]) =>
    behaviour(`reads params given as ${name}`, async (h) => {
      const client = echoClient(h, { params });
      expect(client.params).toBeInstanceOf(QueryParams);
      expect(client.params.get("a")).toBe("b");
    }),
  ),
  behaviour("normalises assigned params", async (h) => {
    const client = echoClient(h);
    client.params = "a=b";
    expect(client.params).toBeInstanceOf(QueryParams);
    expect(client.params.get("a")).toBe("b");
    expect(echoed(await client.get("http://example.org/")).url).toBe("http://example.org/?a=b");
  }),
  ...(
    [
      ["client and request params", "first=str", { second: "dict" }, "/echo", "?first=str&second=dict"],
      ["request keys replacing the client's", { a: ["1", "2"], b: "3" }, { a: "x" }, "/echo", "?a=x&b=3"],
      ["the URL's own query first", { y: 2 }, undefined, "/echo?x=1", "?x=1&y=2"],
      ["params replacing the URL's keys", undefined, { x: 2 }, "/echo?x=1&z=3", "?x=2&z=3"],
      ["no query when there is none", undefined, undefined, "/echo", ""],
      [
        "primitives as httpx writes them",
        undefined,
        { t: true, f: false, n: null, i: 1.5 },
        "/echo",
        "?t=true&f=false&n=&i=1.5",
      ],
    ] as const
  ).map(([name, clientParams, requestParams, path, query]) =>
    behaviour(`merges ${name}`, async (h) => {
      const client = echoClient(h, clientParams === undefined ? {} : { params: clientParams });
      const response = await client.get(
        `http://example.org${path}`,
        requestParams === undefined ? {} : { params: requestParams },
      );
      expect(echoed(response).url).toBe(`http://example.org/echo${query}`);
    }),
  ),
];

const defaultHeaders: Behaviour[] = [
  behaviour("sends Host, then the defaults in httpx's order, then the client's headers", async (h) => {
    const response = await echoClient(h, { headers: { "Example-Header": "example-value" } }).get(URL_);
    expect(echoed(response).headers).toEqual([
      ["Host", "example.org"],
      ["Accept", "*/*"],
      ["Accept-Encoding", supportedEncodings().join(", ")],
      ["Connection", "keep-alive"],
      ["User-Agent", `ferry/${VERSION}`],
      ["Example-Header", "example-value"],
    ]);
  }),
  behaviour("lists only the decoders this runtime has in Accept-Encoding", async (h) => {
    expect(supportedEncodings().slice(0, 2)).toEqual(["gzip", "deflate"]);
    const saved = new Map(runtime.decoders);
    try {
      registerDecoder("br", () => ({ decode: (data) => data, flush: () => new Uint8Array() }));
      const client = echoClient(h);
      expect(client.headers.get("accept-encoding")).toBe(supportedEncodings().join(", "));
      expect(client.headers.get("accept-encoding")).toContain("br");
    } finally {
      runtime.decoders.clear();
      for (const [name, factory] of saved) runtime.decoders.set(name, factory);
    }
  }),
  behaviour("lets client headers replace a default", async (h) => {
    const client = echoClient(h, { headers: { "User-Agent": "myclient/0.2.1" } });
    const response = await client.get(URL_, { headers: { "X-Auth-Token": "FooBarBazToken" } });
    expect(echoed(response).header).toEqual({
      ...defaults(),
      "user-agent": "myclient/0.2.1",
      "x-auth-token": "FooBarBazToken",
    });
  }),
  behaviour("keeps the defaults when client.headers is assigned", async (h) => {
    const client = echoClient(h);
    client.headers = { a: "b" };
    expect(client.headers).toBeInstanceOf(Headers);
    expect(client.headers.get("A")).toBe("b");
    expect(client.headers.get("accept")).toBe("*/*");
  }),
  ...(
    [
      ["http://username:password@example.org:80/echo_headers", "example.org"],
      ["http://username:password@example.org:123/echo_headers", "example.org:123"],
    ] as const
  ).map(([url, host]) =>
    behaviour(`sends Host without userinfo or a default port for ${url}`, async (h) => {
      const sent = echoed(await echoClient(h).get(url)).header;
      expect(sent["host"]).toBe(host);
      expect(sent["authorization"]).toBe("Basic dXNlcm5hbWU6cGFzc3dvcmQ=");
    }),
  ),
];

const requestHeaders: Behaviour[] = [
  behaviour("lets request headers replace the client's, all values of a name", async (h) => {
    const client = echoClient(h, {
      headers: [
        ["X-Auth-Token", "FooBar"],
        ["X-Auth-Token", "Other"],
      ],
    });
    const response = await client.get(URL_, { headers: { "x-auth-token": "BazToken" } });
    expect(echoed(response).headers.filter(([name]) => name.toLowerCase() === "x-auth-token")).toEqual([
      ["x-auth-token", "BazToken"],
    ]);
    expect(echoed(response).header).toEqual({ ...defaults(), "x-auth-token": "BazToken" });
    expect(client.headers.getList("x-auth-token")).toEqual(["FooBar", "Other"]);
  }),
  behaviour("does not change the client's headers when a request adds some", async (h) => {
    const client = echoClient(h);
    await client.get(URL_, { headers: { "X-Once": "1" } });
    expect(client.headers.has("x-once")).toBe(false);
  }),
  behaviour("sees changes made to client.headers on later requests", async (h) => {
    const client = echoClient(h);
    const first = await client.get(URL_);
    client.headers.update({ "User-Agent": "myclient/0.2.1", "Another-Header": "AThing" });
    const second = await client.get(URL_);
    expect(echoed(first).header).toEqual(defaults());
    expect(echoed(second).header).toEqual({
      ...defaults(),
      "user-agent": "myclient/0.2.1",
      "another-header": "AThing",
    });
  }),
  behaviour("sends repeated request headers", async (h) => {
    const response = await echoClient(h).get(URL_, {
      headers: [
        ["x-header", "1"],
        ["x-header", "2,3"],
      ],
    });
    expect(echoed(response).headers.filter(([name]) => name === "x-header")).toEqual([
      ["x-header", "1"],
      ["x-header", "2,3"],
    ]);
  }),
];

/** Params and header behaviours. */
export const headerBehaviours: readonly Behaviour[] = [...params, ...defaultHeaders, ...requestHeaders];

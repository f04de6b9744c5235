/** Behaviours of a client's session state: mounts, streaming and closing. */
import { Response, runtime, UnsupportedProtocol } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { expect } from "vitest";
import { type Behaviour, behaviour, chunks, echoClient, named } from "./harness.js";

const mounts: Behaviour[] = [
  behaviour("sends to a mounted transport by scheme, the rest to the default transport", async (h) => {
    const client = h.client({ transport: named("unmounted"), mounts: { "custom://": named("mounted") } });
    expect((await client.get("https://www.example.com")).json()).toBe("unmounted");
    expect((await client.get("custom://www.example.com")).json()).toBe("mounted");
  }),
  behaviour("sends everything to an all:// mount, with no default transport at all", async (h) => {
    const client = h.client({ mounts: { "all://": named("mounted") } });
    expect((await client.get("https://www.example.com")).json()).toBe("mounted");
  }),
  ...(
    [
      ["http://example.com", {}, "default"],
      ["http://example.com", { "https://": "a" }, "default"],
      ["http://example.com", { "http://example.net": "a" }, "default"],
      ["http://example.com", { "http://*": "a" }, "a"],
      ["https://example.com", { "http://*": "a" }, "default"],
      ["http://example.com", { "http://example.com": "a" }, "a"],
      ["http://www.example.com", { "http://example.com": "a" }, "default"],
      ["http://example.com", { "http://*.example.com": "a" }, "default"],
      ["http://www.example.com", { "http://*.example.com": "a" }, "a"],
      ["http://example.com", { "http://*example.com": "a" }, "a"],
      ["http://www.example.com", { "http://*example.com": "a" }, "a"],
      ["http://wwwexample.com", { "http://*example.com": "a" }, "default"],
      ["http://example.com:443", { "http://example.com": "a" }, "a"],
      ["http://example.com", { "all://": "a" }, "a"],
      ["http://example.com", { "all://example.com": "a" }, "a"],
      ["http://example.com", { "http://example.com:80": "a" }, "a"],
      ["http://example.com:8080", { "http://example.com:8080": "a" }, "a"],
      ["http://example.com:8080", { "http://example.com": "a" }, "a"],
      [
        "http://example.com",
        { "all://": "1", "http://": "2", "all://example.com": "3", "http://example.com": "4" },
        "4",
      ],
      ["http://example.com", { "all://": "1", "http://": "2", "all://example.com": "3" }, "3"],
      ["http://example.com", { "all://": "1", "http://": "2" }, "2"],
      ["http://example.com:8080", { "all://example.com": "1", "all://*:8080": "2" }, "2"],
      ["http://example.com", { "all://example.com": null, "all://": "1" }, "default"],
    ] as const
  ).map(([url, patterns, expected]) =>
    behaviour(`sends ${url} with mounts ${JSON.stringify(patterns)} to ${expected}`, async (h) => {
      const mounted = Object.fromEntries(
        Object.entries(patterns).map(([pattern, name]) => [pattern, name === null ? null : named(name)]),
      );
      const client = h.client({ transport: named("default"), mounts: mounted });
      expect((await client.get(url)).json()).toBe(expected);
    }),
  ),
  ...(
    [
      ["ftp://example.org/", "Request URL has an unsupported protocol 'ftp://'."],
      ["invalid://example.org", "Request URL has an unsupported protocol 'invalid://'."],
      ["example.org/path", "Request URL is missing an 'http://' or 'https://' protocol."],
      ["/path", "Request URL is missing an 'http://' or 'https://' protocol."],
    ] as const
  ).map(([url, message]) =>
    behaviour(`raises UnsupportedProtocol, with the request, for ${url} without a mount`, async (h) => {
      const client = h.client({ transport: named("default") });
      const error = await (async () => client.get(url))().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedProtocol);
      expect((error as UnsupportedProtocol).message).toBe(message);
      expect((error as UnsupportedProtocol).request.url.toString()).toBe(url);
    }),
  ),
  behaviour("raises UnsupportedProtocol for a null mount of another scheme", async (h) => {
    const client = h.client({ transport: named("default"), mounts: { "ftp://": null } });
    await expect(async () => client.get("ftp://example.org/")).rejects.toThrow(UnsupportedProtocol);
  }),
  behaviour("raises for an http URL without a host", async (h) => {
    const client = h.client({ transport: named("default") });
    await expect(async () => client.get("http://")).rejects.toThrow(/missing a host/);
  }),
  behaviour("sends to mounted transports without a default transport or factory", async (h) => {
    const saved = [runtime.transportFactory, runtime.syncTransportFactory] as const;
    runtime.transportFactory = undefined;
    runtime.syncTransportFactory = undefined;
    try {
      const client = h.client({ mounts: { "https://example.org": named("mounted") } });
      expect((await client.get("https://example.org/")).json()).toBe("mounted");
      await expect(async () => client.get("https://other.example/")).rejects.toThrow(
        /No transport to send GET/,
      );
    } finally {
      [runtime.transportFactory, runtime.syncTransportFactory] = saved;
    }
  }),
];

const streaming: Behaviour[] = [
  behaviour("stream() returns the response with the body unread, to iterate", async (h) => {
    const client = h.client({
      transport: new MockTransport(() => new Response(200, { content: chunks("a", "b") })),
    });
    const response = await client.stream("GET", "http://example.org/");
    expect(response.isStreamConsumed).toBe(false);
    expect((await h.texts(response)).join("")).toBe("ab");
    expect(response.isClosed).toBe(true);
  }),
  behaviour("stream() with a callback returns its result and closes the response", async (h) => {
    let seen: Response | undefined;
    const client = h.client({
      transport: new MockTransport(() => new Response(200, { content: chunks("a") })),
    });
    const result = await h.streamWith(client, "GET", "http://example.org/", {}, (response) => {
      seen = response;
      expect(response.isClosed).toBe(false);
      return response.statusCode;
    });
    expect(result).toBe(200);
    expect(seen?.isClosed).toBe(true);
  }),
  behaviour("stream() takes options before the callback", async (h) => {
    const body = await h.streamWith(echoClient(h), "POST", "http://example.org/", { json: [1] }, (response) =>
      h.read(response),
    );
    expect(JSON.parse(new TextDecoder().decode(body))).toMatchObject({ body: "[1]" });
  }),
  behaviour("stream() closes the response when the callback throws", async (h) => {
    let seen: Response | undefined;
    const failure = async () =>
      h.streamWith(echoClient(h), "GET", "http://example.org/", {}, (response) => {
        seen = response;
        throw new Error("callback failed");
      });
    await expect(failure).rejects.toThrow("callback failed");
    expect(seen?.isClosed).toBe(true);
  }),
];

const state: Behaviour[] = [
  behaviour("refuses requests once closed, and stays closed", async (h) => {
    const client = echoClient(h);
    expect(client.isClosed).toBe(false);
    await client.get("http://example.com");
    expect(client.isClosed).toBe(false);
    await client.close();
    expect(client.isClosed).toBe(true);
    const message = "Cannot send a request, as the client has been closed.";
    await expect(async () => client.get("http://example.com")).rejects.toThrow(message);
    await expect(async () => client.stream("GET", "http://example.com")).rejects.toThrow(message);
    await expect(async () => client.send(client.buildRequest("GET", "http://example.com"))).rejects.toThrow(
      message,
    );
    await client.close();
    expect(client.isClosed).toBe(true);
  }),
  behaviour("closes every transport once, mounts included", async (h) => {
    const closed: string[] = [];
    const closing = (name: string) => {
      const transport = named(name);
      transport.close = async () => {
        closed.push(name);
      };
      return transport;
    };
    const shared = closing("shared");
    const client = h.client({
      transport: closing("default"),
      mounts: { "https://a.test": shared, "https://b.test": shared, "https://c.test": null },
    });
    await client.close();
    await client.close();
    expect(closed).toEqual(["default", "shared"]);
  }),
  behaviour("closes every transport even when one fails, then throws the failure", async (h) => {
    const fail = () => {
      throw new Error("close failed");
    };
    // close() serves Client, closeSync() SyncClient.
    const failing = Object.assign(named("default"), { close: async () => fail(), closeSync: fail });
    let mountCloses = 0;
    const count = () => {
      mountCloses += 1;
    };
    const mounted = Object.assign(named("mounted"), { close: async () => count(), closeSync: count });
    const client = h.client({ transport: failing, mounts: { "https://a.test": mounted } });
    await expect(async () => client.close()).rejects.toThrow("close failed");
    expect(mountCloses).toBe(1);
    expect(client.isClosed).toBe(true);
  }),
];

/** Mounts, streaming and client state. */
export const sessionBehaviours: readonly Behaviour[] = [...mounts, ...streaming, ...state];

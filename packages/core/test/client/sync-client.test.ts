import {
  Auth,
  BaseTransport,
  Proxy as ProxyConfig,
  type Request,
  Response,
  runtime,
  SyncClient,
  type TransportFactoryOptions,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { afterEach, describe, expect, it } from "vitest";
import { behaviourTables, syncClientHarness } from "./behaviours/index.js";

// Each row is its own it() so the report shows its whole name (it.each would quote and shorten it).
for (const { topic, rows } of behaviourTables) {
  describe(`SyncClient: ${topic}`, () => {
    for (const { name, run } of rows) it(name, () => run(syncClientHarness));
  });
}

const URL_ = "http://example.org/";
const hello = () => new MockTransport(() => new Response(200, { text: "hello" }));

/** A transport that can only answer asynchronously. */
class AsyncOnlyTransport extends BaseTransport {
  async handleRequest(): Promise<Response> {
    return new Response(200);
  }
}

describe("SyncClient returns results directly", () => {
  it.each(["get", "head", "options", "delete", "post", "put", "patch"] as const)(
    "%s() returns a Response",
    (method) => {
      const response = new SyncClient({ transport: hello() })[method](URL_);
      expect(response).toBeInstanceOf(Response);
      expect(response.text).toBe("hello");
    },
  );

  it("request(), send() and stream() return a Response", () => {
    const client = new SyncClient({ transport: hello() });
    expect(client.request("GET", URL_)).toBeInstanceOf(Response);
    expect(client.send(client.buildRequest("GET", URL_))).toBeInstanceOf(Response);
    const streamed = client.stream("GET", URL_);
    expect(streamed).toBeInstanceOf(Response);
    expect(new TextDecoder().decode(streamed.readSync())).toBe("hello");
  });

  it("close() returns nothing, synchronously", () => {
    expect(new SyncClient({ transport: hello() }).close()).toBeUndefined();
  });
});

describe("SyncClient refuses what cannot run synchronously", () => {
  it.each([
    [
      "request",
      { request: [async () => {}] },
      /A request event hook returned a Promise, which a SyncClient cannot wait for/,
    ],
    ["response", { response: [async () => {}] }, /A response event hook returned a Promise/],
  ])("an async %s hook", (_, eventHooks, message) => {
    const client = new SyncClient({ transport: hello(), eventHooks });
    expect(() => client.get(URL_)).toThrow(message);
  });

  it("closes the response when an async response hook is refused", () => {
    let seen: Response | undefined;
    const hook = async (response: Response) => {
      seen = response;
    };
    const client = new SyncClient({
      transport: new MockTransport(() => new Response(200, { content: [new Uint8Array([1])] })),
      eventHooks: { response: [hook] },
    });
    expect(() => client.get(URL_)).toThrow(TypeError);
    expect(seen?.isClosed).toBe(true);
  });

  it("an async generator auth flow", () => {
    class AsyncAuth extends Auth {
      override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
        yield request;
      }
    }
    const client = new SyncClient({ transport: hello() });
    expect(() => client.get(URL_, { auth: new AsyncAuth() })).toThrow(
      /The auth flow returned a Promise.*function\* generator/,
    );
  });

  it("a MockTransport handler that returns a Promise", () => {
    const client = new SyncClient({ transport: new MockTransport(async () => new Response(200)) });
    expect(() => client.get(URL_)).toThrow(/MockTransport handler returned a Promise/);
  });

  it("an async iterable request body", () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([1]);
    }
    const client = new SyncClient({ transport: hello() });
    expect(() => client.post(URL_, { content: body() })).toThrow(/can only be read asynchronously/);
  });

  it("a stream() callback that returns a Promise, closing the response", () => {
    let seen: Response | undefined;
    const client = new SyncClient({ transport: hello() });
    const use = async (response: Response) => {
      seen = response;
    };
    expect(() => client.stream("GET", URL_, use)).toThrow(/stream\(\) callback returned a Promise/);
    expect(seen?.isClosed).toBe(true);
  });

  it.each([
    ["transport", { transport: new AsyncOnlyTransport() }, /"transport": a AsyncOnlyTransport cannot send/],
    ["a mount", { mounts: { "https://": new AsyncOnlyTransport() } }, /"mounts\[\\"https:\/\/\\"\]"/],
  ])("an async-only %s, when the client is built", (_, options, message) => {
    expect(() => new SyncClient(options)).toThrow(TypeError);
    expect(() => new SyncClient(options)).toThrow(message);
  });
});

describe("SyncClient's transports", () => {
  const saved = runtime.syncTransportFactory;
  afterEach(() => {
    runtime.syncTransportFactory = saved;
  });

  /** Records the clients asked for and the transports each built. */
  function recordingFactory() {
    const clients: TransportFactoryOptions[][] = [];
    const closed: string[] = [];
    runtime.syncTransportFactory = () => {
      const built: TransportFactoryOptions[] = [];
      clients.push(built);
      return (options) => {
        built.push(options);
        const name = options.proxy === null ? "direct" : "proxied";
        const transport = new MockTransport(() => new Response(200, { text: name }));
        return Object.assign(transport, { closeSync: () => closed.push(name) });
      };
    };
    return { clients, closed };
  }

  it("builds the default transport and proxy mounts with the runtime's sync factory, once per client", () => {
    const { clients, closed } = recordingFactory();
    const client = new SyncClient({
      proxy: "http://proxy.test:8080",
      mounts: { "http://direct.test": null },
    });
    new SyncClient({ trustEnv: false });
    expect(clients.map((built) => built.length)).toEqual([2, 1]);
    expect(String(clients[0]?.[1]?.proxy?.url)).toBe("http://proxy.test:8080");
    expect(client.get("http://elsewhere.test/").text).toBe("proxied");
    expect(client.get("http://direct.test/").text).toBe("direct");
    client.close();
    expect(closed.sort()).toEqual(["direct", "proxied"]);
  });

  it("passes the network options on", () => {
    const { clients } = recordingFactory();
    new SyncClient({
      http2: true,
      verify: false,
      trustEnv: false,
      proxy: new ProxyConfig("http://p.test", { auth: ["u", "p"] }),
    });
    expect(clients[0]?.[0]).toMatchObject({
      http1: true,
      http2: true,
      verify: false,
      trustEnv: false,
      proxy: null,
    });
    expect(clients[0]?.[1]?.proxy?.auth).toEqual(["u", "p"]);
  });

  it("builds nothing from the factory when given a transport", () => {
    const { clients } = recordingFactory();
    new SyncClient({ transport: hello(), trustEnv: false });
    expect(clients).toEqual([[]]);
  });

  it("says what is missing when the runtime has no blocking transport", () => {
    runtime.syncTransportFactory = undefined;
    const client = new SyncClient({ trustEnv: false });
    expect(() => client.get("https://example.org/")).toThrow(
      /No transport to send GET https:\/\/example\.org\/ with: a SyncClient needs a blocking transport.*new SyncClient\(\{ transport \}\)/,
    );
  });

  it("closes with using, through closeSync when a transport has it", () => {
    let closes = 0;
    const transport = Object.assign(hello(), { closeSync: () => (closes += 1) });
    let outer: SyncClient;
    {
      using client = new SyncClient({ transport });
      outer = client;
      client.get(URL_);
    }
    expect(outer.isClosed).toBe(true);
    expect(closes).toBe(1);
  });
});

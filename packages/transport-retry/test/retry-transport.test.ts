import { createServer } from "node:net";
import {
  BaseTransport,
  Client,
  ConnectError,
  ReadTimeout,
  Request,
  type RequestOptions,
  Response,
  UnsupportedProtocol,
} from "@ferry/core";
import { startHttpServer } from "@ferry/test-servers";
import { MockTransport } from "@ferry/transport-mock";
import { Retry, RetryTransport } from "@ferry/transport-retry";
import { UndiciTransport } from "@ferry/transport-undici";
import { afterEach, describe, expect, it } from "vitest";

const TIMEOUT = { connect: 2000, read: 2000, write: 2000, pool: 2000 };

/** Counts the attempts that reach the network. */
class Counting extends BaseTransport {
  attempts = 0;
  readonly inner = new UndiciTransport();

  handleRequest(request: Request): Promise<Response> {
    this.attempts += 1;
    return this.inner.handleRequest(request);
  }

  override close(): Promise<void> {
    return this.inner.close();
  }
}

const transports: BaseTransport[] = [];

function retrying(retry: Retry): { transport: RetryTransport; counting: Counting } {
  const counting = new Counting();
  const transport = new RetryTransport({ transport: counting, retry });
  transports.push(transport);
  return { transport, counting };
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
});

function request(method: string, url: string, options: RequestOptions = {}): Request {
  return new Request(method, url, { ...options, extensions: { timeout: TIMEOUT } });
}

/** A server answering with `statuses` in turn (the last one for every later request), counting hits. */
async function flaky(statuses: number[], headers: Record<string, string> = {}) {
  const state = { hits: 0, bodies: [] as string[] };
  const server = await startHttpServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    state.bodies.push(body);
    const status = statuses[Math.min(state.hits, statuses.length - 1)]!;
    state.hits += 1;
    res.writeHead(status, status === 200 ? {} : headers).end(`attempt ${state.hits}`);
  });
  return { server, state };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

describe("RetryTransport", () => {
  it("retries a 503 twice, then returns the 200 with the number of attempts", async () => {
    const { server, state } = await flaky([503, 503, 200]);
    await using _ = server;
    const { transport } = retrying(new Retry({ total: 3 }));
    const response = await transport.handleRequest(request("GET", server.url));
    expect(response.statusCode).toBe(200);
    expect(new TextDecoder().decode(await response.read())).toBe("attempt 3");
    expect(response.extensions["attempts"]).toBe(3);
    expect(state.hits).toBe(3);
  });

  it("returns the last retryable response once the retries are spent", async () => {
    const { server, state } = await flaky([502]);
    await using _ = server;
    const { transport } = retrying(new Retry({ total: 2 }));
    const response = await transport.handleRequest(request("GET", server.url));
    expect(response.statusCode).toBe(502);
    expect(new TextDecoder().decode(await response.read())).toBe("attempt 3");
    expect(response.extensions["attempts"]).toBe(3);
    expect(state.hits).toBe(3);
  });

  it("does not retry statuses outside the forcelist", async () => {
    const { server, state } = await flaky([500, 200]);
    await using _ = server;
    const response = await retrying(new Retry()).transport.handleRequest(request("GET", server.url));
    expect(response.statusCode).toBe(500);
    expect(response.extensions["attempts"]).toBe(1);
    expect(state.hits).toBe(1);
  });

  it("does not retry a POST by default", async () => {
    const { server, state } = await flaky([503, 200]);
    await using _ = server;
    const response = await retrying(new Retry()).transport.handleRequest(
      request("POST", server.url, { content: "x" }),
    );
    expect(response.statusCode).toBe(503);
    expect(state.hits).toBe(1);
  });

  it("re-sends a body held in memory whole on each attempt", async () => {
    const { server, state } = await flaky([503, 200]);
    await using _ = server;
    const { transport } = retrying(new Retry({ allowedMethods: ["POST"] }));
    const response = await transport.handleRequest(request("POST", server.url, { json: { n: 1 } }));
    expect(response.statusCode).toBe(200);
    expect(state.bodies).toEqual(['{"n":1}', '{"n":1}']);
  });

  it("never replays a one-shot stream body: the first response is returned", async () => {
    const { server, state } = await flaky([503, 200]);
    await using _ = server;
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("once");
    }
    const response = await retrying(new Retry()).transport.handleRequest(
      request("PUT", server.url, { content: body() }),
    );
    expect(response.statusCode).toBe(503);
    expect(response.extensions["attempts"]).toBe(1);
    expect(state.bodies).toEqual(["once"]);
  });

  it("never replays a one-shot stream body: the first error is raised", async () => {
    const { transport, counting } = retrying(new Retry());
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("once");
    }
    const sending = transport.handleRequest(
      request("PUT", `http://127.0.0.1:${await closedPort()}/`, { content: body() }),
    );
    await expect(sending).rejects.toThrow(ConnectError);
    expect(counting.attempts).toBe(1);
  });

  it("retries refused connections, then raises the last ConnectError", async () => {
    const { transport, counting } = retrying(new Retry({ total: 2 }));
    const sent = request("GET", `http://127.0.0.1:${await closedPort()}/`);
    const error = await transport.handleRequest(sent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).request).toBe(sent);
    expect(counting.attempts).toBe(3);
  });

  it("retries a read timeout", async () => {
    let hits = 0;
    await using server = await startHttpServer((_req, res) => {
      hits += 1;
      if (hits > 1) res.end("answered");
    });
    const { transport } = retrying(new Retry());
    const slow = new Request("GET", server.url, { extensions: { timeout: { ...TIMEOUT, read: 150 } } });
    const response = await transport.handleRequest(slow);
    expect(response.statusCode).toBe(200);
    expect(response.extensions["attempts"]).toBe(2);
  });

  it("does not retry errors outside retryOnExceptions", async () => {
    const { transport, counting } = retrying(new Retry({ retryOnExceptions: [ReadTimeout] }));
    await expect(
      transport.handleRequest(request("GET", `http://127.0.0.1:${await closedPort()}/`)),
    ).rejects.toThrow(ConnectError);
    expect(counting.attempts).toBe(1);
    await expect(transport.handleRequest(request("GET", "ftp://example.com/"))).rejects.toThrow(
      UnsupportedProtocol,
    );
  });

  it("waits as long as Retry-After asks, in seconds", async () => {
    const { server } = await flaky([429, 200], { "retry-after": "1" });
    await using _ = server;
    const started = performance.now();
    const response = await retrying(new Retry()).transport.handleRequest(request("GET", server.url));
    expect(response.statusCode).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("waits until a Retry-After date", async () => {
    const { server } = await flaky([503, 200], { "retry-after": new Date(Date.now() + 2000).toUTCString() });
    await using _ = server;
    const started = performance.now();
    const response = await retrying(new Retry()).transport.handleRequest(request("GET", server.url));
    expect(response.statusCode).toBe(200);
    // HTTP dates have whole seconds: the wait is between one and two seconds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("caps a long Retry-After at maxBackoffWait", async () => {
    const { server } = await flaky([503, 200], { "retry-after": "3600" });
    await using _ = server;
    const started = performance.now();
    const response = await retrying(new Retry({ maxBackoffWait: 100 })).transport.handleRequest(
      request("GET", server.url),
    );
    expect(response.statusCode).toBe(200);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("backs off exponentially between attempts", async () => {
    const { server } = await flaky([503, 503, 200]);
    await using _ = server;
    const started = performance.now();
    const retry = new Retry({ backoffFactor: 50, backoffJitter: 0 });
    await retrying(retry).transport.handleRequest(request("GET", server.url));
    expect(performance.now() - started).toBeGreaterThanOrEqual(100 + 200 - 5);
  });

  it("ends its wait and refuses requests once closed", async () => {
    const { server, state } = await flaky([503], { "retry-after": "60" });
    await using _ = server;
    const { transport } = retrying(new Retry());
    const sending = transport.handleRequest(request("GET", server.url));
    while (state.hits === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    // The expectation is attached before close() so the rejection is never without a handler.
    const ended = expect(sending).rejects.toThrow(/closed while waiting to retry GET/);
    await transport.close();
    await ended;
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(transport.handleRequest(request("GET", server.url))).rejects.toThrow(/has been closed/);
  });

  it.each([
    [{}, "RetryTransport needs { transport }"],
    [{ transport: new UndiciTransport(), retry: { total: 3 } }, "option 'retry' must be a Retry"],
  ])("rejects bad options %#", (options, message) => {
    expect(() => new RetryTransport(options as never)).toThrow(message);
  });
});

describe("RetryTransport around other transports", () => {
  it("retries through a MockTransport", async () => {
    let calls = 0;
    const mock = new MockTransport(() => new Response(++calls < 3 ? 503 : 200, { text: `call ${calls}` }));
    const transport = new RetryTransport({ transport: mock, retry: new Retry() });
    const response = await transport.handleRequest(new Request("GET", "https://api.example.com/"));
    expect([response.statusCode, response.text, response.extensions["attempts"]]).toEqual([200, "call 3", 3]);
  });
});

describe("RetryTransport in a Client", () => {
  it("serves as the Client's transport", async () => {
    const { server } = await flaky([503, 200]);
    await using _ = server;
    await using client = new Client({ transport: retrying(new Retry()).transport });
    const response = await client.get(server.url);
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe("attempt 2");
  });

  it("serves as a mount for one origin only", async () => {
    const { server: flakyServer } = await flaky([503, 200]);
    const { server: plainServer, state: plain } = await flaky([503, 200]);
    await using _a = flakyServer;
    await using _b = plainServer;
    const plainTransport = new UndiciTransport();
    transports.push(plainTransport);
    await using client = new Client({
      transport: plainTransport,
      mounts: { [flakyServer.url]: retrying(new Retry()).transport },
    });
    expect((await client.get(flakyServer.url)).statusCode).toBe(200);
    expect((await client.get(plainServer.url)).statusCode).toBe(503);
    expect(plain.hits).toBe(1);
  });

  it("ends its wait when the Client is closed", async () => {
    const { server, state } = await flaky([503], { "retry-after": "60" });
    await using _ = server;
    const client = new Client({ transport: retrying(new Retry()).transport });
    const sending = client.get(server.url);
    while (state.hits === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const ended = expect(sending).rejects.toThrow(/closed while waiting to retry/);
    await client.close();
    await ended;
  });
});

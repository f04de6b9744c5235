import { createHook } from "node:async_hooks";
import type { Socket } from "node:net";
import {
  ConnectTimeout,
  Limits,
  PoolTimeout,
  ReadTimeout,
  type Response,
  type TimeoutExtension,
  type TransportError,
  WriteTimeout,
} from "@ferry/core";
import {
  certs,
  readRequestHead,
  startHttp2Server,
  startHttpServer,
  startRawServer,
  type TestServer,
} from "@ferry/test-servers";
import { afterEach, describe, expect, it } from "vitest";
import { UndiciTransport } from "../src/index.js";
import { send } from "./helpers.js";

/** The budget of the timing tests, and how late a timeout may fire on a loaded machine. */
const BUDGET = 100;
const LATEST = 250;

type ErrorClass = abstract new (...args: never[]) => TransportError;

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of closing.splice(0).reverse()) await item.close();
});

function track<T extends { close(): Promise<void> }>(item: T): T {
  closing.push(item);
  return item;
}

/** Awaits `promise`'s failure and how long after `started` it came. */
async function failure(promise: Promise<unknown>, started: number): Promise<{ error: Error; ms: number }> {
  const error = await promise.then(
    () => new Error("expected a failure"),
    (reason: unknown) => reason as Error,
  );
  return { error, ms: performance.now() - started };
}

function expectTimeout(error: Error, Class: ErrorClass, message: string): void {
  expect(error).toBeInstanceOf(Class);
  expect(error.message).toBe(message);
  expect((error as TransportError).hasRequest).toBe(true);
}

/** A raw HTTP/1.1 server that reads each request head, then does `respond` (nothing: it stalls). */
function rawServer(respond: (socket: Socket) => void = () => {}): Promise<TestServer> {
  return startRawServer((socket) => {
    void readRequestHead(socket).then(() => respond(socket));
  });
}

async function http2Server(respond: Parameters<typeof startHttp2Server>[0]): Promise<TestServer> {
  return startHttp2Server(respond);
}

const versions = [
  {
    name: "HTTP/1.1",
    stalled: () => rawServer(),
    stalledBody: () =>
      rawServer((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst")),
    headersOnly: () => rawServer((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")),
    transport: () => new UndiciTransport(),
  },
  {
    name: "HTTP/2",
    stalled: () => http2Server(() => {}),
    stalledBody: () =>
      http2Server((_req, res) => {
        res.writeHead(200, { "content-length": "100" });
        res.write("first");
      }),
    headersOnly: () =>
      http2Server((_req, res) => {
        // Node's HTTP/2 server sends the headers at writeHead.
        res.writeHead(200, { "content-length": "100" });
      }),
    transport: () => new UndiciTransport({ http2: true, http1: false, verify: certs.caPath }),
  },
];

function origin(server: TestServer, name: string): string {
  return name === "HTTP/2" ? server.url.replace("http:", "https:") : server.url;
}

describe.each(versions)("read timeouts over $name fire on time", (version) => {
  it(`raises ReadTimeout ${BUDGET}-${LATEST} ms after the request when the headers do not come`, async () => {
    const server = track(await version.stalled());
    const transport = track(version.transport());
    const started = performance.now();
    const { error, ms } = await failure(
      send(transport, "GET", origin(server, version.name), { timeout: { read: BUDGET } }),
      started,
    );
    expectTimeout(error, ReadTimeout, `Timed out after ${BUDGET} ms waiting for the response headers`);
    expect((error.cause as { code?: string }).code).toBe("UND_ERR_HEADERS_TIMEOUT");
    expect(ms).toBeGreaterThanOrEqual(BUDGET - 1);
    expect(ms).toBeLessThan(LATEST);
  });

  it(`raises ReadTimeout ${BUDGET}-${LATEST} ms after the last chunk when the body stalls`, async () => {
    const server = track(await version.stalledBody());
    const transport = track(version.transport());
    const response = await send(transport, "GET", origin(server, version.name), {
      timeout: { read: BUDGET },
    });
    const iterator = response.iterRaw()[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe("first");
    const started = performance.now();
    const { error, ms } = await failure(iterator.next(), started);
    expectTimeout(error, ReadTimeout, `Timed out after ${BUDGET} ms between two chunks of the response body`);
    expect((error.cause as { code?: string }).code).toBe("UND_ERR_BODY_TIMEOUT");
    expect(ms).toBeLessThan(LATEST);
  });

  it("says when no body came at all after the headers", async () => {
    const server = track(await version.headersOnly());
    const transport = track(version.transport());
    const response = await send(transport, "GET", origin(server, version.name), {
      timeout: { read: BUDGET },
    });
    const started = performance.now();
    const { error, ms } = await failure(response.read(), started);
    expectTimeout(
      error,
      ReadTimeout,
      `Timed out after ${BUDGET} ms waiting for the response body after its headers`,
    );
    expect(ms).toBeLessThan(LATEST);
  });
});

describe("read timeouts that must not fire", () => {
  it("lets a body take many times the read timeout when each chunk comes within it", async () => {
    await using server = await startHttpServer(async (_req, res) => {
      const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, BUDGET - 40));
      await pause();
      res.writeHead(200, { "content-type": "text/plain" });
      res.flushHeaders();
      for (let i = 0; i < 5; i++) {
        await pause();
        res.write(`${i}`);
      }
      res.end();
    });
    await using transport = new UndiciTransport();
    const started = performance.now();
    const response = await send(transport, "GET", server.url, { timeout: { read: BUDGET } });
    await response.read();
    expect(new TextDecoder().decode(response.content)).toBe("01234");
    expect(performance.now() - started).toBeGreaterThan(3 * BUDGET);
  });

  it("does not time the server while the reader is behind and the socket is paused", async () => {
    const size = 16 * 1024 * 1024;
    await using server = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-length": String(size) });
      res.end(Buffer.alloc(size, 0x61));
    });
    await using transport = new UndiciTransport();
    const response = await send(transport, "GET", server.url, { timeout: { read: BUDGET } });
    // Nothing is read for three read timeouts: undici stops reading the socket once 64 KiB wait unread.
    await new Promise((resolve) => setTimeout(resolve, 3 * BUDGET));
    let received = 0;
    for await (const chunk of response.iterRaw()) received += chunk.byteLength;
    expect(received).toBe(size);
  });
});

describe("the other phases fire on time", () => {
  it(`raises ConnectTimeout ${BUDGET}-${LATEST} ms after the request when the TLS handshake stalls`, async () => {
    await using server = await startRawServer(() => {});
    await using transport = new UndiciTransport();
    const started = performance.now();
    const url = server.url.replace("http:", "https:");
    const { error, ms } = await failure(
      send(transport, "GET", url, { timeout: { connect: BUDGET } }),
      started,
    );
    expectTimeout(
      error,
      ConnectTimeout,
      `Timed out after ${BUDGET} ms connecting to 127.0.0.1:${server.port}`,
    );
    expect((error.cause as { code?: string }).code).toBe("UND_ERR_CONNECT_TIMEOUT");
    expect(ms).toBeGreaterThanOrEqual(BUDGET - 1);
    expect(ms).toBeLessThan(LATEST);
  });

  it(`raises PoolTimeout ${BUDGET}-${LATEST} ms after the request when no connection frees up`, async () => {
    await using server = await rawServer((socket) =>
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nheld"),
    );
    await using transport = new UndiciTransport({ limits: new Limits({ maxConnections: 1 }) });
    const held = await send(transport, "GET", server.url);
    const started = performance.now();
    const { error, ms } = await failure(
      send(transport, "GET", server.url, { timeout: { pool: BUDGET } }),
      started,
    );
    expectTimeout(error, PoolTimeout, `Timed out after ${BUDGET} ms waiting for a connection from the pool`);
    expect(ms).toBeGreaterThanOrEqual(BUDGET - 1);
    expect(ms).toBeLessThan(LATEST);
    await held.close();
  });

  it("raises WriteTimeout once the socket has taken nothing for the write timeout", async () => {
    await using server = await startRawServer((socket) => socket.pause());
    await using transport = new UndiciTransport();
    async function* endless(): AsyncGenerator<Uint8Array> {
      const chunk = new Uint8Array(64 * 1024);
      for (let i = 0; i < 4096; i++) yield chunk;
    }
    const started = performance.now();
    const { error, ms } = await failure(
      send(transport, "POST", server.url, { content: endless(), timeout: { write: BUDGET, read: null } }),
      started,
    );
    expectTimeout(
      error,
      WriteTimeout,
      `Timed out after ${BUDGET} ms waiting for the connection to take more of the request body`,
    );
    // Filling the loopback buffers takes a few milliseconds before the wait that is timed starts.
    expect(ms).toBeLessThan(LATEST + 100);
  });
});

/**
 * Watches the Node timers created for a budget of `ms` (Node's `Timeout` objects, seen through async_hooks; the
 * transport's timer may be set a millisecond short, having counted from a fresher clock): which are still pending,
 * and whether they hold the process open.
 */
function watchTimers(ms: number) {
  const live = new Map<number, { hasRef(): boolean }>();
  let created = 0;
  const hook = createHook({
    init(id, type, _trigger, resource) {
      const duration = (resource as { _idleTimeout?: number })._idleTimeout ?? 0;
      if (type === "Timeout" && duration <= ms && duration >= ms - 2) {
        created += 1;
        live.set(id, resource as { hasRef(): boolean });
      }
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return {
    get created() {
      return created;
    },
    /** The timers not yet cleared or fired; destroy hooks run on the turn after. */
    async pending(): Promise<Array<{ hasRef(): boolean }>> {
      await new Promise((resolve) => setImmediate(resolve));
      return [...live.values()];
    },
    [Symbol.dispose]() {
      hook.disable();
    },
  };
}

describe("the timeout timer", () => {
  const ALL = 4321;
  const SHORT = 250;
  // The connect timeout is the connector's, per connection: another budget keeps its timers out of the count.
  const timeout: Partial<TimeoutExtension> = { connect: 5000, read: ALL, write: ALL, pool: ALL };
  const short: Partial<TimeoutExtension> = { connect: 5000, read: SHORT, write: SHORT, pool: SHORT };

  it("is one unref'd timer for every request in flight, not one per request", async () => {
    await using server = await startHttpServer((_req, res) => {
      res.write("some");
      setTimeout(() => res.end(" body"), 20);
    });
    await using transport = new UndiciTransport();
    using timers = watchTimers(ALL);
    const responses: Response[] = [];
    for (let i = 0; i < 3; i++) responses.push(await send(transport, "GET", server.url, { timeout }));
    const during = await timers.pending();
    expect(during).toHaveLength(1);
    expect(during[0]!.hasRef()).toBe(false);
    for (const response of responses) await response.read();
    expect(timers.created).toBe(1);
  });

  it("fires each request's timeout on time, whatever the order of their budgets", async () => {
    await using server = await startHttpServer(() => {});
    await using transport = new UndiciTransport();
    const started = performance.now();
    const budgets = [400, 100, 250];
    const settled = budgets.map(async (read) => {
      const { error, ms } = await failure(
        send(transport, "GET", server.url, { timeout: { read, connect: 5000, write: null, pool: null } }),
        started,
      );
      expect(error).toBeInstanceOf(ReadTimeout);
      return ms;
    });
    const times = await Promise.all(settled);
    for (const [index, ms] of times.entries()) {
      expect(ms).toBeGreaterThanOrEqual(budgets[index]!);
      expect(ms).toBeLessThan(budgets[index]! + 100);
    }
  });

  it.each<[string, string, (response: Response) => Promise<unknown>]>([
    ["every response was read", "/", (response) => response.read()],
    ["the response was closed unread", "/held-body", (response) => response.close()],
  ])("fires once and is not set again when %s", async (_what, path, end) => {
    await using server = await startHttpServer((req, res) => {
      if (req.url === "/held-body") res.write("held");
      else res.end("body");
    });
    await using transport = new UndiciTransport();
    using timers = watchTimers(SHORT);
    for (let i = 0; i < 3; i++)
      await end(await send(transport, "GET", server.url + path, { timeout: short }));
    expect(await timers.pending()).toHaveLength(1);
    await expect.poll(async () => (await timers.pending()).length, { timeout: 3000 }).toBe(0);
    expect(timers.created).toBe(1);
  });

  it.each<[string, string, (response: Promise<Response>, transport: UndiciTransport) => Promise<unknown>]>([
    [
      "mid-body",
      "/held-body",
      async (response, transport) => {
        const reading = (await response).read();
        await transport.close();
        await reading.catch(() => {});
      },
    ],
    [
      "before the headers",
      "/stall",
      async (response, transport) => {
        await transport.close();
        await response.catch(() => {});
      },
    ],
  ])("is cleared at once when the transport is closed %s", async (_when, path, end) => {
    await using server = await startHttpServer((req, res) => {
      if (req.url === "/held-body") res.write("held");
    });
    await using transport = new UndiciTransport();
    using timers = watchTimers(ALL);
    const response = send(transport, "GET", server.url + path, { timeout });
    await expect.poll(async () => (await timers.pending()).length).toBe(1);
    await end(response, transport);
    expect(await timers.pending()).toHaveLength(0);
  });
});

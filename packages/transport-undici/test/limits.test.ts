import { Limits, PoolTimeout } from "@ferry/core";
import { startHttpServer } from "@ferry/test-servers";
import { describe, expect, it } from "vitest";
import { UndiciTransport } from "../src/index.js";
import { fetchText, send, text } from "./helpers.js";

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("connection pool limits", () => {
  it("opens at most maxConnections connections, queueing the other requests", async () => {
    let active = 0;
    let peak = 0;
    await using server = await startHttpServer((_req, res) => {
      active += 1;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active -= 1;
        res.end("done");
      }, 30);
    });
    await using transport = new UndiciTransport({ limits: new Limits({ maxConnections: 2 }) });
    const responses = await Promise.all(Array.from({ length: 6 }, () => fetchText(transport, server.url)));
    expect(responses.map(text)).toEqual(Array(6).fill("done"));
    expect(server.connections).toBe(2);
    expect(peak).toBe(2);
  });

  it("caps connections across origins, closing an idle connection of another origin to make room", async () => {
    await using first = await startHttpServer((_req, res) => res.end("first"), { keepAliveTimeout: 60_000 });
    await using second = await startHttpServer((_req, res) => res.end("second"), {
      keepAliveTimeout: 60_000,
    });
    await using transport = new UndiciTransport({ limits: { maxConnections: 1 } });
    expect(text(await fetchText(transport, first.url))).toBe("first");
    await nextTurn();
    expect(first.openConnections).toBe(1);
    expect(text(await fetchText(transport, second.url))).toBe("second");
    await expect.poll(() => first.openConnections).toBe(0);
    expect(second.openConnections).toBe(1);
  });

  it("raises PoolTimeout when every connection, to any origin, stays busy", async () => {
    await using first = await startHttpServer((_req, res) => res.write("holding"));
    await using second = await startHttpServer((_req, res) => res.end("second"));
    await using transport = new UndiciTransport({ limits: { maxConnections: 1 } });
    const held = await send(transport, "GET", first.url);
    await expect(send(transport, "GET", second.url, { timeout: { pool: 100 } })).rejects.toThrow(PoolTimeout);
    await held.close();
    expect(text(await fetchText(transport, second.url))).toBe("second");
  });

  it("raises PoolTimeout when no connection frees up within timeout.pool", async () => {
    await using server = await startHttpServer((req, res) => {
      if (req.url === "/hold") res.write("holding the connection");
      else res.end("free");
    });
    await using transport = new UndiciTransport({ limits: { maxConnections: 1 } });
    const held = await send(transport, "GET", `${server.url}/hold`);
    await expect(send(transport, "GET", server.url, { timeout: { pool: 100 } })).rejects.toThrow(PoolTimeout);
    await held.close();
    expect(text(await fetchText(transport, server.url))).toBe("free");
  });

  it("waits for a connection within timeout.pool", async () => {
    await using server = await startHttpServer((req, res) => {
      if (req.url === "/slow") setTimeout(() => res.end("slow"), 50);
      else res.end("fast");
    });
    await using transport = new UndiciTransport({ limits: { maxConnections: 1 } });
    const slow = fetchText(transport, `${server.url}/slow`);
    const queued = fetchText(transport, server.url, { timeout: { pool: 2000 } });
    expect((await Promise.all([slow, queued])).map(text)).toEqual(["slow", "fast"]);
    expect(server.connections).toBe(1);
  });

  it("keeps no connection alive with maxKeepaliveConnections: 0", async () => {
    const connectionHeaders: string[] = [];
    await using server = await startHttpServer((req, res) => {
      connectionHeaders.push(req.headers.connection ?? "");
      res.end("once");
    });
    await using transport = new UndiciTransport({ limits: { maxKeepaliveConnections: 0 } });
    for (let i = 0; i < 3; i++) {
      await fetchText(transport, server.url);
      await nextTurn();
    }
    expect(server.connections).toBe(3);
    expect(connectionHeaders).toEqual(["close", "close", "close"]);
    await expect.poll(() => server.openConnections).toBe(0);
  });

  it("keeps at most maxKeepaliveConnections idle connections", async () => {
    await using server = await startHttpServer((_req, res) => setTimeout(() => res.end("burst"), 30), {
      keepAliveTimeout: 60_000,
    });
    await using transport = new UndiciTransport({
      limits: { maxConnections: 4, maxKeepaliveConnections: 1 },
    });
    await Promise.all(Array.from({ length: 4 }, () => fetchText(transport, server.url)));
    expect(server.connections).toBe(4);
    await expect.poll(() => server.openConnections).toBe(1);
    await fetchText(transport, server.url);
    expect(server.connections).toBe(4);
  });

  it("closes the idle connections beyond maxKeepaliveConnections after bursts in quick succession too", async () => {
    await using server = await startHttpServer((_req, res) => setTimeout(() => res.end("burst"), 30), {
      keepAliveTimeout: 60_000,
    });
    await using transport = new UndiciTransport({
      limits: { maxConnections: 4, maxKeepaliveConnections: 1 },
    });
    for (let burst = 0; burst < 3; burst++) {
      await Promise.all(Array.from({ length: 4 }, () => fetchText(transport, server.url)));
    }
    await expect.poll(() => server.openConnections).toBe(1);
  });

  it("keeps every idle connection while there are no more than maxKeepaliveConnections", async () => {
    await using server = await startHttpServer((_req, res) => setTimeout(() => res.end("burst"), 30), {
      keepAliveTimeout: 60_000,
    });
    await using transport = new UndiciTransport({
      limits: { maxConnections: 10, maxKeepaliveConnections: 3 },
    });
    await Promise.all(Array.from({ length: 3 }, () => fetchText(transport, server.url)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.openConnections).toBe(3);
  });

  it("closes an idle connection after keepaliveExpiry", async () => {
    await using server = await startHttpServer((_req, res) => res.end("idle"), { keepAliveTimeout: 60_000 });
    await using transport = new UndiciTransport({ limits: { keepaliveExpiry: 100 } });
    await fetchText(transport, server.url);
    expect(server.openConnections).toBe(1);
    await expect.poll(() => server.openConnections, { timeout: 2000 }).toBe(0);
  });

  it("keeps an idle connection for reuse until keepaliveExpiry", async () => {
    await using server = await startHttpServer((_req, res) => res.end("kept"), { keepAliveTimeout: 60_000 });
    await using transport = new UndiciTransport({ limits: { keepaliveExpiry: 60_000 } });
    await fetchText(transport, server.url);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.openConnections).toBe(1);
    await fetchText(transport, server.url);
    expect(server.connections).toBe(1);
  });
});

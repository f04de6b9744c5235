import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { Client, ReadTimeout, RemoteProtocolError } from "@ferry/core";
import { AppTransport } from "@ferry/transport-mock";
import express, {
  type Request as ExpressRequest,
  type Response as ExpressResponse,
  type NextFunction,
} from "express";
import Fastify from "fastify";
import Koa from "koa";
import { describe, expect, it } from "vitest";

function expressApp(): express.Express {
  const app = express();
  app.use(express.json());
  app.get("/users/:id", (req, res) => {
    res.json({ id: req.params.id, protocol: req.protocol, ip: req.ip, host: req.hostname, q: req.query });
  });
  app.post("/users", (req, res) => {
    res.status(201).set("location", "/users/7").json({ created: req.body });
  });
  app.post("/upload", (req, res) => {
    let size = 0;
    req.on("data", (chunk: Buffer) => (size += chunk.length));
    req.on("end", () => res.send(`${size} bytes`));
  });
  app.get("/cookies", (req, res) => {
    res
      .cookie("a", "1")
      .cookie("b", "2")
      .send(req.headers.cookie ?? "none");
  });
  app.get("/stream", (_req, res) => {
    Readable.from(["alpha\n", "beta\n", "gamma\n"]).pipe(res);
  });
  app.get("/sized", (_req, res) => {
    res.set("content-length", "5").end("hello");
  });
  app.get("/fail", () => {
    throw new Error("express route failed");
  });
  app.get("/redirect", (_req, res) => res.redirect("/users/1"));
  return app;
}

/** A promise and the function that resolves it, to await something the app does. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const client = (app: express.Express, options: ConstructorParameters<typeof AppTransport>[1] = {}) =>
  new Client({ transport: new AppTransport({ listener: app }, options), baseUrl: "https://app.test" });

describe("AppTransport with a Node request listener (Express)", () => {
  it("routes into the app with the URL, query, protocol and client address", async () => {
    await using http = client(expressApp());
    const response = await http.get("/users/42", { params: { expand: "posts" } });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe("OK");
    expect(response.json()).toEqual({
      id: "42",
      protocol: "https",
      ip: "127.0.0.1",
      host: "app.test",
      q: { expand: "posts" },
    });
  });

  it("sends JSON bodies to express.json() and reads status and headers back", async () => {
    await using http = client(expressApp());
    const response = await http.post("/users", { json: { name: "Ada" } });
    expect(response.statusCode).toBe(201);
    expect(response.headers.get("location")).toBe("/users/7");
    expect(response.json()).toEqual({ created: { name: "Ada" } });
  });

  it("streams a request body into the app", async () => {
    await using http = client(expressApp());
    async function* chunks() {
      for (let index = 0; index < 8; index++) yield new Uint8Array(16 * 1024);
    }
    expect((await http.post("/upload", { content: chunks() })).text).toBe(`${8 * 16 * 1024} bytes`);
  });

  it("streams the app's response body, chunked or sized", async () => {
    await using http = client(expressApp());
    const lines: string[] = [];
    await http.stream("GET", "/stream", async (response) => {
      expect(response.headers.get("transfer-encoding")).toBe("chunked");
      for await (const line of response.iterLines()) lines.push(line);
    });
    expect(lines).toEqual(["alpha", "beta", "gamma"]);
    expect((await http.get("/sized")).text).toBe("hello");
  });

  it("keeps every Set-Cookie and follows the app's redirects", async () => {
    await using http = new Client({
      transport: new AppTransport({ listener: expressApp() }),
      baseUrl: "https://app.test",
      followRedirects: true,
    });
    const first = await http.get("/cookies");
    expect(first.headers.getList("set-cookie")).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect((await http.get("/cookies")).text).toBe("a=1; b=2");
    expect((await http.get("/redirect")).url.path).toBe("/users/1");
  });

  it("answers HEAD without a body", async () => {
    await using http = client(expressApp());
    const response = await http.head("/sized");
    expect(response.headers.get("content-length")).toBe("5");
    expect(response.content).toEqual(new Uint8Array(0));
  });

  it("returns Express's own 500 for a route that throws", async () => {
    await using http = client(expressApp());
    expect((await http.get("/fail")).statusCode).toBe(500);
  });

  it("surfaces an error the app hands to res.destroy(), or a 500 with raiseAppExceptions: false", async () => {
    const app = expressApp();
    app.use((error: Error, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) =>
      res.destroy(error),
    );
    await using raising = client(app);
    await expect(raising.get("/fail")).rejects.toThrow("express route failed");
    await using quiet = client(app, { raiseAppExceptions: false });
    const response = await quiet.get("/fail");
    expect(response.statusCode).toBe(500);
    expect((response.extensions["app_error"] as Error).message).toBe("express route failed");
  });

  it("surfaces a plain listener's synchronous throw and async rejection", async () => {
    const throwing = new Client({
      transport: new AppTransport({
        listener: () => {
          throw new TypeError("sync failure");
        },
      }),
    });
    await expect(throwing.get("http://app.test/")).rejects.toThrow("sync failure");
    const rejecting = new Client({
      transport: new AppTransport({
        listener: async () => {
          throw new TypeError("async failure");
        },
      }),
    });
    await expect(rejecting.get("http://app.test/")).rejects.toThrow("async failure");
  });

  it("raises an error that breaks the body midway", async () => {
    const listener = (_req: IncomingMessage, res: ServerResponse) => {
      res.write("start");
      setTimeout(() => res.destroy(new Error("midway")), 5);
    };
    await using http = new Client({ transport: new AppTransport({ listener }) });
    await expect(http.get("http://app.test/")).rejects.toThrow("midway");
  });

  it("raises RemoteProtocolError when the app closes the connection without answering", async () => {
    const listener = (req: IncomingMessage) => req.socket.destroy();
    await using http = new Client({ transport: new AppTransport({ listener }) });
    await expect(http.get("http://app.test/")).rejects.toThrow(RemoteProtocolError);
  });

  it("holds the app's writes while the client is not reading", async () => {
    let writes = 0;
    let blocked = false;
    const listener = (_req: IncomingMessage, res: ServerResponse) => {
      const chunk = Buffer.alloc(16 * 1024);
      const writeMore = () => {
        while (writes < 64) {
          writes++;
          if (!res.write(chunk)) {
            blocked = true;
            res.once("drain", writeMore);
            return;
          }
        }
        res.end();
      };
      writeMore();
    };
    await using http = new Client({ transport: new AppTransport({ listener }) });
    await http.stream("GET", "http://app.test/", async (response) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(blocked).toBe(true);
      expect(writes).toBeLessThan(64);
      let size = 0;
      for await (const chunk of response.iterBytes()) size += chunk.byteLength;
      expect(size).toBe(64 * 16 * 1024);
    });
  });

  it("tells the app when the client stops reading early", async () => {
    let closed = false;
    const listener = (_req: IncomingMessage, res: ServerResponse) => {
      res.on("close", () => (closed = true));
      const timer = setInterval(() => res.write("tick\n"), 1);
      res.on("close", () => clearInterval(timer));
    };
    await using http = new Client({ transport: new AppTransport({ listener }) });
    await http.stream("GET", "http://app.test/", async (response) => {
      for await (const _line of response.iterLines()) break;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(true);
  });

  it("reads the request body only as fast as the app consumes it", async () => {
    let produced = 0;
    async function* chunks() {
      for (; produced < 1000; produced++) yield new Uint8Array(1024);
    }
    const listener = (_req: IncomingMessage, res: ServerResponse) => res.end("ignored the body");
    await using http = new Client({ transport: new AppTransport({ listener }) });
    expect((await http.post("http://app.test/", { content: chunks() })).text).toBe("ignored the body");
    expect(produced).toBeLessThan(100);
  });

  it("shows the app the client address it was given", async () => {
    const listener = (req: IncomingMessage, res: ServerResponse) =>
      res.end(`${req.socket.remoteAddress}:${req.socket.remotePort}`);
    await using http = new Client({
      transport: new AppTransport({ listener }, { client: ["10.1.2.3", 4567] }),
    });
    expect((await http.get("http://app.test/")).text).toBe("10.1.2.3:4567");
  });

  it("times out an app that never answers", async () => {
    await using http = new Client({ transport: new AppTransport({ listener: () => {} }), timeout: 30 });
    await expect(http.get("http://app.test/")).rejects.toThrow(ReadTimeout);
  });

  it("times out a body that stalls after its headers, within a few ms of the read timeout, and tells the app", async () => {
    const { promise: appClosed, resolve: closeApp } = signal();
    const listener = (_req: IncomingMessage, res: ServerResponse) => {
      res.on("close", () => closeApp());
      res.writeHead(200, { "content-length": "100" });
      res.write("x".repeat(50));
    };
    await using http = new Client({ transport: new AppTransport({ listener }), timeout: 100 });
    await http.stream("GET", "http://app.test/", async (response) => {
      const chunks = response.iterBytes()[Symbol.asyncIterator]();
      expect((await chunks.next()).value).toHaveLength(50);
      const started = performance.now();
      await expect(chunks.next()).rejects.toThrow(ReadTimeout);
      expect(performance.now() - started).toBeGreaterThanOrEqual(99);
      expect(performance.now() - started).toBeLessThan(100 + 50);
    });
    await appClosed;
  });

  it("reads a slow but steady body that takes longer than the read timeout in all", async () => {
    const listener = (_req: IncomingMessage, res: ServerResponse) => {
      let sent = 0;
      const timer = setInterval(() => {
        res.write(`${sent}\n`);
        if (++sent === 10) {
          clearInterval(timer);
          res.end();
        }
      }, 20);
    };
    await using http = new Client({ transport: new AppTransport({ listener }), timeout: 100 });
    const started = performance.now();
    const response = await http.get("http://app.test/");
    expect(performance.now() - started).toBeGreaterThan(100);
    expect(response.text).toBe("0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
  });

  it("does not count the time the reader takes between chunks against the read timeout", async () => {
    const listener = (_req: IncomingMessage, res: ServerResponse) => {
      res.write("first\n");
      res.end("second\n");
    };
    await using http = new Client({ transport: new AppTransport({ listener }), timeout: 20 });
    await http.stream("GET", "http://app.test/", async (response) => {
      const lines: string[] = [];
      for await (const line of response.iterLines()) {
        lines.push(line);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      expect(lines).toEqual(["first", "second"]);
    });
  });

  it("closes a response that comes after the read timeout, so the app stops writing", async () => {
    const { promise: appClosed, resolve: closeApp } = signal();
    const listener = (_req: IncomingMessage, res: ServerResponse) => {
      res.on("close", () => closeApp());
      setTimeout(() => {
        const writeMore = () => {
          while (res.write(Buffer.alloc(16 * 1024)));
          res.once("drain", writeMore);
        };
        writeMore();
      }, 40);
    };
    await using http = new Client({ transport: new AppTransport({ listener }), timeout: 20 });
    await expect(http.get("http://app.test/")).rejects.toThrow(ReadTimeout);
    await appClosed;
  });

  it("refuses an Express app passed as a Fetch handler, saying how to pass it", () => {
    expect(() => new AppTransport(expressApp() as never)).toThrow(
      /pass it as new AppTransport\(\{ listener: app \}\)/,
    );
  });
});

describe("AppTransport with other Node frameworks", () => {
  it("serves Koa's callback(), with a streamed request body", async () => {
    const app = new Koa();
    app.use(async (ctx) => {
      let size = 0;
      for await (const chunk of ctx.req) size += (chunk as Buffer).length;
      ctx.status = 202;
      ctx.body = { method: ctx.method, path: ctx.path, size, secure: ctx.secure };
    });
    await using http = new Client({ transport: new AppTransport({ listener: app.callback() }) });
    const response = await http.post("https://app.test/upload", { content: "x".repeat(1000) });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ method: "POST", path: "/upload", size: 1000, secure: true });
  });

  it("serves Fastify's routing", async () => {
    const app = Fastify();
    app.post("/items/:id", async (request) => ({
      id: (request.params as { id: string }).id,
      body: request.body,
    }));
    await app.ready();
    await using http = new Client({ transport: new AppTransport({ listener: app.routing }) });
    const response = await http.post("http://app.test/items/5", { json: { name: "ferry" } });
    expect(response.json()).toEqual({ id: "5", body: { name: "ferry" } });
    await app.close();
  });
});

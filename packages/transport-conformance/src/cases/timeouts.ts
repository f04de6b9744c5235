/**
 * Cases for `request.extensions.timeout`: each phase that runs out raises its own class, bound to the request.
 *
 * @module
 */
import { ConnectTimeout, PoolTimeout, ReadTimeout, WriteTimeout } from "@ferry/core";
import { within } from "../failure.js";
import { type ConformanceCase, checkTransportError, rawChunks, signal } from "../harness.js";
import { readRequestBody, startRawServer } from "../server.js";

/** How long past its timeout a transport may take to raise it before the case calls the timeout ignored. */
const GRACE = 3000;

function ignored(phase: string, ms: number): string {
  return `no ${phase} timeout was raised although request.extensions.timeout.${phase} was ${ms} ms`;
}

const connect: ConformanceCase = {
  name: "timeouts.connect: a connection that cannot be set up raises ConnectTimeout",
  rule: "timeouts.connect",
  needs: ["network", "connectTimeout"],
  async run(env) {
    // TCP connects, but the TLS handshake never gets an answer: the connection is never set up.
    const silent = await startRawServer(() => {});
    env.defer(() => silent.close());
    const request = env.request("GET", `https://127.0.0.1:${silent.port}/`, { timeout: { connect: 200 } });
    const error = await within(
      env.send(request).then(
        () => undefined,
        (e: unknown) => e,
      ),
      200 + GRACE,
      "timeouts.connect",
      ignored("connect", 200),
    );
    checkTransportError(error, [ConnectTimeout], request, "timeouts.connect", false);
  },
};

const readHeaders: ConformanceCase = {
  name: "timeouts.read: response headers that do not come raise ReadTimeout",
  rule: "timeouts.read",
  async run(env) {
    const route = env.server.route(() => {});
    // A transport that cannot tell connecting from waiting for the headers counts both against the two budgets.
    const request = env.request("GET", route.url, { timeout: { connect: 1000, read: 200 } });
    const error = await within(
      env.send(request).then(
        () => undefined,
        (e: unknown) => e,
      ),
      1200 + GRACE,
      "timeouts.read",
      ignored("read", 200),
    );
    checkTransportError(error, [ReadTimeout], request, "timeouts.read", false);
  },
};

const readBody: ConformanceCase = {
  name: "timeouts.read: a body that stalls raises ReadTimeout",
  rule: "timeouts.read",
  needs: ["bodyReadTimeout"],
  async run(env) {
    const route = env.server.route((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("first");
    });
    const request = env.request("GET", route.url, { timeout: { read: 200 } });
    const response = await env.send(request);
    const reading = (async () => {
      for await (const _ of rawChunks(response));
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    const error = await within(reading, 200 + GRACE, "timeouts.read", ignored("read", 200));
    checkTransportError(error, [ReadTimeout], request, "timeouts.read", false);
  },
};

const write: ConformanceCase = {
  name: "timeouts.write: an upload the server does not take raises WriteTimeout",
  rule: "timeouts.write",
  needs: ["writeTimeout"],
  async run(env) {
    const route = env.server.route((req) => {
      req.pause();
    });
    const chunk = new Uint8Array(64 * 1024).fill(0x62);
    async function* huge(): AsyncGenerator<Uint8Array> {
      // 256 MiB, produced lazily: far more than the socket buffers take while the server reads nothing.
      for (let i = 0; i < 4096; i++) yield chunk;
    }
    const request = env.request("PUT", route.url, { content: huge(), timeout: { write: 300 } });
    const error = await within(
      env.send(request).then(
        () => undefined,
        (e: unknown) => e,
      ),
      300 + GRACE * 2,
      "timeouts.write",
      ignored("write", 300),
    );
    checkTransportError(error, [WriteTimeout], request, "timeouts.write", false);
  },
};

const pool: ConformanceCase = {
  name: "timeouts.pool: waiting for a free connection raises PoolTimeout",
  rule: "timeouts.pool",
  applies: (options) => options.createPooled !== undefined,
  async run(env) {
    const factory = env.options.createPooled;
    if (factory === undefined) return;
    const pooled = await env.build(factory);
    const release = signal();
    env.defer(() => release.resolve());
    const route = env.server.route(async (req, res) => {
      await readRequestBody(req);
      res.writeHead(200, { "content-length": "100" });
      res.write("hold");
      await release.promise;
      res.end();
    });
    // The first response is not read, so it keeps the only connection.
    const first = await pooled.handleRequest(env.request("GET", route.url));
    env.defer(() => first.close());
    const request = env.request("GET", route.url, { timeout: { pool: 200 } });
    const error = await within(
      pooled.handleRequest(request).then(
        (response) => response.close(),
        (e: unknown) => e,
      ),
      200 + GRACE,
      "timeouts.pool",
      ignored("pool", 200),
    );
    checkTransportError(error, [PoolTimeout], request, "timeouts.pool", false);
  },
};

/** The cases about timeouts. The pool case runs only with `options.createPooled`. */
export const timeoutCases: readonly ConformanceCase[] = [connect, readHeaders, readBody, write, pool];

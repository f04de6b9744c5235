/**
 * Cases for network failures: each raises the right `TransportError`, bound to the request, with the underlying
 * error as its `cause`.
 *
 * @module
 */
import type { Socket } from "node:net";
import { ConnectError, ReadError, RemoteProtocolError, type Request } from "@ferry/core";
import { within } from "../failure.js";
import { type CaseEnv, type ConformanceCase, checkTransportError, rawChunks } from "../harness.js";
import { closedPort, requestHead, startRawServer } from "../server.js";

const GRACE = 5000;

/** Sends `request` and reads its body whole; resolves with the error raised on the way, or `undefined`. */
function failure(env: CaseEnv, request: Request, rule: string): Promise<unknown> {
  const exchange = (async () => {
    const response = await env.send(request);
    for await (const _ of rawChunks(response));
  })();
  return within(
    exchange.then(
      () => undefined,
      (e: unknown) => e,
    ),
    GRACE,
    rule,
    "the transport neither failed nor finished",
  );
}

/** Starts a raw server answering each request with `reply`, then doing `after` to the socket. */
async function rawServer(env: CaseEnv, reply: string, after: (socket: Socket) => void): Promise<string> {
  const server = await startRawServer((socket) => {
    void requestHead(socket).then(() => socket.write(reply, () => after(socket)));
  });
  env.defer(() => server.close());
  return server.url;
}

const refused: ConformanceCase = {
  name: "errors.refused: a refused connection raises ConnectError",
  rule: "errors.refused",
  needs: ["network"],
  async run(env) {
    const request = env.request("GET", `http://127.0.0.1:${await closedPort()}/`);
    const error = await failure(env, request, "errors.refused");
    checkTransportError(error, [ConnectError], request, "errors.refused");
  },
};

const reset: ConformanceCase = {
  name: "errors.reset: a connection reset in the middle of the body raises ReadError",
  rule: "errors.reset",
  needs: ["network"],
  async run(env) {
    const url = await rawServer(
      env,
      "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(300),
      (socket) => {
        setTimeout(() => socket.resetAndDestroy(), 20);
      },
    );
    const request = env.request("GET", url);
    const error = await failure(env, request, "errors.reset");
    // A reset can reach the client as a close before the end of the body, which is a protocol error as well.
    checkTransportError(error, [ReadError, RemoteProtocolError], request, "errors.reset");
  },
};

const shortBody: ConformanceCase = {
  name: "errors.short-body: a body shorter than its Content-Length raises RemoteProtocolError",
  rule: "errors.short-body",
  needs: ["network"],
  async run(env) {
    const url = await rawServer(
      env,
      "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(300),
      (socket) => socket.end(),
    );
    const request = env.request("GET", url);
    const error = await failure(env, request, "errors.short-body");
    checkTransportError(error, [RemoteProtocolError], request, "errors.short-body");
  },
};

const MALFORMED = [
  "NOT HTTP AT ALL\r\n\r\n",
  "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
  "HTTP/1.1 200 OK\r\nBroken Header Line\r\nContent-Length: 0\r\n\r\n",
];

const malformed: ConformanceCase = {
  name: "errors.malformed: a malformed response raises RemoteProtocolError",
  rule: "errors.malformed",
  needs: ["network"],
  async run(env) {
    for (const reply of MALFORMED) {
      const url = await rawServer(env, reply, (socket) => socket.end());
      const request = env.request("GET", url);
      const error = await failure(env, request, "errors.malformed");
      checkTransportError(error, [RemoteProtocolError], request, "errors.malformed");
    }
  },
};

const disconnect: ConformanceCase = {
  name: "errors.disconnect: a server that closes without answering raises RemoteProtocolError",
  rule: "errors.disconnect",
  needs: ["network"],
  async run(env) {
    const url = await rawServer(env, "", (socket) => socket.end());
    const request = env.request("GET", url);
    const error = await failure(env, request, "errors.disconnect");
    checkTransportError(error, [RemoteProtocolError], request, "errors.disconnect");
  },
};

/** The cases about network failures. */
export const errorCases: readonly ConformanceCase[] = [refused, reset, shortBody, malformed, disconnect];

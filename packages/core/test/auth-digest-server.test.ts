import { createHash, randomBytes } from "node:crypto";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { type Auth, DigestAuth, Request, Response } from "@ferry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const USER = "Mufasa";
const PASSWORD = "Circle of Life";
const REALM = "ferry@example.org";

/** A Digest server: challenges with a fresh nonce, and checks every answer, its nc and its cookie. */
class DigestServer {
  readonly nonces = new Map<string, number>();
  readonly authorizations: string[] = [];
  algorithm = "SHA-256";
  server: Server = createServer((req, res) => this.#handle(req, res));

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) this.authorizations.push(authorization);
    if (authorization !== undefined && this.#verify(req, authorization)) {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("welcome");
      return;
    }
    const nonce = randomBytes(16).toString("hex");
    this.nonces.set(nonce, 0);
    res.writeHead(401, {
      "WWW-Authenticate": `Digest realm="${REALM}", qop="auth", algorithm=${this.algorithm}, nonce="${nonce}", opaque="op"`,
      "Set-Cookie": `challenge=${nonce}; Path=/`,
    });
    res.end("who are you?");
  }

  #verify(req: IncomingMessage, authorization: string): boolean {
    const f = Object.fromEntries(
      [...authorization.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]),
    );
    const lastNc = this.nonces.get(f.nonce ?? "");
    const nc = Number.parseInt(f.nc ?? "", 16);
    if (lastNc === undefined || !(nc > lastNc) || f.uri !== req.url || f.opaque !== "op") return false;
    const algorithm = this.algorithm
      .replace(/-SESS$/i, "")
      .toLowerCase()
      .replace("-", "");
    const h = (data: string) => createHash(algorithm).update(data).digest("hex");
    let ha1 = h(`${USER}:${REALM}:${PASSWORD}`);
    if (/-SESS$/i.test(this.algorithm)) ha1 = h(`${ha1}:${f.nonce}:${f.cnonce}`);
    const expected = h(`${ha1}:${f.nonce}:${f.nc}:${f.cnonce}:auth:${h(`${req.method}:${req.url}`)}`);
    if (f.username !== USER || f.response !== expected) return false;
    // A first answer must carry the cookie its challenge set; later ones reuse the nonce and need not.
    if (nc === 1 && req.headers.cookie !== `challenge=${f.nonce}`) return false;
    this.nonces.set(f.nonce!, nc);
    return true;
  }
}

/** Sends one request over node:http and reads the whole response. */
async function send(request: Request): Promise<Response> {
  const body = await request.read();
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(request.headers.items());
    const outgoing = httpRequest(request.url.toString(), { method: request.method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
          pairs.push([incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!]);
        }
        const content = new Uint8Array(Buffer.concat(chunks));
        resolve(new Response(incoming.statusCode ?? 0, { headers: pairs, content, request }));
      });
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Runs an auth flow to its end over the network; returns every response, the last one first. */
async function sendWithAuth(auth: Auth, request: Request): Promise<Response[]> {
  const responses: Response[] = [];
  const flow = auth.authFlow(request);
  for (let step = await flow.next(); !step.done; ) {
    const response = await send(step.value);
    responses.unshift(response);
    step = await flow.next(response);
  }
  return responses;
}

describe("DigestAuth against a real server", () => {
  const digest = new DigestServer();
  let base: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => digest.server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(digest.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => digest.server.close(resolve));
  });

  it.each(["SHA-256", "MD5-SESS"])(
    "passes a %s challenge, then authenticates up front",
    async (algorithm) => {
      digest.algorithm = algorithm;
      const auth = new DigestAuth(USER, PASSWORD);

      const first = await sendWithAuth(
        auth,
        new Request("POST", `${base}/private?page=1`, { content: "hi" }),
      );
      expect(first.map((response) => response.statusCode)).toEqual([200, 401]);
      expect(first[0]?.text).toBe("welcome");

      for (const path of ["/private?page=2", "/other"]) {
        const later = await sendWithAuth(auth, new Request("GET", `${base}${path}`));
        expect(later.map((response) => response.statusCode)).toEqual([200]);
      }
      expect(digest.authorizations.slice(-3).map((value) => /nc=(\w+)/.exec(value)?.[1])).toEqual([
        "00000001",
        "00000002",
        "00000003",
      ]);
    },
  );

  it("returns the second 401 when the password is wrong", async () => {
    const responses = await sendWithAuth(
      new DigestAuth(USER, "wrong"),
      new Request("GET", `${base}/private`),
    );
    expect(responses.map((response) => response.statusCode)).toEqual([401, 401]);
  });
});

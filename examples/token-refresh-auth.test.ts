import { startHttpServer, type TestServer } from "@ferry/test-servers";
import { Client, HTTPStatusError } from "ferry";
import { afterEach, describe, expect, it } from "vitest";
import { passwordLogin, TokenAuth } from "./token-refresh-auth.js";

interface Seen {
  path: string;
  authorization: string | undefined;
  body: string;
}

/** A local API: `POST /auth/token` issues tokens for ada/s3cret; other paths want a valid bearer token. */
class TokenApi {
  readonly valid = new Set<string>();
  readonly seen: Seen[] = [];
  logins = 0;
  /** When set, no token is accepted, not even a fresh one. */
  refuseAll = false;
  server!: TestServer;

  async start(): Promise<this> {
    this.server = await startHttpServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString();
      this.seen.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
      if (req.url === "/auth/token") {
        const { username, password } = JSON.parse(body) as { username: string; password: string };
        if (username !== "ada" || password !== "s3cret") return void res.writeHead(403).end();
        const token = `token-${++this.logins}`;
        this.valid.add(token);
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (token === undefined || !this.valid.has(token) || this.refuseAll)
        return void res.writeHead(401).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: req.url, body }));
    });
    return this;
  }

  /** Every token issued so far stops working, as when tokens expire. */
  expireTokens(): void {
    this.valid.clear();
  }
}

const running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function setUp(password = "s3cret"): Promise<{ api: TokenApi; client: Client }> {
  const api = await new TokenApi().start();
  running.push(api.server);
  const client = new Client({ baseUrl: api.server.url });
  client.auth = new TokenAuth(passwordLogin(client, "/auth/token", "ada", password));
  return { api, client };
}

describe("TokenAuth", () => {
  it("logs in on the first request and sends the same token afterwards", async () => {
    const { api, client } = await setUp();
    await using _ = client;
    expect((await client.get("/tasks")).statusCode).toBe(200);
    expect((await client.get("/projects")).statusCode).toBe(200);
    expect(api.seen.map(({ path, authorization }) => [path, authorization])).toEqual([
      ["/auth/token", undefined],
      ["/tasks", "Bearer token-1"],
      ["/projects", "Bearer token-1"],
    ]);
  });

  it("logs in again after a 401 and resends the request; the 401 is in the history", async () => {
    const { api, client } = await setUp();
    await using _ = client;
    await client.get("/tasks");
    api.expireTokens();
    const response = await client.get("/tasks");
    expect(response.statusCode).toBe(200);
    expect(response.history.map((earlier) => earlier.statusCode)).toEqual([401]);
    expect(api.logins).toBe(2);
    expect(api.seen.at(-1)?.authorization).toBe("Bearer token-2");
  });

  it("fetches one token for requests rejected at the same time", async () => {
    const { api, client } = await setUp();
    await using _ = client;
    await client.get("/warm-up");
    api.expireTokens();
    const responses = await Promise.all(["/a", "/b", "/c", "/d"].map((path) => client.get(path)));
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 200]);
    expect(api.logins).toBe(2);
  });

  it("sends a streamed request body again after the 401", async () => {
    const { api, client } = await setUp();
    await using _ = client;
    await client.get("/warm-up");
    api.expireTokens();
    async function* upload(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("streamed ");
      yield new TextEncoder().encode("once");
    }
    const response = await client.post("/uploads", { content: upload() });
    expect(response.json()).toEqual({ path: "/uploads", body: "streamed once" });
    expect(api.seen.filter(({ path }) => path === "/uploads").map(({ body }) => body)).toEqual([
      "streamed once",
      "streamed once",
    ]);
  });

  it("returns a second 401 as it is, without logging in again", async () => {
    const { api, client } = await setUp();
    await using _ = client;
    await client.get("/warm-up");
    api.refuseAll = true;
    const response = await client.get("/tasks");
    expect(response.statusCode).toBe(401);
    expect(response.history.map((earlier) => earlier.statusCode)).toEqual([401]);
    expect(api.logins).toBe(2);
  });

  it("raises the login's HTTPStatusError when the credentials are refused", async () => {
    const { client } = await setUp("wrong");
    await using _ = client;
    const error = await client.get("/tasks").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).response.statusCode).toBe(403);
    expect((error as HTTPStatusError).request.url.path).toBe("/auth/token");
  });
});

import { createHash, randomBytes } from "node:crypto";
import {
  Auth,
  BasicAuth,
  Client,
  DigestAuth,
  FunctionAuth,
  NetRCAuth,
  type Request,
  Response,
  runtime,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { afterEach, describe, expect, it } from "vitest";

const URL_ = "https://example.org/";
const BASIC = "Basic dXNlcjpwYXNzd29yZDEyMw==";

/** Answers with the Authorization header it got, and optionally a challenge. */
function app(options: { challenge?: string; status?: number } = {}) {
  return new MockTransport(
    (request) =>
      new Response(options.status ?? 200, {
        headers: options.challenge === undefined ? {} : { "www-authenticate": options.challenge },
        json: { auth: request.headers.get("Authorization") ?? null },
      }),
  );
}

/** Sends the request `repeat` times, then once more with the challenges it got joined. */
class RepeatAuth extends Auth {
  override requiresRequestBody = true;

  constructor(readonly repeat: number) {
    super();
  }

  override *authFlow(request: Request): Generator<Request, void, Response> {
    const nonces: string[] = [];
    for (let index = 0; index < this.repeat; index++) {
      request.headers.set("Authorization", `Repeat ${index}`);
      const response = yield request;
      nonces.push(response.headers.get("www-authenticate") ?? "");
    }
    request.headers.set("Authorization", `Repeat ${nonces.join(".")}`);
    yield request;
  }
}

/** Sends the first response's body back as the Authorization header. */
class ResponseBodyAuth extends Auth {
  override requiresResponseBody = true;

  constructor(readonly token: string) {
    super();
  }

  override *authFlow(request: Request): Generator<Request, void, Response> {
    request.headers.set("Authorization", this.token);
    const response = yield request;
    request.headers.set("Authorization", response.text);
    yield request;
  }
}

/** Reads the request body inside the flow, so it can sign it. */
class BodySigningAuth extends Auth {
  override requiresRequestBody = true;

  override *authFlow(request: Request): Generator<Request, void, Response> {
    request.headers.set("Authorization", `Signed ${new TextDecoder().decode(request.content)}`);
    yield request;
  }
}

describe("auth", () => {
  it("sends Basic auth from a tuple", async () => {
    const response = await new Client({ transport: app() }).get(URL_, { auth: ["user", "password123"] });
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it("sends the client's auth", async () => {
    const client = new Client({ transport: app(), auth: ["user", "password123"] });
    expect((await client.get(URL_)).json()).toEqual({ auth: BASIC });
  });

  it("sends the client's auth on a streamed request", async () => {
    const client = new Client({ transport: app(), auth: ["user", "password123"] });
    await using response = await client.stream("GET", URL_);
    await response.read();
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it("sends Basic auth from credentials in the URL", async () => {
    const response = await new Client({ transport: app() }).get("https://user:password123@example.org/");
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it("prefers the request's auth to credentials in the URL", async () => {
    const response = await new Client({ transport: app() }).get("https://a:b@example.org/", {
      auth: ["user", "password123"],
    });
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it("uses a function as auth", async () => {
    const auth = (request: Request): Request => {
      request.headers.set("Authorization", "Token 123");
      return request;
    };
    expect((await new Client({ transport: app() }).get(URL_, { auth })).json()).toEqual({
      auth: "Token 123",
    });
  });

  it.each([
    ["BasicAuth", new BasicAuth("user", "password123"), BASIC],
    ["FunctionAuth", new FunctionAuth((request) => request), null],
    ["Auth", new Auth(), null],
  ])("uses a %s instance", async (_, auth, expected) => {
    expect((await new Client({ transport: app() }).get(URL_, { auth })).json()).toEqual({ auth: expected });
  });

  it("disables the client's auth with auth: null", async () => {
    const client = new Client({ transport: app(), auth: ["user", "password123"] });
    expect((await client.get(URL_, { auth: null })).json()).toEqual({ auth: null });
  });

  it("reads and assigns the auth property", async () => {
    const client = new Client({ transport: app() });
    expect(client.auth).toBeNull();
    client.auth = ["user", "password123"];
    expect(client.auth).toBeInstanceOf(BasicAuth);
    expect((await client.get(URL_)).json()).toEqual({ auth: BASIC });
    client.auth = null;
    expect(client.auth).toBeNull();
  });

  it("rejects auth of the wrong type everywhere", async () => {
    const bad = "not a tuple, not a function" as never;
    expect(() => new Client({ auth: bad })).toThrow(TypeError);
    const client = new Client({ transport: app() });
    await expect(client.get(URL_, { auth: bad })).rejects.toThrow(TypeError);
    expect(() => {
      client.auth = bad;
    }).toThrow(TypeError);
  });

  it("puts the responses an auth flow answered in history", async () => {
    const client = new Client({ transport: app({ challenge: "abc" }) });
    const response = await client.get(URL_, { auth: new RepeatAuth(2) });
    expect(response.json()).toEqual({ auth: "Repeat abc.abc" });
    expect(response.history).toHaveLength(2);
    const [first, second] = response.history;
    expect(first?.json()).toEqual({ auth: "Repeat 0" });
    expect(second?.json()).toEqual({ auth: "Repeat 1" });
    expect(second?.history).toEqual([first]);
    expect(first?.history).toEqual([]);
  });

  it("reads each response body for a flow that requires it", async () => {
    const response = await new Client({ transport: app() }).get(URL_, { auth: new ResponseBodyAuth("xyz") });
    expect(response.json()).toEqual({ auth: '{"auth":"xyz"}' });
  });

  it("reads the request body before a flow that requires it", async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("payload");
    }
    const client = new Client({ transport: app() });
    const response = await client.post(URL_, { content: body(), auth: new BodySigningAuth() });
    expect(response.json()).toEqual({ auth: "Signed payload" });
  });

  it("runs an async generator flow", async () => {
    class TokenAuth extends Auth {
      override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
        const token = await Promise.resolve("fresh");
        request.headers.set("Authorization", `Bearer ${token}`);
        const response = yield request;
        if (response.statusCode === 401) {
          request.headers.set("Authorization", "Bearer renewed");
          yield request;
        }
      }
    }
    let calls = 0;
    const transport = new MockTransport((request) => {
      calls += 1;
      const auth = request.headers.get("Authorization");
      return new Response(calls === 1 ? 401 : 200, { json: { auth } });
    });
    const response = await new Client({ transport }).get(URL_, { auth: new TokenAuth() });
    expect(response.json()).toEqual({ auth: "Bearer renewed" });
    expect(response.history.map((r) => r.statusCode)).toEqual([401]);
  });

  it("propagates an error thrown by the flow and closes the response", async () => {
    const seen: Response[] = [];
    class FailingAuth extends Auth {
      override *authFlow(request: Request): Generator<Request, void, Response> {
        seen.push(yield request);
        throw new Error("flow failed");
      }
    }
    await expect(new Client({ transport: app() }).get(URL_, { auth: new FailingAuth() })).rejects.toThrow(
      "flow failed",
    );
    expect(seen[0]?.isClosed).toBe(true);
  });

  it("ends the flow early (running its finally) when sending fails", async () => {
    let finished = false;
    class CleanupAuth extends Auth {
      override *authFlow(request: Request): Generator<Request, void, Response> {
        try {
          yield request;
        } finally {
          finished = true;
        }
      }
    }
    const transport = new MockTransport(() => {
      throw new Error("network down");
    });
    await expect(new Client({ transport }).get(URL_, { auth: new CleanupAuth() })).rejects.toThrow(
      "network down",
    );
    expect(finished).toBe(true);
  });

  it("rejects a flow that yields nothing", async () => {
    class EmptyAuth extends Auth {
      override *authFlow(): Generator<Request, void, Response> {}
    }
    await expect(new Client({ transport: app() }).get(URL_, { auth: new EmptyAuth() })).rejects.toThrow(
      /EmptyAuth\.authFlow\(\) ended without yielding a request/,
    );
  });
});

describe("NetRCAuth through the client", () => {
  const saved = runtime.readTextFile;
  afterEach(() => {
    runtime.readTextFile = saved;
  });
  const netrc = "machine netrcexample.org\nlogin example-username\npassword example-password\n";

  it.each([
    ["http://netrcexample.org", "Basic ZXhhbXBsZS11c2VybmFtZTpleGFtcGxlLXBhc3N3b3Jk"],
    ["http://example.org", null],
  ])("authenticates %s from the netrc file: %s", async (url, expected) => {
    runtime.readTextFile = () => netrc;
    const client = new Client({ transport: app(), auth: new NetRCAuth("/fixtures/.netrc") });
    expect((await client.get(url)).json()).toEqual({ auth: expected });
  });
});

/** A Digest server: challenges until `attempts` requests were refused, then checks the response digest. */
class DigestApp {
  count = 0;
  readonly nonces: string[] = [];

  constructor(
    readonly algorithm = "SHA-256",
    readonly attempts = 1,
    readonly qop = "auth",
  ) {}

  readonly transport = new MockTransport((request) => this.#handle(request));

  #handle(request: Request): Response {
    const header = request.headers.get("Authorization");
    if (this.count < this.attempts || header === undefined) {
      this.count += 1;
      const nonce = randomBytes(16).toString("hex");
      this.nonces.push(nonce);
      const challenge = `Digest realm="ferry@example.org", nonce="${nonce}", qop="${this.qop}", opaque="xyz", algorithm=${this.algorithm}`;
      return new Response(401, { headers: { "www-authenticate": challenge } });
    }
    return new Response(verifyDigest(header, request, "user", "password123") ? 200 : 403, {
      json: { auth: header },
    });
  }
}

function digestFields(header: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of header.slice("Digest ".length).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    fields[match[1] as string] = match[2] ?? match[3] ?? "";
  }
  return fields;
}

function verifyDigest(header: string, request: Request, username: string, password: string): boolean {
  const f = digestFields(header);
  const name = (f["algorithm"] ?? "MD5").toUpperCase().replace(/-SESS$/, "");
  const algorithm = { MD5: "md5", SHA: "sha1", "SHA-256": "sha256", "SHA-512": "sha512" }[name] as string;
  const hash = (text: string) => createHash(algorithm).update(text).digest("hex");
  let ha1 = hash(`${username}:${f["realm"]}:${password}`);
  if (/-SESS$/i.test(f["algorithm"] ?? "")) ha1 = hash(`${ha1}:${f["nonce"]}:${f["cnonce"]}`);
  const ha2 = hash(`${request.method}:${request.url.rawPath}`);
  const expected = hash(`${ha1}:${f["nonce"]}:${f["nc"]}:${f["cnonce"]}:${f["qop"]}:${ha2}`);
  return f["response"] === expected && f["uri"] === request.url.rawPath && f["username"] === username;
}

describe("DigestAuth through the client", () => {
  it.each(["MD5", "MD5-SESS", "SHA", "SHA-SESS", "SHA-256", "SHA-256-SESS", "SHA-512", "SHA-512-SESS"])(
    "answers a %s challenge with a valid digest",
    async (algorithm) => {
      const server = new DigestApp(algorithm);
      const client = new Client({ transport: server.transport });
      const response = await client.get("https://example.org/private?x=1", {
        auth: new DigestAuth("user", "password123"),
      });
      expect(response.statusCode).toBe(200);
      expect(response.history.map((r) => r.statusCode)).toEqual([401]);
      expect(digestFields(response.json<{ auth: string }>().auth)).toMatchObject({
        nc: "00000001",
        qop: "auth",
      });
    },
  );

  it("authenticates later requests up front, counting the nonce", async () => {
    const server = new DigestApp("MD5");
    const auth = new DigestAuth("user", "password123");
    const client = new Client({ transport: server.transport, auth });
    await client.get("https://example.org/a");
    const second = await client.get("https://example.org/b");
    expect(second.statusCode).toBe(200);
    expect(second.history).toHaveLength(0);
    expect(digestFields(second.json<{ auth: string }>().auth)["nc"]).toBe("00000002");
  });

  it("returns a 401 without a Digest challenge as it is", async () => {
    const client = new Client({ transport: app({ status: 401, challenge: 'Basic realm="x"' }) });
    const response = await client.get(URL_, { auth: new DigestAuth("user", "password123") });
    expect(response.statusCode).toBe(401);
    expect(response.history).toHaveLength(0);
  });

  it("returns the second 401 when the credentials are wrong", async () => {
    const server = new DigestApp("MD5", 2);
    const response = await new Client({ transport: server.transport }).get(URL_, {
      auth: new DigestAuth("user", "wrong"),
    });
    expect(response.statusCode).toBe(401);
    expect(response.history).toHaveLength(1);
  });
});

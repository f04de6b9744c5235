/** Behaviours of authentication: Basic, functions, custom flows, Digest and netrc. */
import { createHash, randomBytes } from "node:crypto";
import {
  Auth,
  BasicAuth,
  DigestAuth,
  FunctionAuth,
  NetRCAuth,
  type Request,
  Response,
  runtime,
} from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { expect } from "vitest";
import { type Behaviour, behaviour, chunks } from "./harness.js";

const URL_ = "https://example.org/";
const BASIC = "Basic dXNlcjpwYXNzd29yZDEyMw==";

/** Answers with the Authorization header it got, and optionally a challenge. */
function app(options: { challenge?: string; status?: number } = {}): MockTransport {
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

  override *authFlow(request: Request): Generator<Request, void, Response> {
    request.headers.set("Authorization", "xyz");
    const response = yield request;
    request.headers.set("Authorization", response.text);
    yield request;
  }
}

/** Signs the request body, so it must be read first. */
class BodySigningAuth extends Auth {
  override requiresRequestBody = true;

  override *authFlow(request: Request): Generator<Request, void, Response> {
    request.headers.set("Authorization", `Signed ${new TextDecoder().decode(request.content)}`);
    yield request;
  }
}

/** A Digest server: challenges until `attempts` requests were refused, then checks the response digest. */
function digestApp(algorithm: string, attempts = 1): MockTransport {
  let challenges = 0;
  return new MockTransport((request) => {
    const header = request.headers.get("Authorization");
    if (challenges < attempts || header === undefined) {
      challenges += 1;
      const nonce = randomBytes(16).toString("hex");
      const challenge = `Digest realm="ferry@example.org", nonce="${nonce}", qop="auth", opaque="xyz", algorithm=${algorithm}`;
      return new Response(401, { headers: { "www-authenticate": challenge } });
    }
    return new Response(verifyDigest(header, request) ? 200 : 403, { json: { auth: header } });
  });
}

function digestFields(header: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of header.slice("Digest ".length).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    fields[match[1] as string] = match[2] ?? match[3] ?? "";
  }
  return fields;
}

/** Whether `header` is the digest of user:password123 for `request`. */
function verifyDigest(header: string, request: Request): boolean {
  const f = digestFields(header);
  const name = (f["algorithm"] ?? "MD5").toUpperCase().replace(/-SESS$/, "");
  const algorithm = { MD5: "md5", SHA: "sha1", "SHA-256": "sha256", "SHA-512": "sha512" }[name] as string;
  const hash = (text: string) => createHash(algorithm).update(text).digest("hex");
  let ha1 = hash(`user:${f["realm"]}:password123`);
  if (/-SESS$/i.test(f["algorithm"] ?? "")) ha1 = hash(`${ha1}:${f["nonce"]}:${f["cnonce"]}`);
  const ha2 = hash(`${request.method}:${request.url.rawPath}`);
  const expected = hash(`${ha1}:${f["nonce"]}:${f["nc"]}:${f["cnonce"]}:${f["qop"]}:${ha2}`);
  return f["response"] === expected && f["uri"] === request.url.rawPath && f["username"] === "user";
}

const sources: Behaviour[] = [
  behaviour("sends Basic auth from a tuple", async (h) => {
    const response = await h.client({ transport: app() }).get(URL_, { auth: ["user", "password123"] });
    expect(response.json()).toEqual({ auth: BASIC });
  }),
  behaviour("sends the client's auth, also on a streamed request", async (h) => {
    const client = h.client({ transport: app(), auth: ["user", "password123"] });
    expect((await client.get(URL_)).json()).toEqual({ auth: BASIC });
    const response = await client.stream("GET", URL_);
    await h.read(response);
    expect(response.json()).toEqual({ auth: BASIC });
  }),
  behaviour("sends Basic auth from credentials in the URL", async (h) => {
    const response = await h.client({ transport: app() }).get("https://user:password123@example.org/");
    expect(response.json()).toEqual({ auth: BASIC });
  }),
  behaviour("prefers the request's auth to credentials in the URL", async (h) => {
    const response = await h.client({ transport: app() }).get("https://a:b@example.org/", {
      auth: ["user", "password123"],
    });
    expect(response.json()).toEqual({ auth: BASIC });
  }),
  behaviour("uses a function as auth", async (h) => {
    const auth = (request: Request): Request => {
      request.headers.set("Authorization", "Token 123");
      return request;
    };
    expect((await h.client({ transport: app() }).get(URL_, { auth })).json()).toEqual({ auth: "Token 123" });
  }),
  ...(
    [
      ["BasicAuth", () => new BasicAuth("user", "password123"), BASIC],
      ["FunctionAuth", () => new FunctionAuth((request) => request), null],
      ["Auth", () => new Auth(), null],
    ] as const
  ).map(([name, auth, expected]) =>
    behaviour(`uses a ${name} instance`, async (h) => {
      expect((await h.client({ transport: app() }).get(URL_, { auth: auth() })).json()).toEqual({
        auth: expected,
      });
    }),
  ),
  behaviour("disables the client's auth with auth: null", async (h) => {
    const client = h.client({ transport: app(), auth: new BasicAuth("user", "password123") });
    expect((await client.get(URL_, { auth: null })).json()).toEqual({ auth: null });
  }),
  behaviour("reads and assigns the auth property", async (h) => {
    const client = h.client({ transport: app() });
    expect(client.auth).toBeNull();
    client.auth = ["user", "password123"];
    expect(client.auth).toBeInstanceOf(BasicAuth);
    expect((await client.get(URL_)).json()).toEqual({ auth: BASIC });
    client.auth = null;
    expect(client.auth).toBeNull();
  }),
  behaviour("rejects auth of the wrong type everywhere", async (h) => {
    const bad = "not a tuple, not a function" as never;
    expect(() => h.client({ auth: bad })).toThrow(TypeError);
    const client = h.client({ transport: app() });
    await expect(async () => client.get(URL_, { auth: bad })).rejects.toThrow(TypeError);
    expect(() => {
      client.auth = bad;
    }).toThrow(TypeError);
  }),
];

const flows: Behaviour[] = [
  behaviour("puts the responses an auth flow answered in history", async (h) => {
    const response = await h
      .client({ transport: app({ challenge: "abc" }) })
      .get(URL_, { auth: new RepeatAuth(2) });
    expect(response.json()).toEqual({ auth: "Repeat abc.abc" });
    expect(response.history).toHaveLength(2);
    const [first, second] = response.history;
    expect(first?.json()).toEqual({ auth: "Repeat 0" });
    expect(second?.json()).toEqual({ auth: "Repeat 1" });
    expect(second?.history).toEqual([first]);
    expect(first?.history).toEqual([]);
  }),
  behaviour("reads each response body for a flow that requires it", async (h) => {
    const response = await h.client({ transport: app() }).get(URL_, { auth: new ResponseBodyAuth() });
    expect(response.json()).toEqual({ auth: '{"auth":"xyz"}' });
  }),
  behaviour("reads a streamed request body before a flow that requires it", async (h) => {
    const client = h.client({ transport: app() });
    const response = await client.post(URL_, { content: chunks("pay", "load"), auth: new BodySigningAuth() });
    expect(response.json()).toEqual({ auth: "Signed payload" });
  }),
  behaviour("propagates an error thrown by the flow and closes the response", async (h) => {
    const seen: Response[] = [];
    class FailingAuth extends Auth {
      override *authFlow(request: Request): Generator<Request, void, Response> {
        seen.push(yield request);
        throw new Error("flow failed");
      }
    }
    const client = h.client({ transport: app() });
    await expect(async () => client.get(URL_, { auth: new FailingAuth() })).rejects.toThrow("flow failed");
    expect(seen[0]?.isClosed).toBe(true);
  }),
  behaviour("ends the flow early (running its finally) when sending fails", async (h) => {
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
    const client = h.client({ transport });
    await expect(async () => client.get(URL_, { auth: new CleanupAuth() })).rejects.toThrow("network down");
    expect(finished).toBe(true);
  }),
  behaviour("rejects a flow that yields nothing", async (h) => {
    class EmptyAuth extends Auth {
      override *authFlow(): Generator<Request, void, Response> {}
    }
    const client = h.client({ transport: app() });
    await expect(async () => client.get(URL_, { auth: new EmptyAuth() })).rejects.toThrow(
      /EmptyAuth\.authFlow\(\) ended without yielding a request/,
    );
  }),
];

const digest: Behaviour[] = [
  ...["MD5", "MD5-SESS", "SHA", "SHA-SESS", "SHA-256", "SHA-256-SESS", "SHA-512", "SHA-512-SESS"].map(
    (algorithm) =>
      behaviour(`answers a Digest ${algorithm} challenge with a valid digest`, async (h) => {
        const client = h.client({ transport: digestApp(algorithm) });
        const response = await client.get("https://example.org/private?x=1", {
          auth: new DigestAuth("user", "password123"),
        });
        expect(response.statusCode).toBe(200);
        expect(response.history.map((r) => r.statusCode)).toEqual([401]);
        expect(digestFields(response.json<{ auth: string }>().auth)).toMatchObject({
          nc: "00000001",
          qop: "auth",
        });
      }),
  ),
  behaviour("authenticates later Digest requests up front, counting the nonce", async (h) => {
    const client = h.client({ transport: digestApp("MD5"), auth: new DigestAuth("user", "password123") });
    await client.get("https://example.org/a");
    const second = await client.get("https://example.org/b");
    expect(second.statusCode).toBe(200);
    expect(second.history).toHaveLength(0);
    expect(digestFields(second.json<{ auth: string }>().auth)["nc"]).toBe("00000002");
  }),
  behaviour("returns a 401 without a Digest challenge as it is", async (h) => {
    const client = h.client({ transport: app({ status: 401, challenge: 'Basic realm="x"' }) });
    const response = await client.get(URL_, { auth: new DigestAuth("user", "password123") });
    expect(response.statusCode).toBe(401);
    expect(response.history).toHaveLength(0);
  }),
  behaviour("returns the second 401 when the Digest credentials are wrong", async (h) => {
    const client = h.client({ transport: digestApp("MD5", 2) });
    const response = await client.get(URL_, { auth: new DigestAuth("user", "wrong") });
    expect(response.statusCode).toBe(401);
    expect(response.history).toHaveLength(1);
  }),
];

const NETRC = "machine netrcexample.org\nlogin example-username\npassword example-password\n";

const netrc: Behaviour[] = (
  [
    ["http://netrcexample.org", "Basic ZXhhbXBsZS11c2VybmFtZTpleGFtcGxlLXBhc3N3b3Jk"],
    ["http://example.org", null],
  ] as const
).map(([url, expected]) =>
  behaviour(`authenticates ${url} from the netrc file: ${expected}`, async (h) => {
    const saved = runtime.readTextFile;
    runtime.readTextFile = () => NETRC;
    try {
      const client = h.client({ transport: app(), auth: new NetRCAuth("/fixtures/.netrc") });
      expect((await client.get(url)).json()).toEqual({ auth: expected });
    } finally {
      runtime.readTextFile = saved;
    }
  }),
);

/** Auth behaviours. */
export const authBehaviours: readonly Behaviour[] = [...sources, ...flows, ...digest, ...netrc];

/** Behaviours of authentication: Basic, functions, custom flows, Digest and netrc. */
import { createHash, randomBytes } from "node:crypto";
import { Auth, BasicAuth, DigestAuth, NetRCAuth, type Request, Response, runtime } from "@ferry/core";
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

/** A Digest server: challenges the first request, then checks the digest of the next. */
function digestApp(algorithm: string): MockTransport {
  let challenged = false;
  return new MockTransport((request) => {
    const header = request.headers.get("Authorization");
    if (!challenged || header === undefined) {
      challenged = true;
      const nonce = randomBytes(16).toString("hex");
      const challenge = `Digest realm="ferry@example.org", nonce="${nonce}", qop="auth", opaque="xyz", algorithm=${algorithm}`;
      return new Response(401, { headers: { "www-authenticate": challenge } });
    }
    return new Response(verifyDigest(header, request) ? 200 : 403, { json: { auth: header } });
  });
}

function verifyDigest(header: string, request: Request): boolean {
  const f: Record<string, string> = {};
  for (const match of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    f[match[1] as string] = match[2] ?? match[3] ?? "";
  }
  const name = (f["algorithm"] ?? "MD5").toUpperCase().replace(/-SESS$/, "");
  const algorithm = { MD5: "md5", SHA: "sha1", "SHA-256": "sha256", "SHA-512": "sha512" }[name] as string;
  const hash = (text: string) => createHash(algorithm).update(text).digest("hex");
  let ha1 = hash(`user:${f["realm"]}:password123`);
  if (/-SESS$/i.test(f["algorithm"] ?? "")) ha1 = hash(`${ha1}:${f["nonce"]}:${f["cnonce"]}`);
  const ha2 = hash(`${request.method}:${request.url.rawPath}`);
  return f["response"] === hash(`${ha1}:${f["nonce"]}:${f["nc"]}:${f["cnonce"]}:${f["qop"]}:${ha2}`);
}

/** Auth behaviours. */
export const authBehaviours: readonly Behaviour[] = [
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
  behaviour("uses a function as auth", async (h) => {
    const auth = (request: Request): Request => {
      request.headers.set("Authorization", "Token 123");
      return request;
    };
    expect((await h.client({ transport: app() }).get(URL_, { auth })).json()).toEqual({ auth: "Token 123" });
  }),
  behaviour("disables the client's auth with auth: null", async (h) => {
    const client = h.client({ transport: app(), auth: new BasicAuth("user", "password123") });
    expect((await client.get(URL_, { auth: null })).json()).toEqual({ auth: null });
  }),
  behaviour("uses an assigned auth", async (h) => {
    const client = h.client({ transport: app() });
    client.auth = ["user", "password123"];
    expect((await client.get(URL_)).json()).toEqual({ auth: BASIC });
  }),
  behaviour("puts the responses an auth flow answered in history", async (h) => {
    const response = await h
      .client({ transport: app({ challenge: "abc" }) })
      .get(URL_, { auth: new RepeatAuth(2) });
    expect(response.json()).toEqual({ auth: "Repeat abc.abc" });
    const [first, second] = response.history;
    expect(first?.json()).toEqual({ auth: "Repeat 0" });
    expect(second?.history).toEqual([first]);
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
  ...["MD5", "SHA-256-SESS", "SHA-512"].map((algorithm) =>
    behaviour(`answers a Digest ${algorithm} challenge`, async (h) => {
      const client = h.client({ transport: digestApp(algorithm) });
      const response = await client.get("https://example.org/private?x=1", {
        auth: new DigestAuth("user", "password123"),
      });
      expect(response.statusCode).toBe(200);
      expect(response.history.map((r) => r.statusCode)).toEqual([401]);
    }),
  ),
  behaviour("authenticates from a netrc file", async (h) => {
    const saved = runtime.readTextFile;
    runtime.readTextFile = () => "machine example.org\nlogin user\npassword password123\n";
    try {
      const client = h.client({ transport: app(), auth: new NetRCAuth("/fixtures/.netrc") });
      expect((await client.get(URL_)).json()).toEqual({ auth: BASIC });
    } finally {
      runtime.readTextFile = saved;
    }
  }),
];

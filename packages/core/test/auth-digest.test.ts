import { createHash } from "node:crypto";
import { DigestAuth, type HeaderTypes, ProtocolError, Request, Response } from "@ferry/core";
import { describe, expect, it } from "vitest";

/** A DigestAuth with a fixed client nonce, so responses can be checked against known values. */
class FixedNonceDigestAuth extends DigestAuth {
  constructor(
    username: string,
    password: string,
    private readonly cnonce = "0a4f113b0a4f113b",
  ) {
    super(username, password);
  }

  protected override clientNonce(): string {
    return this.cnonce;
  }
}

const NODE_HASH: Record<string, string> = {
  MD5: "md5",
  SHA: "sha1",
  "SHA-256": "sha256",
  "SHA-512": "sha512",
};

/** The expected `response` field, computed independently with node:crypto. */
function expectedResponse(options: {
  algorithm: string;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  qop: string | null;
  nc: string;
  cnonce: string;
}): string {
  const base = options.algorithm.toUpperCase().replace(/-SESS$/, "");
  const h = (data: string) => createHash(NODE_HASH[base]!).update(data, "utf8").digest("hex");
  let ha1 = h(`${options.username}:${options.realm}:${options.password}`);
  if (options.algorithm.toUpperCase().endsWith("-SESS")) ha1 = h(`${ha1}:${options.nonce}:${options.cnonce}`);
  const ha2 = h(`${options.method}:${options.uri}`);
  return options.qop === null
    ? h(`${ha1}:${options.nonce}:${ha2}`)
    : h(`${ha1}:${options.nonce}:${options.nc}:${options.cnonce}:${options.qop}:${ha2}`);
}

/** Reads the fields of a Digest `Authorization` value, unquoting quoted ones. */
function fields(authorization: string | undefined): Record<string, string> {
  expect(authorization).toMatch(/^Digest /);
  const out: Record<string, string> = {};
  for (const match of authorization!.slice(7).matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    out[match[1]!] = (match[2] ?? match[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return out;
}

function challenge(request: Request, header: string | HeaderTypes, status = 401): Response {
  const headers = typeof header === "string" ? { "WWW-Authenticate": header } : header;
  return new Response(status, { headers, request });
}

/** Starts a flow and checks the first request goes out; returns the flow and that request. */
function start(auth: DigestAuth, url = "https://example.org/dir/index.html?x=1") {
  const request = new Request("GET", url);
  const flow = auth.authFlow(request);
  const first = flow.next();
  expect(first.done).toBe(false);
  return { flow, request };
}

/** Answers the first request of a flow with the given challenge; returns the retried request. */
function answer(auth: DigestAuth, header: string | HeaderTypes, url?: string): Request {
  const { flow, request } = start(auth, url);
  const step = flow.next(challenge(request, header));
  expect(step.done).toBe(false);
  expect(flow.next(new Response(200, { request })).done).toBe(true);
  return step.value as Request;
}

const CHALLENGE = 'Digest realm="api@example.org", qop="auth", nonce="n0nce", opaque="0paque"';

describe("DigestAuth", () => {
  it("sends no credentials first, and stops on a 200", () => {
    const { flow, request } = start(new DigestAuth("user", "pass"));
    expect(request.headers.has("Authorization")).toBe(false);
    expect(flow.next(new Response(200, { request })).done).toBe(true);
  });

  it.each([
    ["a 401 without WWW-Authenticate", {}],
    ["a 401 with only a Basic challenge", { "WWW-Authenticate": 'Basic realm="x"' }],
    ["a 401 with a Bearer challenge", { "WWW-Authenticate": "Bearer" }],
  ])("returns %s as is", (_name, headers) => {
    const { flow, request } = start(new DigestAuth("user", "pass"));
    expect(flow.next(challenge(request, headers)).done).toBe(true);
    expect(request.headers.has("Authorization")).toBe(false);
  });

  it("ignores a Digest challenge on a response that is not a 401", () => {
    const { flow, request } = start(new DigestAuth("user", "pass"));
    expect(flow.next(challenge(request, CHALLENGE, 200)).done).toBe(true);
  });

  it.each([
    "MD5",
    "MD5-SESS",
    "SHA",
    "SHA-SESS",
    "SHA-256",
    "SHA-256-SESS",
    "SHA-512",
    "SHA-512-SESS",
    "md5-sess",
  ])("answers a %s challenge with the expected response", (algorithm) => {
    const auth = new FixedNonceDigestAuth("user", "pässword");
    const retried = answer(auth, `${CHALLENGE}, algorithm=${algorithm}`);
    const response = expectedResponse({
      algorithm,
      username: "user",
      password: "pässword",
      realm: "api@example.org",
      nonce: "n0nce",
      method: "GET",
      uri: "/dir/index.html?x=1",
      qop: "auth",
      nc: "00000001",
      cnonce: "0a4f113b0a4f113b",
    });
    expect(retried.headers.get("Authorization")).toBe(
      `Digest username="user", realm="api@example.org", nonce="n0nce", uri="/dir/index.html?x=1", ` +
        `response="${response}", algorithm=${algorithm}, opaque="0paque", qop=auth, nc=00000001, ` +
        `cnonce="0a4f113b0a4f113b"`,
    );
  });

  it("uses MD5 when the challenge names no algorithm", () => {
    const retried = answer(new DigestAuth("user", "pass"), CHALLENGE);
    const sent = fields(retried.headers.get("Authorization"));
    expect(sent["algorithm"]).toBe("MD5");
    expect(sent["response"]).toBe(
      expectedResponse({
        algorithm: "MD5",
        username: "user",
        password: "pass",
        realm: "api@example.org",
        nonce: "n0nce",
        method: "GET",
        uri: "/dir/index.html?x=1",
        qop: "auth",
        nc: "00000001",
        cnonce: sent["cnonce"]!,
      }),
    );
  });

  it("makes a 16 hex digit client nonce, different each time", () => {
    const auth = new DigestAuth("user", "pass");
    const first = fields(answer(auth, CHALLENGE).headers.get("Authorization"))["cnonce"];
    const second = fields(start(auth).request.headers.get("Authorization"))["cnonce"];
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(second).toMatch(/^[0-9a-f]{16}$/);
    expect(first).not.toBe(second);
  });

  it("matches the RFC 2069 example when the server offers no qop", () => {
    const retried = answer(
      new DigestAuth("Mufasa", "CircleOfLife"),
      'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
      "https://www.example.com/dir/index.html",
    );
    const sent = fields(retried.headers.get("Authorization"));
    expect(sent["response"]).toBe("1949323746fe6a43ef61f9606e7febea");
    expect(Object.keys(sent)).toEqual([
      "username",
      "realm",
      "nonce",
      "uri",
      "response",
      "algorithm",
      "opaque",
    ]);
  });

  it.each([
    ["MD5", "8ca523f5e9506fed4657c9700eebdbec"],
    ["SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"],
  ])("matches the RFC 7616 %s example", (algorithm, expected) => {
    const auth = new FixedNonceDigestAuth(
      "Mufasa",
      "Circle of Life",
      "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    );
    const retried = answer(
      auth,
      `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
      "https://www.example.com/dir/index.html",
    );
    expect(fields(retried.headers.get("Authorization"))).toMatchObject({
      username: "Mufasa",
      uri: "/dir/index.html",
      qop: "auth",
      nc: "00000001",
      response: expected,
    });
  });

  it("authenticates later requests up front, counting nc up for the same nonce", () => {
    const auth = new DigestAuth("user", "pass");
    expect(fields(answer(auth, CHALLENGE).headers.get("Authorization"))["nc"]).toBe("00000001");
    for (const nc of ["00000002", "00000003"]) {
      const { flow, request } = start(auth);
      expect(fields(request.headers.get("Authorization"))).toMatchObject({ nonce: "n0nce", nc });
      expect(flow.next(new Response(200, { request })).done).toBe(true);
    }
  });

  it("answers a stale challenge on a pre-authenticated request once, restarting nc", () => {
    const auth = new DigestAuth("user", "pass");
    answer(auth, CHALLENGE);
    const { flow, request } = start(auth);
    expect(fields(request.headers.get("Authorization"))["nc"]).toBe("00000002");
    const step = flow.next(challenge(request, `${CHALLENGE}, stale=TRUE`));
    expect(step.done).toBe(false);
    expect(fields(request.headers.get("Authorization"))).toMatchObject({ nonce: "n0nce", nc: "00000001" });
    expect(flow.next(challenge(request, `${CHALLENGE}, stale=true`)).done).toBe(true);
  });

  it("answers a new nonce on a pre-authenticated request", () => {
    const auth = new DigestAuth("user", "pass");
    answer(auth, CHALLENGE);
    const retried = answer(auth, CHALLENGE.replace("n0nce", "other"));
    expect(fields(retried.headers.get("Authorization"))).toMatchObject({ nonce: "other", nc: "00000001" });
  });

  it("returns the 401 when the remembered nonce is refused without being stale", () => {
    const auth = new DigestAuth("user", "wrong");
    answer(auth, CHALLENGE);
    const { flow, request } = start(auth);
    expect(flow.next(challenge(request, CHALLENGE)).done).toBe(true);
  });

  it("answers a 401 only once within one flow", () => {
    const { flow, request } = start(new DigestAuth("user", "wrong"));
    expect(flow.next(challenge(request, CHALLENGE)).done).toBe(false);
    expect(flow.next(challenge(request, CHALLENGE.replace("n0nce", "again"))).done).toBe(true);
  });

  it.each(["auth", "auth, auth-int", "auth,auth-int", "unknown,auth", "AUTH"])(
    'chooses "auth" from qop="%s"',
    (qop) => {
      const retried = answer(new DigestAuth("user", "pass"), `Digest realm="r", nonce="n", qop="${qop}"`);
      expect(fields(retried.headers.get("Authorization"))["qop"]).toBe("auth");
    },
  );

  it("raises a clear ProtocolError when the server only offers qop auth-int", () => {
    const { flow, request } = start(new DigestAuth("user", "pass"));
    const send = () => flow.next(challenge(request, 'Digest realm="r", nonce="n", qop="auth-int"'));
    expect(send).toThrow(ProtocolError);
  });

  it("names auth-int as unsupported in the error", () => {
    const { flow, request } = start(new DigestAuth("user", "pass"));
    expect(() => flow.next(challenge(request, 'Digest realm="r", nonce="n", qop="auth-int"'))).toThrow(
      /qop "auth-int" is not supported/,
    );
  });

  it.each([
    ['Digest realm="r", nonce="n", qop="not-auth"', /Unexpected Digest qop value "not-auth"/],
    ['Digest realm="httpx@example.org", qop="auth"', /Malformed Digest WWW-Authenticate header: .*"nonce"/],
    ['Digest nonce="n"', /Malformed Digest WWW-Authenticate header: .*"realm"/],
    ['Digest realm="httpx@example.org", qop="auth,au', /Malformed .*unterminated quoted string for "qop"/],
    ['Digest realm="r" nonce="n"', /Malformed Digest WWW-Authenticate header: unexpected "n"/],
    ['Digest realm="r", nonce="n", algorithm=SHA-512-256', /Digest algorithm "SHA-512-256" is not supported/],
  ])("raises a ProtocolError for %s", (header, message) => {
    const { flow, request } = start(new DigestAuth("user", "pass"));
    let error: unknown;
    try {
      flow.next(challenge(request, header));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toMatch(message);
    expect((error as ProtocolError).request).toBe(request);
  });

  it.each([
    ["a lower-case scheme", 'digest realm="r", nonce="n"'],
    ["an upper-case scheme", 'DIGEST realm="r", nonce="n"'],
    [
      "a Digest challenge after a Basic one in the same header",
      'Basic realm="b", Digest realm="r", nonce="n"',
    ],
    [
      "a Digest challenge before a token68 one",
      'Digest realm="r", nonce="n", Negotiate abc==, Basic realm="b"',
    ],
  ])("finds %s", (_name, header) => {
    const retried = answer(new DigestAuth("user", "pass"), header);
    expect(fields(retried.headers.get("Authorization"))).toMatchObject({ realm: "r", nonce: "n" });
  });

  it("finds the Digest challenge among several WWW-Authenticate headers", () => {
    const headers: [string, string][] = [
      ["WWW-Authenticate", 'Basic realm="b"'],
      ["WWW-Authenticate", 'Digest realm="r", nonce="n"'],
    ];
    const retried = answer(new DigestAuth("user", "pass"), headers);
    expect(fields(retried.headers.get("Authorization"))).toMatchObject({ realm: "r", nonce: "n" });
  });

  it("prefers a Digest challenge whose algorithm it supports", () => {
    const header =
      'Digest realm="r", nonce="a", algorithm=SHA-512-256, Digest realm="r", nonce="b", algorithm=SHA-256';
    const retried = answer(new DigestAuth("user", "pass"), header);
    expect(fields(retried.headers.get("Authorization"))).toMatchObject({ nonce: "b", algorithm: "SHA-256" });
  });

  it("quotes every field but algorithm, qop and nc, escaping quotes in values", () => {
    const retried = answer(
      new FixedNonceDigestAuth('us"er', "pass"),
      'Digest realm="a \\"b\\"", nonce="n", qop=auth',
    );
    const header = retried.headers.get("Authorization")!;
    expect(header).toMatch(
      /^Digest username="us\\"er", realm="a \\"b\\"", nonce="n", uri="[^"]+", response="[0-9a-f]{32}", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b0a4f113b"$/,
    );
  });

  it("sends the cookies the 401 set with the retried request", () => {
    const auth = new DigestAuth("user", "pass");
    const request = new Request("GET", "https://www.example.com/auth");
    const flow = auth.authFlow(request);
    flow.next();
    const unauthorized = new Response(401, {
      headers: [
        ["WWW-Authenticate", CHALLENGE],
        ["Set-Cookie", "session=.session_value...; Path=/"],
      ],
      request,
    });
    const retried = flow.next(unauthorized).value as Request;
    expect(retried.headers.get("Cookie")).toBe("session=.session_value...");
    expect(retried.headers.get("Authorization")).toMatch(/^Digest /);
  });

  it("keeps the request's own cookies, letting the 401 replace those it sets", () => {
    const request = new Request("GET", "https://www.example.com/auth", {
      headers: { Cookie: "theme=dark; session=old" },
    });
    const flow = new DigestAuth("user", "pass").authFlow(request);
    flow.next();
    const headers: [string, string][] = [
      ["WWW-Authenticate", CHALLENGE],
      ["Set-Cookie", "session=new; Path=/"],
    ];
    flow.next(new Response(401, { headers, request }));
    expect(request.headers.get("Cookie")).toBe("theme=dark; session=new");
  });
});

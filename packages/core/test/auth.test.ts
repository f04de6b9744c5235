import {
  Auth,
  type AuthFlow,
  BasicAuth,
  buildAuth,
  DigestAuth,
  FunctionAuth,
  Request,
  Response,
} from "@ferry/core";
import { describe, expect, it } from "vitest";

/** Runs a flow against a fixed list of responses; returns every request it yielded. */
async function drive(flow: AuthFlow, responses: Response[]): Promise<Request[]> {
  const sent: Request[] = [];
  let step = await flow.next();
  while (!step.done) {
    sent.push(step.value);
    const response = responses.shift() ?? new Response(200, { request: step.value });
    step = await flow.next(response);
  }
  return sent;
}

describe("Auth", () => {
  it("sends the request unchanged by default, once", async () => {
    const request = new Request("GET", "https://example.org/");
    const sent = await drive(new Auth().authFlow(request), [new Response(401, { request })]);
    expect(sent).toEqual([request]);
    expect(request.headers.has("Authorization")).toBe(false);
  });

  it("does not ask for bodies to be read by default", () => {
    const auth = new Auth();
    expect([auth.requiresRequestBody, auth.requiresResponseBody]).toEqual([false, false]);
  });

  it("supports a custom async flow that retries on 401 with a fresh token", async () => {
    class TokenAuth extends Auth {
      tokens = ["old", "new"];
      override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
        request.headers.set("Authorization", `Bearer ${this.tokens.shift()}`);
        const response = yield request;
        if (response.statusCode === 401) {
          request.headers.set("Authorization", `Bearer ${await Promise.resolve(this.tokens.shift())}`);
          yield request;
        }
      }
    }
    const request = new Request("GET", "https://example.org/");
    const seen: string[] = [];
    const flow = new TokenAuth().authFlow(request);
    let step = await flow.next();
    for (const status of [401, 200]) {
      if (step.done) break;
      seen.push(step.value.headers.get("Authorization") ?? "");
      step = await flow.next(new Response(status, { request }));
    }
    expect(seen).toEqual(["Bearer old", "Bearer new"]);
    expect(step.done).toBe(true);
  });
});

describe("BasicAuth", () => {
  it.each([
    ["user", "pass", "Basic dXNlcjpwYXNz"],
    ["", "", "Basic Og=="],
    ["tomás", "contraseña", `Basic ${Buffer.from("tomás:contraseña", "utf8").toString("base64")}`],
    ["a:b", "🔑", `Basic ${Buffer.from("a:b:🔑", "utf8").toString("base64")}`],
  ])("sends Authorization for %j / %j as base64 of UTF-8", async (username, password, expected) => {
    const request = new Request("GET", "https://example.org/");
    const sent = await drive(new BasicAuth(username, password).authFlow(request), []);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers.get("Authorization")).toBe(expected);
  });

  it("sends a single request even when the server answers 401", async () => {
    const request = new Request("GET", "https://example.org/");
    const flow = new BasicAuth("user", "pass").authFlow(request);
    expect(flow.next().done).toBe(false);
    expect(flow.next(new Response(401, { request })).done).toBe(true);
  });

  it("replaces an Authorization header already on the request", async () => {
    const request = new Request("GET", "https://example.org/", { headers: { Authorization: "Bearer x" } });
    await drive(new BasicAuth("user", "pass").authFlow(request), []);
    expect(request.headers.getList("Authorization")).toEqual(["Basic dXNlcjpwYXNz"]);
  });

  it("rejects credentials that are not strings", () => {
    expect(() => new BasicAuth(1 as unknown as string, "x")).toThrow(/username must be a string, got number/);
  });
});

describe("FunctionAuth", () => {
  it("yields what the function returns", async () => {
    const request = new Request("GET", "https://example.org/");
    const replacement = new Request("GET", "https://example.org/other");
    const calls: Request[] = [];
    const auth = new FunctionAuth((given) => {
      calls.push(given);
      return replacement;
    });
    expect(await drive(auth.authFlow(request), [])).toEqual([replacement]);
    expect(calls).toEqual([request]);
  });

  it("rejects a value that is not a function", () => {
    expect(() => new FunctionAuth("nope" as never)).toThrow(TypeError);
  });
});

describe("buildAuth", () => {
  it("turns a [username, password] tuple into BasicAuth", async () => {
    const auth = buildAuth(["user", "pass"]);
    expect(auth).toBeInstanceOf(BasicAuth);
    const request = new Request("GET", "https://example.org/");
    await drive(auth!.authFlow(request), []);
    expect(request.headers.get("Authorization")).toBe("Basic dXNlcjpwYXNz");
  });

  it("turns a function into FunctionAuth", async () => {
    const auth = buildAuth((request) => {
      request.headers.set("X-Signed", "yes");
      return request;
    });
    expect(auth).toBeInstanceOf(FunctionAuth);
    const request = new Request("GET", "https://example.org/");
    await drive(auth!.authFlow(request), []);
    expect(request.headers.get("X-Signed")).toBe("yes");
  });

  it.each([new BasicAuth("u", "p"), new DigestAuth("u", "p"), new Auth()])(
    "returns an Auth as is",
    (auth) => {
      expect(buildAuth(auth)).toBe(auth);
    },
  );

  it.each([null, undefined])("returns null for %s", (value) => {
    expect(buildAuth(value)).toBeNull();
  });

  it.each([
    [["user"], /two strings, got \[string\]/],
    [["user", "pass", "extra"], /two strings, got \[string, string, string\]/],
    [["user", 42], /two strings, got \[string, number\]/],
    [[null, "pass"], /two strings, got \[null, string\]/],
  ])("rejects the tuple %j", (value, message) => {
    expect(() => buildAuth(value as never)).toThrow(TypeError);
    expect(() => buildAuth(value as never)).toThrow(message);
  });

  it.each([
    ["user:pass", /"auth" argument.*got string/],
    [42, /"auth" argument.*got number/],
    [{ username: "u" }, /"auth" argument.*got Object/],
    [Object.create(null), /"auth" argument.*got object/],
  ])("rejects %j naming auth and the value's type", (value, message) => {
    expect(() => buildAuth(value as never)).toThrow(TypeError);
    expect(() => buildAuth(value as never)).toThrow(message);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseChallenges } from "../src/auth/challenge.js";

function simple(values: string[]) {
  return parseChallenges(values).map(({ scheme, params, token68, error }) => ({
    scheme,
    params: Object.fromEntries(params),
    token68,
    error,
  }));
}

const ok = { token68: null, error: null };

describe("parseChallenges", () => {
  it.each([
    [
      "a Digest challenge",
      ['Digest realm="r", nonce="n", qop="auth,auth-int"'],
      [{ scheme: "digest", params: { realm: "r", nonce: "n", qop: "auth,auth-int" }, ...ok }],
    ],
    [
      "unquoted values and no spaces after commas",
      ["Digest realm=r,nonce=n,algorithm=MD5-sess"],
      [{ scheme: "digest", params: { realm: "r", nonce: "n", algorithm: "MD5-sess" }, ...ok }],
    ],
    [
      "case-insensitive schemes and parameter names",
      ['DiGeSt REALM="R"'],
      [{ scheme: "digest", params: { realm: "R" }, ...ok }],
    ],
    [
      "escaped characters in quoted strings",
      ['Digest realm="a \\"quoted\\" \\\\ realm, with comma"'],
      [{ scheme: "digest", params: { realm: 'a "quoted" \\ realm, with comma' }, ...ok }],
    ],
    [
      "several challenges in one header (RFC 9110's example)",
      ['Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"'],
      [
        { scheme: "newauth", params: { realm: "apps", type: "1", title: 'Login to "apps"' }, ...ok },
        { scheme: "basic", params: { realm: "simple" }, ...ok },
      ],
    ],
    [
      "token68 challenges and bare schemes",
      ["Negotiate abc+/==, Bearer, Basic realm=x"],
      [
        { scheme: "negotiate", params: {}, token68: "abc+/==", error: null },
        { scheme: "bearer", params: {}, ...ok },
        { scheme: "basic", params: { realm: "x" }, ...ok },
      ],
    ],
    [
      "several header values",
      ['Basic realm="b"', 'Digest realm="d", nonce="n"'],
      [
        { scheme: "basic", params: { realm: "b" }, ...ok },
        { scheme: "digest", params: { realm: "d", nonce: "n" }, ...ok },
      ],
    ],
    [
      "spaces around = and extra commas",
      [' ,Digest realm = "r" ,, nonce= n , '],
      [{ scheme: "digest", params: { realm: "r", nonce: "n" }, ...ok }],
    ],
    [
      "an unterminated quoted string",
      ['Digest realm="r", qop="auth,au'],
      [
        {
          scheme: "digest",
          params: { realm: "r" },
          token68: null,
          error: 'unterminated quoted string for "qop"',
        },
      ],
    ],
    [
      "a missing comma between parameters",
      ['Digest realm="r" nonce="n"'],
      [{ scheme: "digest", params: {}, token68: null, error: 'unexpected "n" after "realm" at position 17' }],
    ],
    [
      "a stray character",
      ["@"],
      [{ scheme: "", params: {}, token68: null, error: 'unexpected "@" at position 0' }],
    ],
    ["an empty header", [""], []],
  ])("reads %s", (_name, values, expected) => {
    expect(simple(values)).toEqual(expected);
  });

  it("reads back any parameters it is given, quoted", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const value = fc.string({ unit: fc.constantFrom(..."ab ,=\\\"'\t;x9é") });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, value), { selector: ([key]) => key, maxLength: 6 }),
        (params) => {
          const quoted = params.map(([key, text]) => `${key}="${text.replace(/[\\"]/g, "\\$&")}"`).join(", ");
          const [challenge, ...rest] = parseChallenges([`Digest ${quoted}`]);
          expect(rest).toEqual([]);
          expect(challenge?.error).toBeNull();
          expect([...(challenge?.params ?? [])]).toEqual(params);
        },
      ),
    );
  });
});

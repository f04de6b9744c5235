import { InvalidURL, QueryParams, URL } from "@ferry/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// Any UTF-16 code unit, lone surrogates included.
const anyString = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
});
const urlAlphabet = fc.constantFrom(
  ..."abcXYZ019:/?#[]@!$&'()*+,;=%-._~ \"<>`{}|\\^éß中😇\u200d\u0000\t".split(""),
);
const urlishString = fc.string({ unit: urlAlphabet, maxLength: 40 });

const urlShaped = fc
  .tuple(
    fc.constantFrom("", "http:", "https:", "HTTP:", "ftp:", "x+y.z:", "1a:"),
    fc.constantFrom("", "//"),
    fc.constantFrom("", "user@", "us er:p@ss@", "%41:%zz@"),
    fc.constantFrom(
      "",
      "example.com",
      "EXAMPLE.com",
      "müller.de",
      "xn--mller-kva.de",
      "[::1]",
      "[2001:db8::1]",
      "1.2.3.4",
      "中国.icom.museum",
    ),
    fc.constantFrom("", ":", ":80", ":443", ":8080", ":0"),
    urlishString,
    fc.option(urlishString, { nil: undefined }),
    fc.option(urlishString, { nil: undefined }),
  )
  .map(
    ([scheme, slashes, userinfo, host, port, path, query, fragment]) =>
      scheme +
      slashes +
      (slashes ? userinfo + host + port : "") +
      path +
      (query === undefined ? "" : "?" + query) +
      (fragment === undefined ? "" : "#" + fragment),
  );

const inputs = fc.oneof(anyString, fc.string({ unit: "binary" }), urlishString, urlShaped);

function tryParse(input: string): URL | undefined {
  try {
    return new URL(input);
  } catch (error) {
    if (!(error instanceof InvalidURL)) throw error;
    return undefined;
  }
}

describe("URL properties", () => {
  it("either parses a string or throws InvalidURL", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        tryParse(input);
      }),
      { numRuns: 3000 },
    );
  });

  it("re-parses its own serialisation to an equal URL", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const url = tryParse(input);
        if (url === undefined) return;
        const again = new URL(url.toString());
        expect(again.toString()).toBe(url.toString());
        expect(again.equals(url)).toBe(true);
        expect([again.host, again.port, again.path, again.query, again.fragment]).toEqual([
          url.host,
          url.port,
          url.path,
          url.query,
          url.fragment,
        ]);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads back the params it encoded in its query", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }))),
        (pairs) => {
          const url = new URL("https://example.com/", { params: pairs });
          expect(url.params.equals(new QueryParams(pairs))).toBe(true);
        },
      ),
    );
  });
});

describe("QueryParams properties", () => {
  it("round-trips key/value pairs through toString and parsing", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }))),
        (pairs) => {
          const params = new QueryParams(pairs);
          const parsed = new QueryParams(params.toString());
          expect(parsed.equals(params)).toBe(true);
          expect(parsed.toString()).toBe(params.toString());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("groups pairs by key, keeping each key's values in order", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.string())), (pairs) => {
        const params = new QueryParams(pairs);
        for (const key of params.keys()) {
          expect(params.getList(key)).toEqual(pairs.filter(([k]) => k === key).map(([, v]) => v));
        }
      }),
    );
  });
});

import { Headers, LocalProtocolError } from "@ferry/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const tokenChar = fc.constantFrom(
  ..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
);
const validName = fc.string({ unit: tokenChar, minLength: 1, maxLength: 20 });
const validValue = fc.string({ maxLength: 40 }).filter((value) => !/[\r\n\0]/.test(value));
const anyName = fc.oneof(
  validName,
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
);
const anyValue = fc.oneof(validValue, fc.string({ maxLength: 20 }), fc.constantFrom("a\r\nb", "\0", "\n"));

describe("Headers properties", () => {
  it("either builds from any string pairs or refuses them with LocalProtocolError", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyName, anyValue), { maxLength: 8 }), (pairs) => {
        try {
          new Headers(pairs);
        } catch (error) {
          expect(error).toBeInstanceOf(LocalProtocolError);
        }
      }),
    );
  });

  it("round-trips valid headers through raw", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(validName, validValue), { maxLength: 8 }), (pairs) => {
        const headers = new Headers(pairs);
        const rebuilt = new Headers(headers.raw);
        expect(rebuilt.equals(headers)).toBe(true);
        expect(rebuilt.raw).toEqual(pairs);
      }),
    );
  });

  it("get joins exactly the values getList returns", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(validName, validValue), { minLength: 1, maxLength: 8 }), (pairs) => {
        const headers = new Headers(pairs);
        for (const [name] of pairs)
          expect(headers.get(name)).toBe(headers.getList(name.toUpperCase()).join(", "));
      }),
    );
  });
});

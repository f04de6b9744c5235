import { codes } from "@ferry/core";
import { describe, expect, it } from "vitest";

describe("codes", () => {
  it.each([
    ["CONTINUE", 100, "Continue"],
    ["EARLY_HINTS", 103, "Early Hints"],
    ["OK", 200, "OK"],
    ["NON_AUTHORITATIVE_INFORMATION", 203, "Non-Authoritative Information"],
    ["IM_USED", 226, "IM Used"],
    ["MOVED_PERMANENTLY", 301, "Moved Permanently"],
    ["PERMANENT_REDIRECT", 308, "Permanent Redirect"],
    ["NOT_FOUND", 404, "Not Found"],
    ["REQUEST_URI_TOO_LONG", 414, "Request-URI Too Long"],
    ["IM_A_TEAPOT", 418, "I'm a teapot"],
    ["TOO_EARLY", 425, "Too Early"],
    ["UNAVAILABLE_FOR_LEGAL_REASONS", 451, "Unavailable For Legal Reasons"],
    ["INTERNAL_SERVER_ERROR", 500, "Internal Server Error"],
    ["NETWORK_AUTHENTICATION_REQUIRED", 511, "Network Authentication Required"],
  ] as const)("names %s as %i with the phrase %j", (name, code, phrase) => {
    expect(codes[name]).toBe(code);
    expect(codes.getReasonPhrase(code)).toBe(phrase);
  });

  it("knows every code httpx names", () => {
    const numeric = Object.values(codes).filter((value) => typeof value === "number");
    expect(numeric).toHaveLength(62);
    for (const code of numeric) expect(codes.getReasonPhrase(code)).not.toBe("");
  });

  it.each([0, 99, 299, 419, 600, 1000])("gives an empty phrase for the unknown code %i", (code) => {
    expect(codes.getReasonPhrase(code)).toBe("");
  });

  it.each([
    [100, "isInformational"],
    [199, "isInformational"],
    [200, "isSuccess"],
    [299, "isSuccess"],
    [300, "isRedirect"],
    [399, "isRedirect"],
    [400, "isClientError"],
    [499, "isClientError"],
    [500, "isServerError"],
    [599, "isServerError"],
  ] as const)("classes %i as %s only", (code, predicate) => {
    const checks = ["isInformational", "isSuccess", "isRedirect", "isClientError", "isServerError"] as const;
    for (const check of checks) expect(codes[check](code)).toBe(check === predicate);
    expect(codes.isError(code)).toBe(code >= 400);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(codes)).toBe(true);
  });
});

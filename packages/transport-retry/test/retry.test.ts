import { ConnectError, Headers, LocalProtocolError, ReadTimeout, RemoteProtocolError } from "@ferry/core";
import { Retry, type RetryOptions } from "@ferry/transport-retry";
import { describe, expect, it } from "vitest";

describe("Retry", () => {
  it("defaults to httpx-retries' policy", () => {
    const retry = new Retry();
    expect(retry.total).toBe(10);
    expect(retry.backoffFactor).toBe(0);
    expect(retry.backoffJitter).toBe(1);
    expect(retry.maxBackoffWait).toBe(120_000);
    expect([...retry.statusForcelist]).toEqual([429, 502, 503, 504]);
    expect([...retry.allowedMethods]).toEqual(["HEAD", "GET", "PUT", "DELETE", "OPTIONS", "TRACE"]);
    expect(retry.respectRetryAfterHeader).toBe(true);
    expect(Object.isFrozen(retry)).toBe(true);
  });

  it.each([
    ["GET", true],
    ["get", true],
    ["PUT", true],
    ["DELETE", true],
    ["POST", false],
    ["PATCH", false],
  ])("retries %s by default: %s", (method, expected) => {
    expect(new Retry().isRetryableMethod(method)).toBe(expected);
  });

  it.each([
    [new ReadTimeout("slow"), true],
    [new ConnectError("refused"), true],
    [new RemoteProtocolError("garbled"), true],
    [new LocalProtocolError("bad header"), false],
    [new TypeError("bug"), false],
  ])("retries %s by default: %s", (error, expected) => {
    expect(new Retry().isRetryableError(error)).toBe(expected);
  });

  it("retries the error classes it is given", () => {
    const retry = new Retry({ retryOnExceptions: [LocalProtocolError] });
    expect(retry.isRetryableError(new LocalProtocolError("x"))).toBe(true);
    expect(retry.isRetryableError(new ReadTimeout("x"))).toBe(false);
  });

  it.each([
    [{ total: -1 }, RangeError, "'total' must be an integer ≥ 0, got -1"],
    [{ total: 1.5 }, RangeError, "'total'"],
    [{ total: "3" }, TypeError, "'total' must be a number, got \"3\""],
    [{ backoffFactor: -5 }, RangeError, "'backoffFactor'"],
    [{ backoffJitter: 2 }, RangeError, "'backoffJitter' must be in [0, 1], got 2"],
    [{ maxBackoffWait: 0 }, RangeError, "'maxBackoffWait'"],
    [{ statusForcelist: [42] }, RangeError, "'statusForcelist'"],
    [
      { allowedMethods: "GET" as unknown as string[] },
      TypeError,
      "'allowedMethods' must be a list, got \"GET\"",
    ],
    [{ retryOnExceptions: ["ReadTimeout"] }, TypeError, "'retryOnExceptions'"],
    [{ respectRetryAfterHeader: "yes" }, TypeError, "'respectRetryAfterHeader'"],
    [{ retries: 3 }, TypeError, "Retry has no option 'retries'"],
  ])("rejects %j", (options, type, message) => {
    expect(() => new Retry(options as RetryOptions)).toThrow(type);
    expect(() => new Retry(options as RetryOptions)).toThrow(message);
  });

  it("backs off exponentially from the factor, capped by maxBackoffWait", () => {
    const retry = new Retry({ backoffFactor: 100, backoffJitter: 0, maxBackoffWait: 1000 });
    expect([1, 2, 3, 4, 5].map((n) => retry.backoff(n))).toEqual([200, 400, 800, 1000, 1000]);
    expect(new Retry().backoff(3)).toBe(0);
  });

  it("takes jitter off the full wait", () => {
    const retry = new Retry({ backoffFactor: 100, backoffJitter: 0.5 });
    expect(retry.backoff(1, () => 0)).toBe(200);
    expect(retry.backoff(1, () => 1)).toBe(100);
    const full = new Retry({ backoffFactor: 100 });
    expect(full.backoff(1, () => 0.99)).toBeCloseTo(2);
  });

  it.each([
    ["120", 120_000],
    [" 0 ", 0],
    ["Wed, 21 Oct 2015 07:28:10 GMT", 10_000],
    ["Wed, 21 Oct 2015 07:27:00 GMT", 0],
    ["soon", null],
    ["-5", null],
    ["1.5", null],
  ])("reads Retry-After %j as %j ms", (value, expected) => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(new Retry().parseRetryAfter(value, now)).toBe(expected);
  });

  it("waits as long as Retry-After asks, capped, unless told not to", () => {
    const headers = new Headers({ "retry-after": "3" });
    expect(new Retry({ backoffFactor: 10, backoffJitter: 0 }).delay(1, headers)).toBe(3000);
    expect(new Retry({ maxBackoffWait: 500 }).delay(1, headers)).toBe(500);
    const ignoring = new Retry({ backoffFactor: 10, backoffJitter: 0, respectRetryAfterHeader: false });
    expect(ignoring.delay(1, headers)).toBe(20);
    expect(
      new Retry({ backoffFactor: 10, backoffJitter: 0 }).delay(2, new Headers({ "retry-after": "x" })),
    ).toBe(40);
  });
});

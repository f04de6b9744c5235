import {
  ConnectTimeout,
  HTTPError,
  InvalidURL,
  NetworkError,
  ReadError,
  RequestError,
  StreamConsumed,
  StreamError,
  TimeoutException,
  TransportError,
} from "@ferry/core";
import { describe, expect, it } from "vitest";

describe("errors", () => {
  it.each([
    [ConnectTimeout, [TimeoutException, TransportError, RequestError, HTTPError, Error]],
    [ReadError, [NetworkError, TransportError, RequestError, HTTPError, Error]],
    [StreamConsumed, [StreamError, Error]],
  ] as const)("%o keeps instanceof across the hierarchy", (ErrorClass, ancestors) => {
    const error = new ErrorClass("boom");
    for (const ancestor of ancestors) expect(error).toBeInstanceOf(ancestor);
    expect(error.name).toBe(ErrorClass.name);
  });

  it("keeps the cause given", () => {
    const cause = new Error("socket hang up");
    expect(new ReadError("read failed", { cause }).cause).toBe(cause);
  });

  it("throws a clear error when .request is read on an error raised without one", () => {
    expect(() => new ConnectTimeout("slow").request).toThrow(/\.request property has not been set/);
  });

  it("InvalidURL is not a request error", () => {
    expect(new InvalidURL("bad")).not.toBeInstanceOf(HTTPError);
  });
});

import { QueryParams } from "@ferry/core";
import { describe, expect, it } from "vitest";
import { type Echo, echoClient } from "./helpers.js";

describe("client params", () => {
  it.each([
    ["a record", { a: "b" }],
    ["a string", "a=b"],
    ["pairs", [["a", "b"]] as const],
    ["a QueryParams", new QueryParams("a=b")],
  ])("reads %s", (_, params) => {
    const client = echoClient({ params });
    expect(client.params).toBeInstanceOf(QueryParams);
    expect(client.params.get("a")).toBe("b");
  });

  it("normalises an assigned value", () => {
    const client = echoClient();
    client.params = "a=b";
    expect(client.params).toBeInstanceOf(QueryParams);
    expect(client.params.get("a")).toBe("b");
  });

  it.each([
    ["client and request params", "first=str", { second: "dict" }, "/echo", "?first=str&second=dict"],
    ["request keys replacing the client's", { a: ["1", "2"], b: "3" }, { a: "x" }, "/echo", "?a=x&b=3"],
    ["the URL's own query first", { y: 2 }, undefined, "/echo?x=1", "?x=1&y=2"],
    ["params replacing the URL's keys", undefined, { x: 2 }, "/echo?x=1&z=3", "?x=2&z=3"],
    ["no query when there is none", undefined, undefined, "/echo", ""],
    [
      "primitives as httpx writes them",
      undefined,
      { t: true, f: false, n: null, i: 1.5 },
      "/echo",
      "?t=true&f=false&n=&i=1.5",
    ],
  ])("merges %s", async (_, clientParams, requestParams, path, query) => {
    const client = echoClient(clientParams === undefined ? {} : { params: clientParams });
    const response = await client.get(
      `http://example.org${path}`,
      requestParams === undefined ? {} : { params: requestParams },
    );
    expect(response.json<Echo>().url).toBe(`http://example.org/echo${query}`);
  });
});

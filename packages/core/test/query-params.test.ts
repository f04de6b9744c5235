import { QueryParams, type QueryParamTypes } from "@ferry/core";
import { describe, expect, it } from "vitest";

describe("QueryParams", () => {
  it.each<[string, QueryParamTypes]>([
    ["a query string", "a=123&a=456&b=789"],
    ["a record of lists", { a: ["123", "456"], b: 789 }],
    [
      "a list of pairs",
      [
        ["a", "123"],
        ["a", "456"],
        ["b", "789"],
      ],
    ],
    ["another QueryParams", new QueryParams("a=123&a=456&b=789")],
  ])("reads the same multi-dict from %s", (_, source) => {
    const params = new QueryParams(source);
    expect(params.has("a")).toBe(true);
    expect(params.has("A")).toBe(false);
    expect(params.has("c")).toBe(false);
    expect(params.get("a")).toBe("123");
    expect(params.get("nope")).toBeUndefined();
    expect(params.getList("a")).toEqual(["123", "456"]);
    expect(params.getList("nope")).toEqual([]);
    expect(params.keys()).toEqual(["a", "b"]);
    expect(params.values()).toEqual(["123", "789"]);
    expect(params.items()).toEqual([
      ["a", "123"],
      ["b", "789"],
    ]);
    expect(params.multiItems()).toEqual([
      ["a", "123"],
      ["a", "456"],
      ["b", "789"],
    ]);
    expect([...params]).toEqual(params.multiItems());
    expect(params.size).toBe(2);
    expect(params.toString()).toBe("a=123&a=456&b=789");
  });

  it.each<[QueryParamTypes | null | undefined, string]>([
    [null, ""],
    [undefined, ""],
    [{ a: true }, "a=true"],
    [{ a: false }, "a=false"],
    [{ a: "" }, "a="],
    [{ a: null }, "a="],
    [{ a: 1.23 }, "a=1.23"],
    [{ a: 123 }, "a=123"],
    [{ a: [1, 2] }, "a=1&a=2"],
    ["a=", "a="],
    ["a", "a="],
    ["a=1&&b=2&", "a=1&b=2"],
    [{ a: "x y", b: "z&w=é/" }, "a=x+y&b=z%26w%3D%C3%A9%2F"],
    [{ "k y": "~-._*" }, "k+y=~-._%2A"],
    ["q=a+b%20c%2Bd", "q=a+b+c%2Bd"],
    ["e=%C3%A9&bad=%ZZ%", "e=%C3%A9&bad=%25ZZ%25"],
    ["s=%FF", "s=%EF%BF%BD"],
    [
      [
        ["a", "1"],
        ["b", null],
        ["a", false],
      ],
      "a=1&a=false&b=",
    ],
  ])("encodes %j as %j", (source, expected) => {
    expect(new QueryParams(source).toString()).toBe(expected);
  });

  it.each([
    ["a nested object", { a: { nested: true } }],
    ["a pair", [["a"]]],
  ])("rejects a value of the wrong type (%s) with a TypeError", (_, source) => {
    expect(() => new QueryParams(source as unknown as QueryParamTypes)).toThrow(TypeError);
  });

  it.each<[QueryParams, QueryParams]>([
    [
      new QueryParams({ a: "123", b: "456" }),
      new QueryParams([
        ["a", "123"],
        ["b", "456"],
      ]),
    ],
    [new QueryParams({ a: "123", b: "456" }), new QueryParams("a=123&b=456")],
    [new QueryParams({ a: "123", b: "456" }), new QueryParams({ b: "456", a: "123" })],
    [new QueryParams(), new QueryParams({})],
    [
      new QueryParams([
        ["a", "123"],
        ["a", "456"],
      ]),
      new QueryParams("a=123&a=456"),
    ],
    [new QueryParams("a=1&a=2&a=1"), new QueryParams("a=1&a=1&a=2")],
  ])("%s equals %s", (left, right) => {
    expect(left.equals(right)).toBe(true);
    expect(right.equals(left)).toBe(true);
  });

  it.each([[new QueryParams("a=1&a=2")], ["a=1&a=2&a=1"], [null], [new QueryParams("a=2&a=1&a=1&b=")]])(
    "does not equal %s",
    (other) => {
      expect(new QueryParams("a=1&a=2&a=1").equals(other)).toBe(false);
    },
  );

  it.each<[string, (params: QueryParams) => QueryParams, string]>([
    ["set replaces every value", (p) => p.set("a", "456"), "a=456&b=1"],
    ["set adds a new key last", (p) => p.set("c", 3), "a=123&a=0&b=1&c=3"],
    ["add appends a value", (p) => p.add("a", "456"), "a=123&a=0&a=456&b=1"],
    ["add defaults to an empty value", (p) => p.add("c"), "a=123&a=0&b=1&c="],
    ["remove drops the key", (p) => p.remove("a"), "b=1"],
    ["remove of a missing key changes nothing", (p) => p.remove("z"), "a=123&a=0&b=1"],
    ["merge adds keys", (p) => p.merge({ c: "456" }), "a=123&a=0&b=1&c=456"],
    ["merge replaces keys wholesale", (p) => p.merge({ a: "000", c: "789" }), "a=000&b=1&c=789"],
    ["merge accepts a string", (p) => p.merge("b=2&b=3"), "a=123&a=0&b=2&b=3"],
    ["merge of nothing changes nothing", (p) => p.merge(), "a=123&a=0&b=1"],
  ])("%s, returning a new instance", (_, change, expected) => {
    const params = new QueryParams("a=123&a=0&b=1");
    expect(change(params).toString()).toBe(expected);
    expect(params.toString()).toBe("a=123&a=0&b=1");
  });

  it("gives copies of its lists, so callers cannot change it", () => {
    const params = new QueryParams("a=1");
    params.getList("a").push("2");
    params.multiItems().push(["b", "2"]);
    expect(params.toString()).toBe("a=1");
  });

  it("serialises to its query string in JSON", () => {
    expect(JSON.stringify({ params: new QueryParams({ a: "b c" }) })).toBe('{"params":"a=b+c"}');
  });
});

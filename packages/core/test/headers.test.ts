import { Headers, LocalProtocolError } from "@ferry/core";
import { describe, expect, it } from "vitest";

describe("Headers", () => {
  it("looks names up in any case and joins repeats with a comma", () => {
    const headers = new Headers([
      ["Accept", "text/html"],
      ["Set-Cookie", "a=1"],
      ["set-cookie", "b=2"],
    ]);
    expect(headers.get("ACCEPT")).toBe("text/html");
    expect(headers.get("Set-Cookie")).toBe("a=1, b=2");
    expect(headers.get("missing")).toBeUndefined();
    expect(headers.has("accept")).toBe(true);
    expect(headers.has("missing")).toBe(false);
    expect(headers.size).toBe(3);
  });

  it("keeps order and original casing in raw, lower-cases names elsewhere", () => {
    const headers = new Headers({ "Content-Type": "text/plain", "X-Multi": ["1", "2"] });
    expect(headers.raw).toEqual([
      ["Content-Type", "text/plain"],
      ["X-Multi", "1"],
      ["X-Multi", "2"],
    ]);
    expect(headers.rawFlat()).toEqual(["Content-Type", "text/plain", "X-Multi", "1", "X-Multi", "2"]);
    expect(headers.multiItems()).toEqual([
      ["content-type", "text/plain"],
      ["x-multi", "1"],
      ["x-multi", "2"],
    ]);
    expect(headers.keys()).toEqual(["content-type", "x-multi"]);
    expect(headers.values()).toEqual(["text/plain", "1, 2"]);
    expect(headers.items()).toEqual([
      ["content-type", "text/plain"],
      ["x-multi", "1, 2"],
    ]);
    expect([...headers]).toEqual(headers.items());
    expect(headers.toJSON()).toEqual({ "content-type": "text/plain", "x-multi": "1, 2" });
  });

  it("accepts a globalThis.Headers and a Map", () => {
    const fromFetch = new Headers(new globalThis.Headers({ "X-A": "1" }));
    expect(fromFetch.get("x-a")).toBe("1");
    expect(new Headers(new Map([["X-B", "2"]])).raw).toEqual([["X-B", "2"]]);
  });

  it.each([
    [false, ["a, b", "c"]],
    [true, ["a", "b", "c"]],
  ])("getList with splitCommas=%s", (split, expected) => {
    const headers = new Headers([
      ["Vary", "a, b"],
      ["vary", "c"],
    ]);
    expect(headers.getList("VARY", split)).toEqual(expected);
    expect(headers.getList("missing", split)).toEqual([]);
  });

  it("set replaces every value of a name at the first one's position", () => {
    const headers = new Headers([
      ["A", "1"],
      ["B", "2"],
      ["a", "3"],
    ]);
    headers.set("a", "4");
    expect(headers.raw).toEqual([
      ["a", "4"],
      ["B", "2"],
    ]);
    headers.set("C", "5");
    expect(headers.raw.at(-1)).toEqual(["C", "5"]);
  });

  it("append keeps earlier values and delete removes them all", () => {
    const headers = new Headers({ A: "1" });
    headers.append("a", "2");
    expect(headers.getList("A")).toEqual(["1", "2"]);
    expect(headers.delete("A")).toBe(true);
    expect(headers.delete("A")).toBe(false);
    expect(headers.size).toBe(0);
  });

  it("update replaces per name and appends new names", () => {
    const headers = new Headers([
      ["A", "1"],
      ["B", "2"],
      ["a", "3"],
    ]);
    headers.update({ a: ["x", "y"], C: "z" });
    expect(headers.raw).toEqual([
      ["B", "2"],
      ["a", "x"],
      ["a", "y"],
      ["C", "z"],
    ]);
    headers.update(new Headers({ b: "new" }));
    expect(headers.get("B")).toBe("new");
  });

  it("copy is independent, and raw is a fresh snapshot after a change", () => {
    const headers = new Headers({ A: "1" });
    const copy = headers.copy();
    const before = headers.raw;
    expect(headers.raw).toBe(before);
    copy.set("A", "2");
    headers.append("B", "3");
    expect(headers.get("A")).toBe("1");
    expect(before).toEqual([["A", "1"]]);
    expect(Object.isFrozen(headers.raw)).toBe(true);
    expect(new Headers(copy).get("a")).toBe("2");
  });

  it("rawFlat is a new array on each call: changing it changes nothing", () => {
    const headers = new Headers({ A: "1" });
    const flat = headers.rawFlat();
    flat.push("B", "2");
    expect(headers.rawFlat()).toEqual(["A", "1"]);
    expect(headers.rawFlat()).not.toBe(headers.rawFlat());
  });

  it.each<[string, unknown, boolean]>([
    [
      "the same lines in another order",
      [
        ["b", "2"],
        ["A", "1"],
      ],
      true,
    ],
    ["a record", { a: "1", B: "2" }, true],
    ["a differing value", { a: "1", b: "3" }, false],
    ["a missing line", { a: "1" }, false],
    ["something that is not headers", 42, false],
    ["headers with an illegal name", { "a b": "1" }, false],
  ])("equals %s: %s", (_case, other, expected) => {
    const headers = new Headers([
      ["A", "1"],
      ["b", "2"],
    ]);
    expect(headers.equals(other)).toBe(expected);
  });

  it("reads well and masks credentials", () => {
    expect(String(new Headers({ Accept: "*/*", Authorization: "Basic abc" }))).toBe(
      'Headers({"accept": "*/*", "authorization": "[secure]"})',
    );
    expect(
      String(
        new Headers([
          ["a", "1"],
          ["A", "2"],
        ]),
      ),
    ).toBe('Headers([["a", "1"], ["a", "2"]])');
  });

  describe("validation", () => {
    it.each([
      ["an empty name", "", "v"],
      ["a space in the name", "X Header", "v"],
      ["a colon in the name", "X:Y", "v"],
      ["a non-ASCII name", "X-É", "v"],
      ["CR LF in the name", "X\r\nInjected", "v"],
      ["CR in the value", "X-A", "a\rb"],
      ["LF in the value", "X-A", "a\nInjected: 1"],
      ["NUL in the value", "X-A", "a\0b"],
    ])("rejects %s with LocalProtocolError naming the header", (_case, name, value) => {
      const attempts = [
        () => new Headers({ [name]: value }),
        () => new Headers([[name, value]]),
        () => new Headers().set(name, value),
        () => new Headers().append(name, value),
        () => new Headers().update({ [name]: value }),
      ];
      for (const attempt of attempts) {
        expect(attempt).toThrow(LocalProtocolError);
        expect(attempt).toThrow(JSON.stringify(name));
      }
    });

    it("keeps checking names once many valid ones have been seen", () => {
      // Valid names are remembered in a bounded set, emptied when full: past that point too, only tokens pass.
      for (let index = 0; index < 1500; index++) new Headers([[`x-name-${index}`, "v"]]);
      expect(() => new Headers([["x name", "v"]])).toThrow(LocalProtocolError);
      expect(new Headers([["x-name-7", "v"]]).get("X-Name-7")).toBe("v");
    });

    it.each([
      ["a number", 5],
      ["null", null],
      ["undefined", undefined],
      ["an object", { a: 1 }],
    ])("rejects %s as a value with a TypeError naming the header", (_case, raw) => {
      const value = raw as unknown as string;
      expect(() => new Headers({ "X-Count": value })).toThrow(TypeError);
      expect(() => new Headers({ "X-Count": value })).toThrow('"X-Count"');
      expect(() => new Headers().set("X-Count", value)).toThrow(TypeError);
      expect(() => new Headers([["X-Count", value]])).toThrow('"X-Count"');
    });

    it.each<[string, unknown]>([
      ["a string", "Accept: */*"],
      ["a number", 1],
      ["a pair that is too short", [["a"]]],
      ["a pair with a non-string name", [[1, "a"]]],
    ])("rejects %s as input with a TypeError", (_case, input) => {
      expect(() => new Headers(input as never)).toThrow(TypeError);
    });

    it.each([
      ["every token character", "!#$%&'*+-.^_`|~09azAZ", "v"],
      ["an empty value", "X-Empty", ""],
      ["tabs, spaces and Latin-1 in the value", "X-A", "\t a é \u00ff"],
    ])("accepts %s", (_case, name, value) => {
      expect(new Headers({ [name]: value }).get(name)).toBe(value);
    });
  });
});

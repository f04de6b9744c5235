import { describe, expect, it } from "vitest";
import {
  AsyncIteratorByteStream,
  encodeContent,
  encodeHtml,
  encodeJson,
  encodeText,
  encodeUrlencoded,
  IteratorByteStream,
} from "../src/content.js";
import { StreamConsumed } from "../src/errors.js";
import {
  type ByteStream,
  BytesStream,
  isAsyncByteStream,
  isSyncByteStream,
  readAll,
  readAllSync,
  type SyncByteStream,
} from "../src/streams.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

async function collect(stream: ByteStream): Promise<string> {
  return text(await readAll(stream));
}

function* helloWorld(): Generator<Uint8Array> {
  yield bytes("Hello, ");
  yield bytes("world!");
}

async function* asyncHelloWorld(): AsyncGenerator<Uint8Array> {
  yield bytes("Hello, ");
  yield bytes("world!");
}

function readableHelloWorld(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes("Hello, "));
      controller.enqueue(bytes("world!"));
      controller.close();
    },
  });
}

describe("encodeContent", () => {
  it.each([
    ["a string, as UTF-8", "Hello, world!", "13"],
    ["non-ASCII text, counted in bytes", "héllo", "6"],
    ["a Uint8Array", bytes("Hello, world!"), "13"],
    ["an ArrayBuffer", bytes("Hello, world!").buffer, "13"],
  ])("sends %s as is with a Content-Length", async (_, content, length) => {
    const { headers, stream } = encodeContent(content);
    expect(headers).toEqual({ "Content-Length": length });
    expect(stream).toBeInstanceOf(BytesStream);
    expect(isSyncByteStream(stream) && isAsyncByteStream(stream)).toBe(true);
    expect(text(readAllSync(stream as SyncByteStream))).toBe(text(await readAll(stream)));
  });

  it("sends an empty body with no headers at all", async () => {
    const { headers, stream } = encodeContent("");
    expect(headers).toEqual({});
    expect(await collect(stream)).toBe("");
  });

  it("can read a body built from bytes again and again", async () => {
    const { stream } = encodeContent("again");
    expect(await collect(stream)).toBe("again");
    expect(await collect(stream)).toBe("again");
    expect(text(readAllSync(stream as SyncByteStream))).toBe("again");
  });

  it.each([
    ["a generator", () => helloWorld(), true],
    ["an array of chunks", () => [bytes("Hello, "), bytes("world!")], true],
    ["an async generator", () => asyncHelloWorld(), false],
    ["a ReadableStream", () => readableHelloWorld(), false],
  ])("streams %s with Transfer-Encoding: chunked and no Content-Type", async (_, make, sync) => {
    const { headers, stream } = encodeContent(make());
    expect(headers).toEqual({ "Transfer-Encoding": "chunked" });
    expect(isSyncByteStream(stream)).toBe(sync);
    expect(isAsyncByteStream(stream)).toBe(true);
    expect(await collect(stream)).toBe("Hello, world!");
  });

  it("reads a sync generator synchronously", () => {
    const { stream } = encodeContent(helloWorld());
    expect(text(readAllSync(stream as SyncByteStream))).toBe("Hello, world!");
  });

  it.each([
    ["a generator, read synchronously", () => helloWorld(), "sync"],
    ["a generator, read asynchronously", () => helloWorld(), "async"],
    ["an async generator", () => asyncHelloWorld(), "async"],
    ["a ReadableStream", () => readableHelloWorld(), "async"],
  ])("raises StreamConsumed when %s is read a second time", async (_, make, mode) => {
    const { stream } = encodeContent(make());
    if (mode === "sync") {
      expect(text(readAllSync(stream as SyncByteStream))).toBe("Hello, world!");
      expect(() => readAllSync(stream as SyncByteStream)).toThrow(StreamConsumed);
    } else {
      expect(await collect(stream)).toBe("Hello, world!");
      await expect(readAll(stream)).rejects.toThrow(StreamConsumed);
    }
  });

  it("reads an array of chunks afresh each time", async () => {
    const { stream } = encodeContent([bytes("a"), bytes("b")]);
    expect(await collect(stream)).toBe("ab");
    expect(await collect(stream)).toBe("ab");
  });

  it("encodes string chunks from a user's generator as UTF-8, and drops empty chunks", async () => {
    function* chunks(): Generator<unknown> {
      yield "héllo";
      yield new Uint8Array(0);
      yield "";
      yield bytes("!");
    }
    const { stream } = encodeContent(chunks() as Iterable<Uint8Array>);
    const seen = [...(stream as SyncByteStream)].map(text);
    expect(seen).toEqual(["héllo", "!"]);
  });

  it.each([
    ["a sync", () => new IteratorByteStream([bytes("ok"), 42])],
    [
      "an async",
      () =>
        new AsyncIteratorByteStream(
          (async function* () {
            yield 42;
          })(),
        ),
    ],
  ])("rejects a chunk that is not bytes or text from %s stream, naming content", async (_, make) => {
    await expect(readAll(make())).rejects.toThrow(/content must yield Uint8Array or string chunks.*number/);
  });

  it.each([
    ["a number", 123, /content must be .* got number/],
    ["a plain object", { a: "b" }, /content must be .* got object/],
    ["a boolean", true, /content must be .* got boolean/],
  ])("rejects %s", (_, content, message) => {
    expect(() => encodeContent(content)).toThrow(TypeError);
    expect(() => encodeContent(content)).toThrow(message);
  });

  it("cancels a ReadableStream when the reader stops early", async () => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(bytes("x"));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { stream } = encodeContent(source);
    for await (const _ of stream as AsyncIterable<Uint8Array>) break;
    expect(cancelled).toBe(true);
  });
});

describe("encodeUrlencoded", () => {
  it.each([
    [{ Hello: "world!" }, "Hello=world%21"],
    [{ example: true }, "example=true"],
    [{ example: false }, "example=false"],
    [{ example: null }, "example="],
    [{ example: ["a", 1, true] }, "example=a&example=1&example=true"],
    [{ a: "1", b: 2.5 }, "a=1&b=2.5"],
    [{ q: "hello world" }, "q=hello+world"],
    [{ "a b": "c&d=e" }, "a+b=c%26d%3De"],
    [{ name: "é" }, "name=%C3%A9"],
    [{ empty: [] }, ""],
  ])("encodes %j as %s", async (data, expected) => {
    const { headers, stream } = encodeUrlencoded(data);
    expect(await collect(stream)).toBe(expected);
    expect(headers).toEqual({
      "Content-Length": String(bytes(expected).byteLength),
      "Content-Type": "application/x-www-form-urlencoded",
    });
    expect(stream).toBeInstanceOf(BytesStream);
  });

  it.each([
    [
      "a string, pointing at content",
      "a=1",
      /data must be a plain object of form fields; use `content`.*string/,
    ],
    ["bytes, pointing at content", bytes("a=1"), /use `content`.*Uint8Array/],
    ["an array", [["a", "1"]], /data must be a plain object.*array/],
    ["a nested object", { a: { b: 1 } }, /data\["a"\] must be a string, number, boolean or null.*object/],
    ["a nested list", { a: [[1]] }, /data\["a"\] must be .*array/],
    ["undefined", { a: undefined }, /data\["a"\] must be .*undefined/],
  ])("rejects %s with a TypeError", (_, data, message) => {
    expect(() => encodeUrlencoded(data)).toThrow(TypeError);
    expect(() => encodeUrlencoded(data)).toThrow(message);
  });
});

describe("encodeJson", () => {
  it.each([
    [{ Hello: "world!" }, '{"Hello":"world!"}'],
    [{ clé: "valeur", liste: [1, 2, 3] }, '{"clé":"valeur","liste":[1,2,3]}'],
    [{ greeting: "Bonjour, ça va ?" }, '{"greeting":"Bonjour, ça va ?"}'],
    [{ a: null, b: [null] }, '{"a":null,"b":[null]}'],
    ["text", '"text"'],
    [0, "0"],
    [false, "false"],
    [[], "[]"],
  ])("encodes %j compactly as UTF-8", async (value, expected) => {
    const { headers, stream } = encodeJson(value);
    expect(await collect(stream)).toBe(expected);
    expect(headers).toEqual({
      "Content-Length": String(bytes(expected).byteLength),
      "Content-Type": "application/json",
    });
  });

  it.each([
    ["NaN", { nombre: Number.NaN }, /json contains NaN at key "nombre"/],
    ["Infinity", { nombre: Number.POSITIVE_INFINITY }, /json contains Infinity/],
    [
      "-Infinity deep inside",
      { a: [1, { b: Number.NEGATIVE_INFINITY }] },
      /json contains -Infinity at key "b"/,
    ],
    ["a top-level NaN", Number.NaN, /json contains NaN, which JSON cannot represent/],
    ["undefined", undefined, /json has no JSON form, got undefined/],
    ["a function", () => 1, /json has no JSON form, got function/],
    ["a BigInt", 10n, /json could not be serialised as JSON/],
  ])("rejects %s with a TypeError", (_, value, message) => {
    expect(() => encodeJson(value)).toThrow(TypeError);
    expect(() => encodeJson(value)).toThrow(message);
  });

  it("rejects a circular structure with a TypeError", () => {
    const value: Record<string, unknown> = {};
    value["self"] = value;
    expect(() => encodeJson(value)).toThrow(/json could not be serialised as JSON/);
  });
});

describe("encodeText and encodeHtml", () => {
  it.each([
    [encodeText, "text/plain; charset=utf-8"],
    [encodeHtml, "text/html; charset=utf-8"],
  ])("encode UTF-8 with a charset", async (encode, contentType) => {
    const { headers, stream } = encode("ça");
    expect(headers).toEqual({ "Content-Length": "3", "Content-Type": contentType });
    expect(await collect(stream)).toBe("ça");
  });
});

import { describe, expect, it } from "vitest";
import { Cookies } from "../src/cookies.js";
import { RequestNotRead, StreamConsumed } from "../src/errors.js";
import { Headers } from "../src/headers.js";
import { Request } from "../src/request.js";
import { BytesStream, isAsyncByteStream, isSyncByteStream, readAll, readAllSync } from "../src/streams.js";
import { URL } from "../src/url.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function* generator(...chunks: string[]): Generator<Uint8Array> {
  for (const chunk of chunks) yield bytes(chunk);
}

async function* asyncGenerator(...chunks: string[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield bytes(chunk);
}

describe("Request basics", () => {
  it("reads as <Request('METHOD', 'url')>", () => {
    expect(String(new Request("GET", "https://example.com/"))).toBe(
      "<Request('GET', 'https://example.com/')>",
    );
  });

  it.each([
    ["get", "GET"],
    ["Post", "POST"],
    ["PROPFIND", "PROPFIND"],
    ["m-search", "M-SEARCH"],
  ])("upper-cases the method %s to %s", (method, expected) => {
    expect(new Request(method, "https://example.com/").method).toBe(expected);
  });

  it.each([
    ["an empty method", ""],
    ["a method with a space", "GE T"],
    ["a method with a newline", "GET\r\n"],
    ["a method that is not a string", 42],
  ])("rejects %s with a TypeError", (_, method) => {
    expect(() => new Request(method as string, "https://example.com/")).toThrow(TypeError);
    expect(() => new Request(method as string, "https://example.com/")).toThrow(/method must be/);
  });

  it("parses the URL", () => {
    const request = new Request("GET", "https://example.org/abc?foo=bar");
    expect(request.url).toBeInstanceOf(URL);
    expect(request.url.scheme).toBe("https");
    expect(request.url.port).toBeNull();
    expect(request.url.path).toBe("/abc");
    expect(request.url.rawPath).toBe("/abc?foo=bar");
  });

  it("takes a parsed URL as it is, without parsing it again", () => {
    const url = new URL("https://example.org/abc");
    expect(new Request("GET", url).url).toBe(url);
  });

  it("accepts a WHATWG URL", () => {
    expect(String(new Request("GET", new globalThis.URL("https://example.org/a?b=1")).url)).toBe(
      "https://example.org/a?b=1",
    );
  });

  it.each([
    ["no params", "http://example.com?c=3", {}, "http://example.com?c=3"],
    ["new keys", "http://example.com?c=3", { a: "1", b: 2 }, "http://example.com?c=3&a=1&b=2"],
    ["a key of the URL's", "http://example.com?a=1&a=2&c=3", { a: "x" }, "http://example.com?a=x&c=3"],
  ])("merges params into the URL's query: %s", (_, url, params, expected) => {
    expect(String(new Request("GET", url, { params }).url)).toBe(expected);
  });

  it("defaults extensions to a fresh empty object, and copies given ones", () => {
    const extensions = { timeout: { connect: 1, read: 1, write: 1, pool: 1 } };
    const request = new Request("GET", "https://example.com/", { extensions });
    expect(request.extensions).toEqual(extensions);
    expect(request.extensions).not.toBe(extensions);
    expect(new Request("GET", "https://example.com/").extensions).toEqual({});
  });
});

describe("Request headers", () => {
  it("sends only Host for a GET without body", () => {
    const request = new Request("GET", "http://example.org");
    expect(request.headers.raw).toEqual([["Host", "example.org"]]);
  });

  it.each(["POST", "PUT", "PATCH"])("announces an empty %s body with Content-Length: 0", (method) => {
    const request = new Request(method, "http://example.org");
    expect(request.headers.raw).toEqual([
      ["Host", "example.org"],
      ["Content-Length", "0"],
    ]);
  });

  it("includes a non-default port in Host", () => {
    expect(new Request("GET", "http://example.org:8080/").headers.get("host")).toBe("example.org:8080");
    expect(new Request("GET", "https://example.org:443/").headers.get("host")).toBe("example.org");
  });

  it("keeps a given Host header, and other given headers", () => {
    const headers = { host: "1.2.3.4:80", "Accept-Encoding": "identity" };
    const request = new Request("GET", "http://example.org", { headers });
    expect(request.headers.raw).toEqual([
      ["host", "1.2.3.4:80"],
      ["Accept-Encoding", "identity"],
    ]);
  });

  it("puts Host first, then the given headers, Cookie, and the body's headers", () => {
    const request = new Request("POST", "https://example.org/", {
      headers: { "X-Trace": "1" },
      cookies: { session: "abc" },
      json: { test: 123 },
    });
    expect(request.headers.raw).toEqual([
      ["Host", "example.org"],
      ["X-Trace", "1"],
      ["Cookie", "session=abc"],
      ["Content-Length", "12"],
      ["Content-Type", "application/json"],
    ]);
  });

  it("keeps repeated given headers in order after Host, and lookups find them", () => {
    const headers = new Headers([
      ["X-Tag", "a"],
      ["Accept", "*/*"],
      ["x-tag", "b"],
    ]);
    const request = new Request("PUT", "http://[::1]:8080/", { headers });
    expect(request.headers.raw).toEqual([
      ["Host", "[::1]:8080"],
      ["Content-Length", "0"],
      ["X-Tag", "a"],
      ["Accept", "*/*"],
      ["x-tag", "b"],
    ]);
    expect(request.headers.getList("x-tag")).toEqual(["a", "b"]);
    expect(request.headers.get("HOST")).toBe("[::1]:8080");
    request.headers.set("host", "example.org");
    expect(request.headers.raw[0]).toEqual(["host", "example.org"]);
    expect(headers.raw).toHaveLength(3);
  });

  it("does not change a Headers object it was given", () => {
    const headers = new Headers({ Accept: "text/plain" });
    const request = new Request("POST", "https://example.org/", { headers, content: "x" });
    expect(headers.raw).toEqual([["Accept", "text/plain"]]);
    expect(request.headers).not.toBe(headers);
    expect(request.headers.get("accept")).toBe("text/plain");
  });

  it("keeps a given Content-Type over the body's", () => {
    const request = new Request("POST", "https://example.org/", {
      headers: { "Content-Type": "application/vnd.api+json" },
      json: {},
    });
    expect(request.headers.getList("content-type")).toEqual(["application/vnd.api+json"]);
  });

  it.each([
    ["a Cookies object", () => new Cookies({ a: "1" })],
    ["a record", () => ({ a: "1" })],
    ["a list of pairs", () => [["a", "1"]] as const],
  ])("sends cookies given as %s in a Cookie header", (_, make) => {
    const request = new Request("GET", "https://example.org/", { cookies: make() });
    expect(request.headers.get("cookie")).toBe("a=1");
  });

  it("sends no Cookie header for empty cookies", () => {
    expect(new Request("GET", "https://example.org/", { cookies: {} }).headers.has("cookie")).toBe(false);
  });
});

describe("Request bodies", () => {
  it("sends bytes with their Content-Length, and has them at once", () => {
    const request = new Request("POST", "http://example.org", { content: bytes("test 123") });
    expect(request.headers.get("content-length")).toBe("8");
    expect(text(request.content)).toBe("test 123");
    expect(request.stream).toBeInstanceOf(BytesStream);
  });

  it("encodes form data", () => {
    const request = new Request("POST", "http://example.org", { data: { test: "123" } });
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(text(request.content)).toBe("test=123");
  });

  it("encodes JSON", () => {
    const request = new Request("POST", "http://example.org", { json: { test: 123 } });
    expect(
      request.headers.equals({
        Host: "example.org",
        "Content-Type": "application/json",
        "Content-Length": "12",
      }),
    ).toBe(true);
    expect(text(request.content)).toBe('{"test":123}');
  });

  it("treats json: null, empty data and empty files as no body", () => {
    for (const options of [{ json: null }, { data: {} }, { data: {}, files: {} }, { files: [] }]) {
      const request = new Request("POST", "https://example.com/", options);
      expect(request.headers.get("content-length")).toBe("0");
      expect(request.content.byteLength).toBe(0);
    }
  });

  it("prefers content to files, files to data, and data to json", () => {
    const both = { data: { a: "1" }, json: { b: 2 } };
    expect(text(new Request("POST", "https://e.com/", { content: "raw", ...both }).content)).toBe("raw");
    expect(text(new Request("POST", "https://e.com/", both).content)).toBe("a=1");
    const multipart = new Request("POST", "https://e.com/", { ...both, files: { f: "x" } });
    expect(multipart.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=[0-9a-f]{32}$/);
  });

  it.each([
    ["a generator", () => generator("test 123")],
    ["an async generator", () => asyncGenerator("test 123")],
    [
      "a custom iterable",
      () => ({
        *[Symbol.iterator]() {
          yield bytes("test 123");
        },
      }),
    ],
  ])("streams %s with Transfer-Encoding: chunked", (_, make) => {
    const request = new Request("POST", "http://example.org", { content: make() });
    expect(request.headers.raw).toEqual([
      ["Host", "example.org"],
      ["Transfer-Encoding", "chunked"],
    ]);
  });

  it("sends a given Content-Length instead of chunked framing", () => {
    const request = new Request("POST", "http://example.org", {
      content: generator("abcd"),
      headers: { "Content-Length": "4" },
    });
    expect(request.headers.raw).toEqual([
      ["Host", "example.org"],
      ["Content-Length", "4"],
    ]);
  });

  it("sends a ready stream as it is, with no headers added", () => {
    const stream = new BytesStream(bytes("raw"));
    const request = new Request("POST", "http://example.org", { stream, headers: { "X-A": "1" } });
    expect(request.stream).toBe(stream);
    expect(request.headers.raw).toEqual([["X-A", "1"]]);
  });

  it("honours a boundary given in the Content-Type header", () => {
    const contentType = 'multipart/form-data; boundary="+++"; charset=utf-8';
    const request = new Request("POST", "https://www.example.com/", {
      headers: { "Content-Type": contentType },
      files: { file: bytes("<file content>") },
    });
    expect(request.headers.raw).toEqual([
      ["Host", "www.example.com"],
      ["Content-Type", contentType],
      ["Content-Length", "138"],
    ]);
    return request.read().then((content) => {
      expect(text(content)).toBe(
        "--+++\r\n" +
          'Content-Disposition: form-data; name="file"; filename="upload"\r\n' +
          "Content-Type: application/octet-stream\r\n\r\n" +
          "<file content>\r\n" +
          "--+++--\r\n",
      );
    });
  });

  it("keeps a multipart Content-Type without boundary as given, and uses a random one", async () => {
    const contentType = "multipart/form-data; charset=utf-8";
    const request = new Request("POST", "https://www.example.com/", {
      headers: { "Content-Type": contentType },
      files: { file: bytes("x") },
    });
    expect(request.headers.get("content-type")).toBe(contentType);
    expect(text(await request.read())).toMatch(/^--[0-9a-f]{32}\r\n/);
  });
});

describe("Request streaming bodies", () => {
  it("raises RequestNotRead for the content of an unread stream", () => {
    const request = new Request("POST", "http://example.org", { content: generator("x") });
    expect(() => request.content).toThrow(RequestNotRead);
  });

  it("raises RequestNotRead for a multipart body until read", async () => {
    const request = new Request("POST", "http://example.org", { files: { f: "x" } });
    expect(() => request.content).toThrow(RequestNotRead);
    await request.read();
    expect(text(request.content)).toContain("\r\nx\r\n");
  });

  it("raises StreamConsumed when a one-shot body is streamed twice", async () => {
    const request = new Request("POST", "http://example.org", { content: asyncGenerator("a", "b") });
    expect(text(await readAll(request.stream))).toBe("ab");
    await expect(readAll(request.stream)).rejects.toThrow(StreamConsumed);
  });

  it("read() buffers a stream once and keeps it re-sendable", async () => {
    const request = new Request("POST", "http://example.org", {
      content: asyncGenerator("Hello, ", "world!"),
    });
    expect(text(await request.read())).toBe("Hello, world!");
    expect(text(request.content)).toBe("Hello, world!");
    expect(request.stream).toBeInstanceOf(BytesStream);
    expect(text(await request.read())).toBe("Hello, world!");
    expect(text(await readAll(request.stream))).toBe("Hello, world!");
    expect(text(await readAll(request.stream))).toBe("Hello, world!");
  });

  it("readSync() buffers a sync stream", () => {
    const request = new Request("POST", "http://example.org", { content: generator("a", "b") });
    expect(text(request.readSync())).toBe("ab");
    expect(text(request.content)).toBe("ab");
    expect(isSyncByteStream(request.stream) && isAsyncByteStream(request.stream)).toBe(true);
    expect(text(readAllSync(request.stream as Iterable<Uint8Array>))).toBe("ab");
  });

  it("readSync() refuses an async-only body with a clear error", () => {
    const request = new Request("POST", "http://example.org", { content: asyncGenerator("a") });
    expect(() => request.readSync()).toThrow(/can only be read asynchronously.*await request.read\(\)/);
  });

  it("read() and readSync() return in-memory bodies directly", async () => {
    const request = new Request("POST", "http://example.org", { json: { test: 123 } });
    expect(text(request.readSync())).toBe('{"test":123}');
    expect(text(await request.read())).toBe('{"test":123}');
    expect(text(readAllSync(request.stream as Iterable<Uint8Array>))).toBe('{"test":123}');
  });
});

describe("Request option validation", () => {
  it.each([
    ["an unknown option", { body: "x" }, /Unknown Request option "body" \(given string\)/],
    ["a misspelt option", { header: {} }, /Unknown Request option "header" \(given object\)/],
    ["a number as content", { content: 123 }, /content must be .* got number/],
    ["a string as data", { data: "a=1" }, /data must be a plain object .*use `content`/],
    ["a nested data value", { data: { a: { b: 1 } } }, /data\["a"\] must be/],
    ["a number as files", { files: 3 }, /files must be an object or a list/],
    ["NaN in json", { json: { a: Number.NaN } }, /json contains NaN/],
    ["a number as stream", { stream: 3 }, /stream must be a sync or async iterable.*number/],
    ["a string as extensions", { extensions: "x" }, /extensions must be an object, got string/],
  ])("rejects %s with a TypeError", (_, options, message) => {
    const make = () => new Request("POST", "https://example.com/", options as never);
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });

  it("rejects a URL that is neither a string nor a URL", () => {
    expect(() => new Request("GET", 42 as never)).toThrow(/url must be a string or a URL, got number/);
  });
});

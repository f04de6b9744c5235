import {
  DecodingError,
  HTTPStatusError,
  Request,
  Response,
  ResponseNotRead,
  StreamClosed,
  StreamConsumed,
} from "@ferry/core";
import { describe, expect, it } from "vitest";

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function* streamingBody(): Generator<Uint8Array> {
  yield bytes("Hello, ");
  yield bytes("world!");
}

async function* asyncStreamingBody(): AsyncGenerator<Uint8Array> {
  yield bytes("Hello, ");
  yield bytes("world!");
}

/** A transport-style stream: async only, counting close() calls. */
function asyncOnlyStream(chunks: readonly string[]) {
  const stream = {
    closes: 0,
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield bytes(chunk);
    },
    close() {
      stream.closes++;
    },
  };
  return stream;
}

/** A sync stream, counting close() calls. */
function syncStream(chunks: readonly string[]) {
  const stream = {
    closes: 0,
    *[Symbol.iterator]() {
      for (const chunk of chunks) yield bytes(chunk);
    },
    close() {
      stream.closes++;
    },
  };
  return stream;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const texts = (chunks: readonly Uint8Array[]) => chunks.map(text);

describe("construction", () => {
  it("holds status, reason phrase, text and request", () => {
    const request = new Request("GET", "https://example.org");
    const response = new Response(200, { content: bytes("Hello, world!"), request });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe("OK");
    expect(response.text).toBe("Hello, world!");
    expect(response.request).toBe(request);
    expect(String(response.url)).toBe("https://example.org");
    expect(response.isError).toBe(false);
  });

  it("sets Content-Length for string content", () => {
    const response = new Response(200, { content: "Hello, world!" });
    expect(response.headers.multiItems()).toEqual([["content-length", "13"]]);
    expect(response.text).toBe("Hello, world!");
  });

  it("adds no header for empty content", () => {
    expect(new Response(200, { content: "" }).headers.size).toBe(0);
    expect(new Response(200).headers.size).toBe(0);
  });

  it.each([
    [
      "text",
      { text: "Hello, world!" },
      "Hello, world!",
      [
        ["content-length", "13"],
        ["content-type", "text/plain; charset=utf-8"],
      ],
    ],
    [
      "html",
      { html: "<html><body>Hello, world!</html></body>" },
      "<html><body>Hello, world!</html></body>",
      [
        ["content-length", "39"],
        ["content-type", "text/html; charset=utf-8"],
      ],
    ],
    [
      "json",
      { json: { hello: "world" } },
      '{"hello":"world"}',
      [
        ["content-length", "17"],
        ["content-type", "application/json"],
      ],
    ],
  ])("encodes a %s body with its headers", (_name, options, body, headers) => {
    const response = new Response(200, options);
    expect(response.text).toBe(body);
    expect(response.headers.multiItems()).toEqual(headers);
  });

  it("parses a json body back", () => {
    expect(new Response(200, { json: { hello: "world", list: [1, 2] } }).json()).toEqual({
      hello: "world",
      list: [1, 2],
    });
  });

  it("keeps a Content-Type given in headers", () => {
    const response = new Response(200, {
      json: [1],
      headers: { "Content-Type": "application/vnd.api+json" },
    });
    expect(response.headers.get("content-type")).toBe("application/vnd.api+json");
  });

  it("uses chunked framing for an iterable body, unless Content-Length was given", () => {
    expect(new Response(200, { content: streamingBody() }).headers.multiItems()).toEqual([
      ["transfer-encoding", "chunked"],
    ]);
    const withLength = new Response(200, { content: streamingBody(), headers: { "Content-Length": "13" } });
    expect(withLength.headers.multiItems()).toEqual([["content-length", "13"]]);
  });

  it("adds no header for a transport stream", () => {
    const response = new Response(200, { stream: asyncOnlyStream(["abc"]) });
    expect(response.headers.size).toBe(0);
    expect(response.isStreamConsumed).toBe(false);
  });

  it("reads an in-memory body at once, and closes it", () => {
    const response = new Response(200, { content: "abc" });
    expect(response.isClosed).toBe(true);
    expect(response.isStreamConsumed).toBe(true);
    expect(text(response.content)).toBe("abc");
  });

  it("rejects an unsupported content type", () => {
    expect(() => new Response(200, { content: 42 as unknown as string })).toThrow(TypeError);
  });

  it("reads http_version and reason_phrase from extensions, as strings or bytes", () => {
    const response = new Response(200, {
      extensions: { http_version: bytes("HTTP/2"), reason_phrase: bytes("Fine\u00e9") },
    });
    expect(response.httpVersion).toBe("HTTP/2");
    expect(response.reasonPhrase).toBe("Fine");
    expect(new Response(404, { extensions: { reason_phrase: "Nope" } }).reasonPhrase).toBe("Nope");
    expect(new Response(200).httpVersion).toBe("HTTP/1.1");
  });

  it("has an empty reason phrase and body for an unknown status", () => {
    const response = new Response(600);
    expect(response.reasonPhrase).toBe("");
    expect(response.text).toBe("");
  });

  it("renders as <Response [status phrase]>", () => {
    expect(String(new Response(200, { content: "x" }))).toBe("<Response [200 OK]>");
    expect(new Response(404).toString()).toBe("<Response [404 Not Found]>");
  });

  it("throws when the request is not set, until it is", () => {
    const response = new Response(200, { content: "Hello" });
    expect(() => response.request).toThrow("The request instance has not been set on this response.");
    expect(() => response.url).toThrow(Error);
    response.request = new Request("GET", "https://www.example.org");
    expect(response.request.method).toBe("GET");
    expect(String(response.url)).toBe("https://www.example.org");
  });

  it("copies history and extensions", () => {
    const first = new Response(302);
    const history = [first];
    const extensions = { http_version: "HTTP/2" };
    const response = new Response(200, { history, extensions });
    history.push(new Response(500));
    extensions.http_version = "HTTP/1.0";
    expect(response.history).toEqual([first]);
    expect(response.httpVersion).toBe("HTTP/2");
    expect(response.nextRequest).toBeNull();
  });
});

describe("status", () => {
  it.each([
    [101, { isInformational: true }],
    [200, { isSuccess: true }],
    [303, { isRedirect: true }],
    [304, { isRedirect: true }],
    [404, { isClientError: true, isError: true }],
    [503, { isServerError: true, isError: true }],
  ])("classifies %i", (status, expected) => {
    const response = new Response(status);
    const flags = {
      isInformational: false,
      isSuccess: false,
      isRedirect: false,
      isClientError: false,
      isServerError: false,
      isError: false,
      ...expected,
    };
    for (const [name, value] of Object.entries(flags)) {
      expect(response[name as keyof typeof flags], name).toBe(value);
    }
  });

  it.each([
    [301, true],
    [302, true],
    [303, true],
    [307, true],
    [308, true],
    [300, false],
    [304, false],
    [200, false],
  ])("hasRedirectLocation for %i with Location is %s", (status, expected) => {
    expect(new Response(status, { headers: { Location: "/next" } }).hasRedirectLocation).toBe(expected);
    expect(new Response(status).hasRedirectLocation).toBe(false);
  });
});

describe("raiseForStatus", () => {
  const request = new Request("GET", "https://example.org");
  const mdn = "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/";

  it("returns the response on 2xx", () => {
    const response = new Response(200, { request });
    expect(response.raiseForStatus()).toBe(response);
  });

  it.each([
    [101, {}, `Informational response '101 Switching Protocols' for url 'https://example.org'\n${mdn}101`],
    [
      303,
      { location: "https://other.org" },
      `Redirect response '303 See Other' for url 'https://example.org'\n` +
        `Redirect location: 'https://other.org'\n${mdn}303`,
    ],
    [304, {}, `Redirect response '304 Not Modified' for url 'https://example.org'\n${mdn}304`],
    [403, {}, `Client error '403 Forbidden' for url 'https://example.org'\n${mdn}403`],
    [500, {}, `Server error '500 Internal Server Error' for url 'https://example.org'\n${mdn}500`],
    [600, {}, `Invalid status code '600 ' for url 'https://example.org'\n${mdn}600`],
  ])("throws HTTPStatusError for %i", (status, headers, message) => {
    const response = new Response(status, { headers, request });
    let caught: unknown;
    try {
      response.raiseForStatus();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HTTPStatusError);
    const error = caught as HTTPStatusError;
    expect(error.message).toBe(message);
    expect(error.request).toBe(request);
    expect(error.response).toBe(response);
  });

  it("throws a plain error without a request", () => {
    expect(() => new Response(200).raiseForStatus()).toThrow(
      new Error("Cannot call raiseForStatus as the request instance has not been set on this response."),
    );
  });
});

describe("encoding", () => {
  it("uses the Content-Type charset", () => {
    const response = new Response(200, {
      content: new Uint8Array([0x48, 0xe9]),
      headers: { "Content-Type": "text/plain; charset=latin-1" },
    });
    expect(response.charsetEncoding).toBe("latin-1");
    expect(response.encoding).toBe("latin-1");
    expect(response.text).toBe("Hé");
  });

  it("unquotes and lower-cases the charset", () => {
    const response = new Response(200, { headers: { "Content-Type": 'text/html; Charset="Shift_JIS"' } });
    expect(response.charsetEncoding).toBe("shift_jis");
  });

  it("defaults to utf-8 without a charset, and for non-text types", () => {
    const response = new Response(200, {
      content: bytes("xyz \u2603"),
      headers: { "Content-Type": "image/png" },
    });
    expect(response.charsetEncoding).toBeNull();
    expect(response.encoding).toBe("utf-8");
    expect(response.text).toBe("xyz \u2603");
  });

  it("falls back to defaultEncoding when the charset is unknown", () => {
    const response = new Response(200, {
      content: new Uint8Array([0x80]),
      headers: { "Content-Type": "text/plain; charset=not-a-charset" },
      defaultEncoding: "windows-1252",
    });
    expect(response.charsetEncoding).toBe("not-a-charset");
    expect(response.encoding).toBe("windows-1252");
    expect(response.text).toBe("\u20ac");
  });

  it("asks a defaultEncoding function once the content is read", async () => {
    const seen: Uint8Array[] = [];
    const guess = (content: Uint8Array) => {
      seen.push(content);
      return "shift_jis";
    };
    const response = new Response(200, { stream: asyncOnlyStream(["\x83g"]), defaultEncoding: guess });
    expect(response.encoding).toBe("utf-8");
    const body = new Uint8Array([0x83, 0x67, 0x83, 0x89, 0x83, 0x78, 0x83, 0x8b]);
    const late = new Response(200, {
      stream: {
        async *[Symbol.asyncIterator]() {
          yield body;
        },
      },
      defaultEncoding: guess,
    });
    await late.read();
    expect(late.encoding).toBe("shift_jis");
    expect(late.text).toBe("トラベル");
    expect(seen).toEqual([body]);
    expect(response.isStreamConsumed).toBe(false);
  });

  it("prefers the charset over a defaultEncoding function", () => {
    const response = new Response(200, {
      content: bytes("\u00ff"),
      headers: { "Content-Type": "text/plain; charset=utf-8" },
      defaultEncoding: () => "latin-1",
    });
    expect(response.text).toBe("\u00ff");
  });

  it("falls back to utf-8 when a defaultEncoding function gives nothing usable", () => {
    expect(new Response(200, { content: "a", defaultEncoding: () => null }).encoding).toBe("utf-8");
    expect(new Response(200, { content: "a", defaultEncoding: () => "nope" }).encoding).toBe("utf-8");
  });

  it("can be set explicitly, overriding the charset", () => {
    const response = new Response(200, {
      content: new Uint8Array([...bytes("Latin 1: "), 0xff]),
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
    response.encoding = "latin-1";
    expect(response.text).toBe("Latin 1: \u00ff");
    expect(response.encoding).toBe("latin-1");
  });

  it("decodes iso-8859-1 byte for code point, as Python does", () => {
    const response = new Response(200, { content: "Snowman: \u2603" });
    response.encoding = "iso-8859-1";
    expect(response.text).toBe("Snowman: \u00e2\x98\x83");
  });

  it("cannot be set once text was accessed", () => {
    const response = new Response(200, { content: "Hello, world!" });
    expect(response.text).toBe("Hello, world!");
    expect(() => {
      response.encoding = "utf-8";
    }).toThrow("Setting encoding after `text` has been accessed is not allowed.");
  });

  it("rejects unknown labels by name", () => {
    const response = new Response(200, { content: "x" });
    expect(() => {
      response.encoding = "klingon";
    }).toThrow(new RangeError('encoding must name a text encoding, got "klingon".'));
    expect(() => new Response(200, { defaultEncoding: "klingon" })).toThrow(RangeError);
  });

  it("replaces malformed bytes instead of throwing", () => {
    expect(new Response(200, { content: new Uint8Array([0x61, 0xff, 0x62]) }).text).toBe("a\ufffdb");
  });

  it.each([
    ["a truncated character at the end", [0x61, 0xe2, 0x82], "a\ufffd"],
    ["a UTF-8 byte order mark", [0xef, 0xbb, 0xbf, 0x61], "a"],
    ["a second byte order mark", [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], "\ufeff"],
  ])("decodes a whole UTF-8 body with %s as streaming would", (_, bytes, text) => {
    const body = new Uint8Array(bytes);
    expect(new Response(200, { content: body }).text).toBe(text);
    const headers = { "Content-Type": "text/plain; charset=utf8" };
    expect(new Response(200, { content: body, headers }).text).toBe(text);
  });

  it("decodes one body after another alike, whatever the body before held", () => {
    const truncated = new Response(200, { content: new Uint8Array([0xe2, 0x82]) });
    expect(truncated.text).toBe("\ufffd");
    expect(new Response(200, { content: new Uint8Array([0xac, 0x61]) }).text).toBe("\ufffda");
  });

  it.each([
    ["utf-16le", "utf-16-le"],
    ["utf-16be", "utf-16-be"],
    ["utf-32le", "utf-32-le"],
    ["utf-32be", "utf-32-be"],
  ])("decodes %s text (charset %s)", (codec, label) => {
    const response = new Response(200, {
      content: encodeAs(codec, "h\u00e9llo \u{1f600}"),
      headers: { "Content-Type": `text/plain; charset=${label}` },
    });
    expect(response.text).toBe("h\u00e9llo \u{1f600}");
  });
});

/** Encodes text in UTF-8, UTF-16 or UTF-32 of either byte order, optionally with a byte order mark. */
function encodeAs(codec: string, value: string, bom = false): Uint8Array {
  if (codec === "utf-8") return new Uint8Array([...(bom ? [0xef, 0xbb, 0xbf] : []), ...bytes(value)]);
  const wide = codec.startsWith("utf-32");
  const little = codec.endsWith("le");
  const units = wide ? [...value].map((char) => char.codePointAt(0)!) : [...value].flatMap(utf16Units);
  if (bom) units.unshift(0xfeff);
  const size = wide ? 4 : 2;
  const view = new DataView(new ArrayBuffer(units.length * size));
  units.forEach((unit, index) => {
    if (wide) view.setUint32(index * 4, unit, little);
    else view.setUint16(index * 2, unit, little);
  });
  return new Uint8Array(view.buffer);
}

function utf16Units(char: string): number[] {
  return char.length === 1 ? [char.charCodeAt(0)] : [char.charCodeAt(0), char.charCodeAt(1)];
}

describe("json", () => {
  const data = { greeting: "hello", recipient: "w\u00f6rld" };
  const body = JSON.stringify(data);

  it.each([
    ["utf-8", false],
    ["utf-8", true],
    ["utf-16le", false],
    ["utf-16le", true],
    ["utf-16be", false],
    ["utf-16be", true],
    ["utf-32le", false],
    ["utf-32le", true],
    ["utf-32be", false],
    ["utf-32be", true],
  ])("parses %s (byte order mark: %s)", (codec, bom) => {
    const response = new Response(200, {
      content: encodeAs(codec, body, bom),
      headers: { "Content-Type": "application/json" },
    });
    expect(response.json()).toEqual(data);
  });

  it("ignores a wrong charset, as httpx does", () => {
    const response = new Response(200, {
      content: encodeAs("utf-16le", body, true),
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
    expect(response.json()).toEqual(data);
  });

  it("types its result", () => {
    const value = new Response(200, { json: { n: 1 } }).json<{ n: number }>();
    expect(value.n).toBe(1);
  });

  it("throws a SyntaxError for a body that is not JSON", () => {
    expect(() => new Response(200, { content: "nope" }).json()).toThrow(SyntaxError);
  });
});

describe("links", () => {
  it.each([
    ["<https://example.com>; rel='preload'", { preload: { rel: "preload", url: "https://example.com" } }],
    [
      '</hub>; rel="hub", </resource>; rel="self"',
      { hub: { url: "/hub", rel: "hub" }, self: { url: "/resource", rel: "self" } },
    ],
    [
      '<https://example.com/a.jpg>; type="image/jpeg"',
      { "https://example.com/a.jpg": { url: "https://example.com/a.jpg", type: "image/jpeg" } },
    ],
    [
      '</next>; rel="next"; title="Page 2", </x>; broken; rel=ignored',
      { next: { url: "/next", rel: "next", title: "Page 2" }, "/x": { url: "/x" } },
    ],
    ["", {}],
  ])("parses %j", (header, expected) => {
    expect(new Response(200, { headers: { Link: header } }).links).toEqual(expected);
  });

  it("is empty without a Link header", () => {
    expect(new Response(200).links).toEqual({});
  });
});

describe("reading", () => {
  it("raises ResponseNotRead before a streamed body is read", () => {
    const response = new Response(200, { stream: asyncOnlyStream(["Hello"]) });
    expect(() => response.content).toThrow(ResponseNotRead);
    expect(() => response.text).toThrow(ResponseNotRead);
  });

  it("reads and caches the body, closing the stream once", async () => {
    const stream = asyncOnlyStream(["Hello, ", "world!"]);
    const response = new Response(200, { stream });
    expect(response.isClosed).toBe(false);
    const content = await response.read();
    expect(text(content)).toBe("Hello, world!");
    expect(await response.read()).toBe(content);
    expect(response.content).toBe(content);
    expect(response.isClosed).toBe(true);
    await response.close();
    expect(stream.closes).toBe(1);
  });

  it("reads an empty body", async () => {
    const response = new Response(200, { stream: asyncOnlyStream([]) });
    expect(await response.read()).toEqual(new Uint8Array(0));
    expect(response.text).toBe("");
  });

  it("counts raw bytes downloaded", async () => {
    const response = new Response(200, { content: streamingBody() });
    let previous = response.numBytesDownloaded;
    for await (const part of response.iterRaw()) {
      expect(part.byteLength).toBe(response.numBytesDownloaded - previous);
      previous = response.numBytesDownloaded;
    }
    expect(response.numBytesDownloaded).toBe(13);
  });

  it("replays the cached content through iterBytes, iterText and iterLines after a read", async () => {
    const response = new Response(200, { stream: asyncOnlyStream(["a\nb", "c\n"]) });
    await response.read();
    expect(texts(await collect(response.iterBytes()))).toEqual(["a\nbc\n"]);
    expect(texts(await collect(response.iterBytes(2)))).toEqual(["a\n", "bc", "\n"]);
    expect(await collect(response.iterText(4))).toEqual(["a\nbc", "\n"]);
    expect(await collect(response.iterLines())).toEqual(["a", "bc"]);
  });

  it("raises StreamConsumed for iterRaw after a read, and for a second read of a streamed body", async () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    await response.read();
    await expect(collect(response.iterRaw())).rejects.toThrow(StreamConsumed);

    const streamed = new Response(200, { content: asyncStreamingBody() });
    await collect(streamed.iterBytes());
    await expect(streamed.read()).rejects.toThrow(StreamConsumed);
  });

  it("raises StreamClosed for any iteration after close() without a read", async () => {
    const stream = asyncOnlyStream(["x"]);
    const response = new Response(200, { stream });
    await response.close();
    await response.close();
    expect(stream.closes).toBe(1);
    await expect(response.read()).rejects.toThrow(StreamClosed);
    await expect(collect(response.iterBytes())).rejects.toThrow(StreamClosed);
    await expect(collect(response.iterText())).rejects.toThrow(StreamClosed);
    await expect(collect(response.iterLines())).rejects.toThrow(StreamClosed);
    await expect(collect(response.iterRaw())).rejects.toThrow(StreamClosed);
  });

  it("closes through Symbol.asyncDispose", async () => {
    const stream = asyncOnlyStream(["x"]);
    {
      await using response = new Response(200, { stream });
      expect(response.isClosed).toBe(false);
    }
    expect(stream.closes).toBe(1);
  });

  it("rejects a chunkSize that is not a positive integer", () => {
    const response = new Response(200, { content: "abc" });
    for (const size of [0, -1, 1.5, Number.NaN]) {
      expect(() => response.iterBytes(size)).toThrow(RangeError);
      expect(() => response.iterRawSync(size)).toThrow(RangeError);
    }
  });

  it("reads a ReadableStream body", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes("Hello, "));
        controller.enqueue(bytes("stream"));
        controller.close();
      },
    });
    const response = new Response(200, { content: body });
    expect(text(await response.read())).toBe("Hello, stream");
  });

  it("raises DecodingError from the constructor for a corrupt in-memory body, with the request", () => {
    const request = new Request("GET", "https://example.org");
    const headers = { "Content-Encoding": "gzip" };
    expect(() => new Response(200, { content: "xxxxxxxxxxxxxx", headers })).toThrow(DecodingError);
    try {
      new Response(200, { content: "xxxxxxxxxxxxxx", headers, request });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DecodingError);
      expect((error as DecodingError).request).toBe(request);
      expect((error as DecodingError).cause).toBeInstanceOf(Error);
    }
  });

  it("does not hand out elapsed before it is set", () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    expect(() => response.elapsed).toThrow(
      "'.elapsed' may only be accessed after the response has been read or closed.",
    );
    response.elapsed = 12.5;
    expect(response.elapsed).toBe(12.5);
  });
});

describe("chunking", () => {
  const makers = {
    async: (chunks: readonly string[]) => new Response(200, { stream: asyncOnlyStream(chunks) }),
    sync: (chunks: readonly string[]) => new Response(200, { stream: syncStream(chunks) }),
  };
  const iterate = {
    async: (response: Response, size?: number) => collect(response.iterBytes(size)),
    sync: async (response: Response, size?: number) => [...response.iterBytesSync(size)],
  };
  const iterateRaw = {
    async: (response: Response, size?: number) => collect(response.iterRaw(size)),
    sync: async (response: Response, size?: number) => [...response.iterRawSync(size)],
  };

  const cases: [readonly string[], number | undefined, string[]][] = [
    [["Hello, ", "world!"], 5, ["Hello", ", wor", "ld!"]],
    [["Hello, ", "world!"], 7, ["Hello, ", "world!"]],
    [["Hello, ", "world!"], 13, ["Hello, world!"]],
    [["Hello, ", "world!"], 20, ["Hello, world!"]],
    [["Hello, ", "world!"], 1, [..."Hello, world!"]],
    [["abcd", "ef", "gh"], 4, ["abcd", "efgh"]],
    [["abcdefgh"], 2, ["ab", "cd", "ef", "gh"]],
    [["x"], 1, ["x"]],
    [["x"], 3, ["x"]],
    [[], 3, []],
    [[""], 3, []],
    [["Hello, ", "", "world!", ""], undefined, ["Hello, ", "world!"]],
    [[], undefined, []],
  ];

  for (const mode of ["async", "sync"] as const) {
    it.each(cases)(`${mode} iterBytes of %j by %s`, async (chunks, size, expected) => {
      expect(texts(await iterate[mode](makers[mode](chunks), size))).toEqual(expected);
    });
    it.each(cases)(`${mode} iterRaw of %j by %s`, async (chunks, size, expected) => {
      expect(texts(await iterateRaw[mode](makers[mode](chunks), size))).toEqual(expected);
    });
  }

  it.each([
    ["Hello, world!", 5, ["Hello", ", wor", "ld!"]],
    ["Hello, world!!", 7, ["Hello, ", "world!!"]],
    ["Hello, world!", 13, ["Hello, world!"]],
    ["Hello, world!", 20, ["Hello, world!"]],
    ["\u{1f600}a\u{1f600}b", 1, ["\u{1f600}", "a", "\u{1f600}", "b"]],
    ["\u{1f600}a\u{1f600}b", 3, ["\u{1f600}a\u{1f600}", "b"]],
    ["", 3, []],
  ])("iterText of %j by %i counts characters", async (body, size, expected) => {
    expect(await collect(new Response(200, { content: body }).iterText(size))).toEqual(expected);
    expect([...new Response(200, { stream: syncStream([body]) }).iterTextSync(size)]).toEqual(expected);
  });

  it("decodes a character split across chunks", async () => {
    const snowman = bytes("\u2603");
    const stream = {
      async *[Symbol.asyncIterator]() {
        yield snowman.subarray(0, 1);
        yield snowman.subarray(1);
      },
    };
    expect(await collect(new Response(200, { stream }).iterText())).toEqual(["\u2603"]);
  });

  it("hands out views of the content when replaying, not copies", () => {
    const response = new Response(200, { content: "abcdef" });
    const chunks = [...response.iterBytesSync(2)];
    expect(chunks.every((chunk) => chunk.buffer === response.content.buffer)).toBe(true);
  });
});

describe("iterLines", () => {
  it.each([
    [[""], []],
    [
      ["", "a\n\nb\nc"],
      ["a", "", "b", "c"],
    ],
    [
      ["", "12345\n", "foo ", "bar ", "baz\n"],
      ["12345", "foo bar baz"],
    ],
    [
      ["", "a\r\rb\rc"],
      ["a", "", "b", "c"],
    ],
    [
      ["", "a\r\rb\rc\r"],
      ["a", "", "b", "c"],
    ],
    [
      ["", "12345\r", "foo ", "bar ", "baz\r"],
      ["12345", "foo bar baz"],
    ],
    [
      ["", "a\r\n\r\nb\r\nc"],
      ["a", "", "b", "c"],
    ],
    [
      ["", "a\r\n\r\nb\r\nc\r\n"],
      ["a", "", "b", "c"],
    ],
    [
      ["", "a\r", "\n\r\nb\r\nc"],
      ["a", "", "b", "c"],
    ],
    [
      ["", "12345\r\n", "foo bar baz\r\n"],
      ["12345", "foo bar baz"],
    ],
    [
      ["a\r", "\r", "b"],
      ["a", "", "b"],
    ],
    [["a\n\r"], ["a", ""]],
    [["\n"], [""]],
    [["no newline"], ["no newline"]],
    [
      ["one\ntwo", " halves\nthree"],
      ["one", "two halves", "three"],
    ],
    [["tab\u2028not a break\x0cnor this"], ["tab\u2028not a break\x0cnor this"]],
  ])("splits %j into %j", async (chunks, expected) => {
    expect(await collect(new Response(200, { content: chunks.map(bytes) }).iterLines())).toEqual(expected);
    expect([...new Response(200, { content: chunks.map(bytes) }).iterLinesSync()]).toEqual(expected);
  });
});

describe("sync twins", () => {
  it("read a sync stream and close it once", () => {
    const stream = syncStream(["Hello, ", "world!"]);
    const response = new Response(200, { stream });
    expect(text(response.readSync())).toBe("Hello, world!");
    expect(response.text).toBe("Hello, world!");
    expect(response.isClosed).toBe(true);
    response.closeSync();
    expect(stream.closes).toBe(1);
    expect(texts([...response.iterBytesSync()])).toEqual(["Hello, world!"]);
    expect(() => [...response.iterRawSync()]).toThrow(StreamConsumed);
  });

  it("raise a clear error on an async-only stream, without consuming it", async () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    expect(() => response.readSync()).toThrow(/async-only/);
    expect(() => [...response.iterBytesSync()]).toThrow(/async-only/);
    expect(() => response.closeSync()).toThrow(/async-only/);
    expect(text(await response.read())).toBe("Hello, world!");
  });

  it("raise StreamClosed after closeSync", () => {
    const response = new Response(200, { stream: syncStream(["x"]) });
    response.closeSync();
    expect(() => response.readSync()).toThrow(StreamClosed);
    expect(() => [...response.iterLinesSync()]).toThrow(StreamClosed);
  });

  it("close through Symbol.dispose", () => {
    const stream = syncStream(["x"]);
    {
      using response = new Response(200, { stream });
      expect(response.isClosed).toBe(false);
    }
    expect(stream.closes).toBe(1);
  });

  it("serve the async methods too", async () => {
    const response = new Response(200, { stream: syncStream(["a", "b"]) });
    expect(await collect(response.iterText())).toEqual(["a", "b"]);
  });
});

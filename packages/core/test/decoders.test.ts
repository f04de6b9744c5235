// The built-in (fflate) decoders: this file never imports @ferry/core/node, so no node:zlib decoder is registered.
import * as zlib from "node:zlib";
import { DecodingError, Request, Response, registerDecoder, runtime, supportedEncodings } from "@ferry/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContentDecoder } from "../src/decoders.js";
import { ByteChunker, TextChunker } from "../src/response-stream.js";
import {
  createTextDecoder,
  guessJsonEncoding,
  LineDecoder,
  parseContentTypeCharset,
} from "../src/text-decoding.js";

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
const body = bytes("test 123 ".repeat(500));

/** Splits `data` into chunks of `size` bytes. */
function split(data: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < data.byteLength; offset += size)
    chunks.push(data.subarray(offset, offset + size));
  return chunks;
}

async function readStreamed(data: Uint8Array, encoding: string, size: number, request?: Request) {
  const chunks = split(data, size);
  const stream = {
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
  };
  return new Response(200, { stream, headers: { "Content-Encoding": encoding }, request }).read();
}

const compressed: Record<string, Uint8Array> = {
  gzip: zlib.gzipSync(body),
  "deflate (zlib)": zlib.deflateSync(body),
  "deflate (raw)": zlib.deflateRawSync(body),
};
const codingOf = (name: string) => name.split(" ")[0]!;

describe("built-in decoders", () => {
  it("are gzip and deflate", () => {
    expect(runtime.decoders.size).toBe(0);
    expect(supportedEncodings()).toEqual(["gzip", "deflate"]);
  });

  it.each(Object.keys(compressed))("decode %s in memory", (name) => {
    const response = new Response(200, {
      content: compressed[name]!,
      headers: { "Content-Encoding": codingOf(name) },
    });
    expect(response.content).toEqual(body);
  });

  it.each(Object.keys(compressed).flatMap((name) => [1, 2, 7, 4096].map((size) => [name, size] as const)))(
    "decode %s streamed in chunks of %i bytes",
    async (name, size) => {
      expect(await readStreamed(compressed[name]!, codingOf(name), size)).toEqual(body);
    },
  );

  it.each(Object.keys(compressed))("decode %s synchronously", (name) => {
    const chunks = split(compressed[name]!, 10);
    const response = new Response(200, { content: chunks, headers: { "Content-Encoding": codingOf(name) } });
    expect(response.readSync()).toEqual(body);
  });

  it("decode httpx's tiny bodies", () => {
    const tiny = bytes("test 123");
    for (const [coding, data] of [
      ["gzip", zlib.gzipSync(tiny)],
      ["deflate", zlib.deflateSync(tiny)],
      ["deflate", zlib.deflateRawSync(tiny, { level: 9 })],
    ] as const) {
      expect(new Response(200, { content: data, headers: { "Content-Encoding": coding } }).content).toEqual(
        tiny,
      );
    }
  });

  it("decode a gzip body of several members", () => {
    const data = new Uint8Array([...zlib.gzipSync(bytes("foo")), ...zlib.gzipSync(bytes("bar"))]);
    const response = new Response(200, { content: data, headers: { "Content-Encoding": "gzip" } });
    expect(response.text).toBe("foobar");
  });

  it.each(["gzip", "deflate"])("raise DecodingError for corrupt %s data", async (coding) => {
    const headers = { "Content-Encoding": coding };
    expect(() => new Response(200, { content: "xxxxxxxxxxxxxx", headers })).toThrow(DecodingError);
    expect(() => new Response(200, { content: "invalid", headers })).toThrow(DecodingError);
    const request = new Request("GET", "https://example.org");
    const error = await readStreamed(bytes("xxxxxxxxxxxxxx"), coding, 3, request).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DecodingError);
    expect((error as DecodingError).request).toBe(request);
    expect((error as DecodingError).message).toMatch(
      new RegExp(`^Failed to decode the ${coding} response body: `),
    );
    expect((error as DecodingError).cause).toBeInstanceOf(Error);
  });

  it.each(Object.keys(compressed))("raise DecodingError for a truncated %s body", async (name) => {
    const data = compressed[name]!;
    await expect(readStreamed(data.subarray(0, data.byteLength - 10), codingOf(name), 100)).rejects.toThrow(
      DecodingError,
    );
  });

  it.each(["gzip", "deflate", "identity", "br", "zstd"])(
    "accept an empty body with Content-Encoding %s",
    (coding) => {
      const response = new Response(200, {
        content: new Uint8Array(0),
        headers: { "Content-Encoding": coding },
      });
      expect(response.content).toEqual(new Uint8Array(0));
    },
  );
});

describe("Content-Encoding", () => {
  it("undoes stacked codings in reverse order", () => {
    const data = zlib.gzipSync(zlib.deflateRawSync(body));
    const response = new Response(200, { content: data, headers: { "Content-Encoding": "deflate, gzip" } });
    expect(response.content).toEqual(body);
  });

  it("reads stacked codings from repeated headers, in order", async () => {
    const data = zlib.gzipSync(zlib.deflateSync(body));
    const headers: [string, string][] = [
      ["Content-Encoding", "deflate"],
      ["Content-Encoding", "gzip"],
    ];
    const stream = {
      async *[Symbol.asyncIterator]() {
        yield* split(data, 5);
      },
    };
    expect(await new Response(200, { stream, headers }).read()).toEqual(body);
  });

  it.each([["identity"], ["invalid-header"], ["br"], ["identity, gzip, identity"], [" GZIP "]])(
    "passes unknown codings and identity through (%s)",
    (header) => {
      const data = header.toLowerCase().includes("gzip") ? zlib.gzipSync(body) : body;
      expect(new Response(200, { content: data, headers: { "Content-Encoding": header } }).content).toEqual(
        body,
      );
    },
  );

  it("builds no decoder when there is nothing to undo", () => {
    expect(createContentDecoder([])).toBeNull();
    expect(createContentDecoder(["identity", " "])).toBeNull();
    expect(createContentDecoder(["x-unknown"])).toBeNull();
    expect(createContentDecoder(["gzip"])).not.toBeNull();
  });

  it("leaves the raw bytes to iterRaw and counts them", async () => {
    const data = compressed["gzip"]!;
    const stream = {
      async *[Symbol.asyncIterator]() {
        yield* split(data, 100);
      },
    };
    const response = new Response(200, { stream, headers: { "Content-Encoding": "gzip" } });
    const raw: Uint8Array[] = [];
    for await (const chunk of response.iterRaw()) raw.push(chunk);
    expect(raw.reduce((total, chunk) => total + chunk.byteLength, 0)).toBe(data.byteLength);
    expect(response.numBytesDownloaded).toBe(data.byteLength);
  });

  it("prefers a registered decoder, and lists extra codings after the standard ones", () => {
    const calls: string[] = [];
    registerDecoder("gzip", () => ({
      decode: (data) => {
        calls.push("decode");
        return data;
      },
      flush: () => new Uint8Array(0),
    }));
    registerDecoder("x-reverse", () => ({
      decode: (data) => data.toReversed(),
      flush: () => new Uint8Array(0),
    }));
    try {
      expect(new Response(200, { content: "abc", headers: { "Content-Encoding": "gzip" } }).text).toBe("abc");
      expect(calls).toEqual(["decode"]);
      expect(new Response(200, { content: "abc", headers: { "Content-Encoding": "x-reverse" } }).text).toBe(
        "cba",
      );
      expect(supportedEncodings()).toEqual(["gzip", "deflate", "x-reverse"]);
    } finally {
      runtime.decoders.clear();
    }
  });

  it("wraps a registered decoder's failure in DecodingError", () => {
    registerDecoder("x-broken", () => ({
      decode: () => {
        throw new TypeError("boom");
      },
      flush: () => new Uint8Array(0),
    }));
    try {
      const attempt = () =>
        new Response(200, { content: "abc", headers: { "Content-Encoding": "x-broken" } });
      expect(attempt).toThrow(new DecodingError("Failed to decode the x-broken response body: boom"));
    } finally {
      runtime.decoders.clear();
    }
  });

  it("decodes while streaming: output comes before the body ends", async () => {
    const noisy = Uint8Array.from({ length: 20_000 }, (_, index) => (index * 7919) % 251);
    const data = zlib.gzipSync(noisy);
    let sent = 0;
    const stream = {
      async *[Symbol.asyncIterator]() {
        for (const chunk of split(data, 64)) {
          sent += chunk.byteLength;
          yield chunk;
        }
      },
    };
    const response = new Response(200, { stream, headers: { "Content-Encoding": "gzip" } });
    for await (const _chunk of response.iterBytes()) {
      expect(sent).toBeLessThan(data.byteLength);
      break;
    }
  });
});

describe("text decoding", () => {
  it.each([
    [["Hello,", " world!"], "ascii", "Hello, world!"],
    [["\xe3\x83", "\x88\xe3\x83\xa9", "\xe3", "\x83\x99\xe3\x83\xab"], "utf-8", "トラベル"],
    [["\x83g", "\x83", "\x89\x83x\x83\x8b"], "shift-jis", "トラベル"],
    [["Euro character: \x88! "], "cp1252", "Euro character: ˆ! "],
    [["Accented: \xd6sterreich"], "iso-8859-1", "Accented: Österreich"],
  ])("decodes %j as %s across chunk boundaries", async (chunks, encoding, expected) => {
    const content = chunks.map((chunk) => Uint8Array.from(chunk, (char) => char.charCodeAt(0)));
    const response = new Response(200, {
      content,
      headers: { "Content-Type": `text/plain; charset=${encoding}` },
    });
    let text = "";
    for await (const part of response.iterText()) text += part;
    expect(text).toBe(expected);
  });

  it("decodes UTF-32 split anywhere, with a byte order mark choosing the order", () => {
    const data = new Uint8Array([0, 0, 0xfe, 0xff, 0, 0, 0, 0x41, 0, 1, 0xf6, 0x00, 0, 0, 0, 0x42]);
    for (let cut = 0; cut <= data.byteLength; cut++) {
      const decoder = createTextDecoder("utf-32");
      const text =
        decoder.decode(data.subarray(0, cut)) + decoder.decode(data.subarray(cut)) + decoder.flush();
      expect(text).toBe("A\u{1f600}B");
    }
  });

  it("replaces invalid UTF-32 code points and a trailing partial unit", () => {
    const decoder = createTextDecoder("utf-32le");
    expect(decoder.decode(new Uint8Array([0x00, 0xd8, 0, 0, 0xff, 0xff, 0x11, 0, 0x41]))).toBe(
      "\ufffd\ufffd",
    );
    expect(decoder.flush()).toBe("\ufffd");
  });

  it("reads Python's bare utf-16 by its byte order mark", () => {
    const be = createTextDecoder("utf-16");
    expect(be.decode(new Uint8Array([0xfe])) + be.decode(new Uint8Array([0xff, 0, 0x41])) + be.flush()).toBe(
      "A",
    );
    const le = createTextDecoder("UTF_16");
    expect(le.decode(new Uint8Array([0x41, 0])) + le.flush()).toBe("A");
  });

  it("falls back to utf-8 for an unknown label", () => {
    expect(createTextDecoder("nope").decode(bytes("\u2603"))).toBe("\u2603");
  });

  it.each([
    ["text/plain; charset=UTF-8", "utf-8"],
    ['text/plain; charset="latin-1"', "latin-1"],
    ["text/plain;charset=utf-16 ; format=flowed", "utf-16"],
    ["text/plain; format=flowed", null],
    ["application/json, charset=utf-16", null],
    ["text/plain; charset=", null],
    ["text/plain", null],
  ])("reads the charset of %j", (contentType, expected) => {
    expect(parseContentTypeCharset(contentType)).toBe(expected);
  });

  it.each([
    [[0xef, 0xbb, 0xbf, 0x7b], "utf-8"],
    [[0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0], "utf-32"],
    [[0, 0, 0xfe, 0xff], "utf-32"],
    [[0xff, 0xfe, 0x7b, 0], "utf-16"],
    [[0xfe, 0xff, 0, 0x7b], "utf-16"],
    [[0, 0, 0, 0x7b], "utf-32be"],
    [[0x7b, 0, 0, 0], "utf-32le"],
    [[0, 0x7b, 0, 0x7d], "utf-16be"],
    [[0x7b, 0, 0x7d, 0], "utf-16le"],
    [[0, 0x31], "utf-16be"],
    [[0x31, 0], "utf-16le"],
    [[0x7b, 0x7d], "utf-8"],
    [[], "utf-8"],
  ])("guesses the JSON encoding of %j as %s", (data, expected) => {
    expect(guessJsonEncoding(new Uint8Array(data))).toBe(expected);
  });
});

describe("chunkers and line splitting, for any way the input is cut", () => {
  const cuts = (length: number) => fc.array(fc.integer({ min: 0, max: length }), { maxLength: 8 });

  function cutAt<T extends { slice(start: number, end?: number): T }>(
    value: T,
    length: number,
    at: number[],
  ): T[] {
    const points = [0, ...[...new Set(at)].sort((a, b) => a - b), length];
    return points.slice(1).map((end, index) => value.slice(points[index]!, end));
  }

  it("ByteChunker yields exact-size chunks that join back into the input", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 1, max: 10 }),
        cuts(64),
        (data, size, at) => {
          const chunker = new ByteChunker(size);
          const pieces = cutAt(
            data,
            data.byteLength,
            at.map((point) => Math.min(point, data.byteLength)),
          );
          const out = [...pieces.flatMap((piece) => chunker.push(piece)), ...chunker.flush()];
          expect(Buffer.concat(out)).toEqual(Buffer.from(data));
          expect(out.slice(0, -1).every((chunk) => chunk.byteLength === size)).toBe(true);
          expect(out.every((chunk) => chunk.byteLength > 0 && chunk.byteLength <= size)).toBe(true);
        },
      ),
    );
  });

  it("TextChunker yields chunks of exactly that many characters", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        (text, size) => {
          const chunker = new TextChunker(size);
          const characters = [...text];
          const out = [...characters.flatMap((character) => chunker.push(character)), ...chunker.flush()];
          expect(out.join("")).toBe(text);
          expect(out.slice(0, -1).every((chunk) => [...chunk].length === size)).toBe(true);
        },
      ),
    );
  });

  it("LineDecoder splits like a whole-text split on \\r\\n, \\r and \\n", () => {
    const alphabet = fc.constantFrom("a", "b", "\r", "\n", " ");
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join("")),
        cuts(40),
        (text, at) => {
          const decoder = new LineDecoder();
          const pieces = cutAt(
            text,
            text.length,
            at.map((point) => Math.min(point, text.length)),
          );
          const lines = [...pieces.flatMap((piece) => decoder.decode(piece)), ...decoder.flush()];
          const expected = text.split(/\r\n|\r|\n/);
          if (expected.at(-1) === "") expected.pop();
          expect(lines).toEqual(expected);
        },
      ),
    );
  });
});

describe("bodies a transport already decoded", () => {
  it("are not decoded again when extensions.decoded_content is true", async () => {
    const response = new Response(200, {
      stream: [body],
      headers: { "Content-Encoding": "gzip" },
      extensions: { decoded_content: true },
    });
    expect(await response.read()).toEqual(body);
  });

  it("are decoded when the flag is absent", async () => {
    const response = new Response(200, {
      stream: [zlib.gzipSync(body)],
      headers: { "Content-Encoding": "gzip" },
    });
    expect(await response.read()).toEqual(body);
  });
});

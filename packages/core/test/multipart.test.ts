import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { LocalProtocolError, StreamConsumed } from "../src/errors.js";
import {
  boundaryFromContentType,
  encodeMultipart,
  hasFiles,
  type MultipartStream,
  randomBoundary,
} from "../src/multipart.js";
import {
  type ByteStream,
  isSyncByteStream,
  readAll,
  readAllSync,
  type SyncByteStream,
} from "../src/streams.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const latin1 = (data: Uint8Array) => Buffer.from(data).toString("latin1");

async function body(stream: ByteStream): Promise<string> {
  return Buffer.from(await readAll(stream)).toString("utf8");
}

/** Encodes with the fixed boundary `BOUNDARY` and reads the whole body. */
async function encode(
  data: unknown,
  files: unknown,
): Promise<{ headers: Record<string, string>; text: string }> {
  const { headers, stream } = encodeMultipart(data, files, "BOUNDARY");
  return { headers: { ...headers }, text: await body(stream) };
}

/** The one file part of a body, between its headers and the closing delimiter. */
function part(disposition: string, lines: string[], content: string): string {
  return [
    "--BOUNDARY\r\n",
    `Content-Disposition: form-data; ${disposition}\r\n`,
    ...lines.map((line) => `${line}\r\n`),
    "\r\n",
    `${content}\r\n`,
    "--BOUNDARY--\r\n",
  ].join("");
}

describe("encodeMultipart", () => {
  it("encodes data fields, then files, byte for byte", async () => {
    const data = { a: "1", c: ["11", "22", "33"], d: "", e: true, f: null, g: 2.5 };
    const files = { file: ["name.txt", bytes("<file content>")] };
    const { headers, text } = await encode(data, files);
    const expected =
      '--BOUNDARY\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n' +
      '--BOUNDARY\r\nContent-Disposition: form-data; name="c"\r\n\r\n11\r\n' +
      '--BOUNDARY\r\nContent-Disposition: form-data; name="c"\r\n\r\n22\r\n' +
      '--BOUNDARY\r\nContent-Disposition: form-data; name="c"\r\n\r\n33\r\n' +
      '--BOUNDARY\r\nContent-Disposition: form-data; name="d"\r\n\r\n\r\n' +
      '--BOUNDARY\r\nContent-Disposition: form-data; name="e"\r\n\r\ntrue\r\n' +
      '--BOUNDARY\r\nContent-Disposition: form-data; name="f"\r\n\r\n\r\n' +
      '--BOUNDARY\r\nContent-Disposition: form-data; name="g"\r\n\r\n2.5\r\n' +
      '--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="name.txt"\r\n' +
      "Content-Type: text/plain\r\n\r\n<file content>\r\n" +
      "--BOUNDARY--\r\n";
    expect(text).toBe(expected);
    expect(headers).toEqual({
      "Content-Length": String(expected.length),
      "Content-Type": "multipart/form-data; boundary=BOUNDARY",
    });
  });

  it("names a bare file 'upload' and labels it application/octet-stream", async () => {
    const { headers, text } = await encode(null, { file: bytes("<file content>") });
    expect(text).toBe(
      part('name="file"; filename="upload"', ["Content-Type: application/octet-stream"], "<file content>"),
    );
    // httpx counts 138 bytes with the boundary "+++"; "BOUNDARY" is five characters longer, twice.
    expect(headers["Content-Length"]).toBe("148");
  });

  it("sends several files under one name from the list form", async () => {
    const { text } = await encode({}, [
      ["file", bytes("<file content 1>")],
      ["file", bytes("<file content 2>")],
    ]);
    expect(text.split('name="file"; filename="upload"').length).toBe(3);
    expect(text).toContain("<file content 1>\r\n--BOUNDARY\r\n");
    expect(text.endsWith("<file content 2>\r\n--BOUNDARY--\r\n")).toBe(true);
  });

  it("sends text file content as UTF-8", async () => {
    const { headers, text } = await encode({}, { file: ["test.txt", "<str content> é", "text/plain"] });
    expect(text).toBe(
      part('name="file"; filename="test.txt"', ["Content-Type: text/plain"], "<str content> é"),
    );
    expect(headers["Content-Length"]).toBe(String(bytes(text).byteLength));
  });

  it("sends a part without filename or guessed type when the filename is null", async () => {
    const { text } = await encode({}, { file: [null, bytes("<file content>")] });
    expect(text).toBe(part('name="file"', [], "<file content>"));
  });

  it("keeps an explicit content type even without a filename", async () => {
    const { text } = await encode({}, { file: [null, bytes("x"), "image/png"] });
    expect(text).toBe(part('name="file"', ["Content-Type: image/png"], "x"));
  });

  it.each([
    ["example.json", "application/json"],
    ["example.txt", "text/plain"],
    ["EXAMPLE.PNG", "image/png"],
    ["photo.jpeg", "image/jpeg"],
    ["archive.tar.gz", "application/gzip"],
    ["font.woff2", "font/woff2"],
    ["module.mjs", "text/javascript"],
    ["no-extension", "application/octet-stream"],
    [".hidden", "application/octet-stream"],
    ["strange.unknownext", "application/octet-stream"],
  ])("guesses the content type of %s as %s", async (filename, contentType) => {
    const { text } = await encode({}, { file: [filename, bytes("x")] });
    expect(text).toContain(`filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  });

  it("puts a file's own headers before its Content-Type", async () => {
    const { text } = await encode(
      {},
      { file: ["test.txt", bytes("<file content>"), null, { Expires: "0" }] },
    );
    expect(text).toBe(
      part('name="file"; filename="test.txt"', ["Expires: 0", "Content-Type: text/plain"], "<file content>"),
    );
  });

  it("lets a Content-Type among a file's headers win over the tuple's content type", async () => {
    const files = {
      file: ["test.txt", bytes("<file content>"), "text/plain", [["content-type", "image/png"]]],
    };
    const { text } = await encode({}, files);
    expect(text).toBe(
      part('name="file"; filename="test.txt"', ["content-type: image/png"], "<file content>"),
    );
  });

  it.each([
    ["a quote", 'a"b', "a%22b"],
    ["a backslash", "hello\\world", "hello\\\\world"],
    ["both", 'hello\\world"', "hello\\\\world%22"],
    ["control characters but ESC", "hello\x1a\x1b\x1c\x00\x1f", "hello%1A\x1b%1C%00%1F"],
    ["CR and LF", "a\r\nb", "a%0D%0Ab"],
    ["non-ASCII, as UTF-8", "näme", "näme"],
    ["plain ASCII", "name", "name"],
  ])("escapes %s in file names and field names", async (_, raw, escaped) => {
    const { stream } = encodeMultipart({ [raw]: "v" }, { upload: [raw, bytes("c")] }, "BOUNDARY");
    const text = Buffer.from(await readAll(stream)).toString("utf8");
    expect(text).toContain(`Content-Disposition: form-data; name="${escaped}"\r\n`);
    expect(text).toContain(`name="upload"; filename="${escaped}"`);
  });

  it("generates a random 32-hex-character boundary and announces it", () => {
    const first = encodeMultipart({}, { file: bytes("x") });
    const second = encodeMultipart({}, { file: bytes("x") });
    const boundary = (first.stream as MultipartStream).boundary;
    expect(boundary).toMatch(/^[0-9a-f]{32}$/);
    expect(first.headers["Content-Type"]).toBe(`multipart/form-data; boundary=${boundary}`);
    expect((second.stream as MultipartStream).boundary).not.toBe(boundary);
    expect(randomBoundary()).toMatch(/^[0-9a-f]{32}$/);
  });

  it("is sync iterable, and readable again, when every part is in memory", async () => {
    const { stream } = encodeMultipart({ a: "1" }, { file: ["a.txt", "x"] }, "BOUNDARY");
    expect(isSyncByteStream(stream)).toBe(true);
    const once = latin1(readAllSync(stream as SyncByteStream));
    expect(latin1(await readAll(stream))).toBe(once);
    expect(latin1(readAllSync(stream as SyncByteStream))).toBe(once);
  });

  it("sends a large byte file as the caller's own array, without copying it", async () => {
    const large = new Uint8Array(1 << 20).fill(97);
    const { headers, stream } = encodeMultipart({}, { file: ["big.bin", large] }, "BOUNDARY");
    const chunks = [...(stream as SyncByteStream)];
    expect(chunks).toContain(large);
    expect(Number(headers["Content-Length"])).toBe(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  });
});

describe("encodeMultipart with streaming files", () => {
  it("streams a Blob with a known length, typed from the File", async () => {
    const file = new File(["<blob content>"], "data.csv", { type: "text/csv" });
    const { headers, stream } = encodeMultipart({}, { file }, "BOUNDARY");
    const expected = part('name="file"; filename="data.csv"', ["Content-Type: text/csv"], "<blob content>");
    expect(headers).toEqual({
      "Content-Length": String(expected.length),
      "Content-Type": "multipart/form-data; boundary=BOUNDARY",
    });
    expect(isSyncByteStream(stream)).toBe(false);
    expect(await body(stream)).toBe(expected);
    expect(await body(stream)).toBe(expected);
  });

  it("takes a Blob's type when no content type is given, and a tuple's over it", async () => {
    const blob = new Blob(["{}"], { type: "application/json" });
    expect((await encode({}, { file: blob })).text).toContain("Content-Type: application/json\r\n");
    expect((await encode({}, { file: ["x.bin", blob, "text/plain"] })).text).toContain(
      "Content-Type: text/plain\r\n",
    );
  });

  it("uses chunked encoding for a generator of unknown length", async () => {
    function* chunks(): Generator<Uint8Array> {
      yield bytes("Hello");
      yield bytes("World");
    }
    const { headers, text } = await encode({}, { file: chunks() });
    expect(headers).toEqual({
      "Transfer-Encoding": "chunked",
      "Content-Type": "multipart/form-data; boundary=BOUNDARY",
    });
    expect(text).toBe(
      part('name="file"; filename="upload"', ["Content-Type: application/octet-stream"], "HelloWorld"),
    );
  });

  it("raises StreamConsumed when a file given as a generator is sent twice", async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield bytes("once");
    }
    const { stream } = encodeMultipart({}, { file: chunks() }, "BOUNDARY");
    expect(await body(stream)).toContain("once");
    await expect(readAll(stream)).rejects.toThrow(StreamConsumed);
  });

  it("hands chunks of an async file on one at a time, never buffering the file", async () => {
    const chunkSize = 64 * 1024;
    const count = 64;
    let produced = 0;
    async function* largeFile(): AsyncGenerator<Uint8Array> {
      for (let index = 0; index < count; index++) {
        produced++;
        yield new Uint8Array(chunkSize).fill(index);
      }
    }
    const { headers, stream } = encodeMultipart({ field: "v" }, { file: ["big.bin", largeFile()] }, "B");
    expect(headers["Transfer-Encoding"]).toBe("chunked");
    expect(produced).toBe(0);
    let fileChunks = 0;
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      if (chunk.byteLength !== chunkSize) continue;
      // The generator has made exactly the chunk being handed on: nothing is read ahead or held.
      expect(produced).toBe(fileChunks + 1);
      expect(chunk[0]).toBe(fileChunks);
      fileChunks++;
    }
    expect(fileChunks).toBe(count);
  });

  describe("with a Node file stream", () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-multipart-"));
    const path = join(dir, "report.pdf");
    writeFileSync(path, "%PDF-1.7");
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("takes the file name from the stream's path", async () => {
      const { headers, text } = await encode({}, { file: createReadStream(path) });
      expect(headers["Transfer-Encoding"]).toBe("chunked");
      expect(text).toBe(
        part('name="file"; filename="report.pdf"', ["Content-Type: application/pdf"], "%PDF-1.7"),
      );
    });
  });
});

describe("encodeMultipart validation", () => {
  it.each([
    ["a number as file", { file: 42 }, /files\["file"\] must be a Uint8Array, string, Blob.*got number/],
    ["an object as file", { file: { a: 1 } }, /files\["file"\] must be .*got object/],
    ["a short tuple", { file: ["name.txt"] }, /files\["file"\] must be \[filename, content.*1 items/],
    [
      "a non-string content type",
      { file: ["a.txt", "x", 5] },
      /content type must be a string or null, got number/,
    ],
    ["a list entry that is no pair", [["file"]], /files entries must be \[name, file\] pairs/],
    ["a non-string field name", [[1, "x"]], /files field names must be strings, got number/],
    ["a string as files", "file", /files must be an object or a list.*string/],
  ])("rejects %s with a TypeError", (_, files, message) => {
    expect(() => encodeMultipart({}, files, "B")).toThrow(TypeError);
    expect(() => encodeMultipart({}, files, "B")).toThrow(message);
  });

  it.each([
    ["an object", { a: 1 }],
    ["a function", () => 1],
  ])("rejects a data value that is %s", (_, value) => {
    expect(() => encodeMultipart({ text: value }, { file: "x" }, "B")).toThrow(/data\["text"\] must be/);
  });

  it.each([
    ["a content type", { file: ["a.txt", "x", "text/plain\r\nX-Evil: 1"] }],
    ["a header value", { file: ["a.txt", "x", null, { "X-Note": "a\r\nb" }] }],
    ["a header name", { file: ["a.txt", "x", null, { "X Note": "a" }] }],
  ])("refuses CR/LF injection through %s with LocalProtocolError", (_, files) => {
    expect(() => encodeMultipart({}, files, "B")).toThrow(LocalProtocolError);
  });
});

describe("boundaryFromContentType", () => {
  it.each([
    "multipart/form-data; boundary=+++; charset=utf-8",
    "multipart/form-data; charset=utf-8; boundary=+++",
    "multipart/form-data; boundary=+++",
    "multipart/form-data; boundary=+++ ;",
    'multipart/form-data; boundary="+++"; charset=utf-8',
    'multipart/form-data; charset=utf-8; boundary="+++"',
    'multipart/form-data; boundary="+++"',
    'multipart/form-data; boundary="+++" ;',
    "multipart/form-data; BOUNDARY=+++",
  ])("reads the boundary from %s", (header) => {
    expect(boundaryFromContentType(header)).toBe("+++");
  });

  it.each([
    ["a multipart type without boundary", "multipart/form-data; charset=utf-8"],
    ["a trailing separator", "multipart/form-data; charset=utf-8; "],
    ["another type", "application/json; boundary=+++"],
    ["no header", undefined],
  ])("finds none in %s", (_, header) => {
    expect(boundaryFromContentType(header)).toBeUndefined();
  });
});

describe("hasFiles", () => {
  it.each([
    [{}, false],
    [[], false],
    [null, false],
    [undefined, false],
    [{ file: "x" }, true],
    [[["file", "x"]], true],
  ])("says whether %j holds files: %s", (files, expected) => {
    expect(hasFiles(files)).toBe(expected);
  });
});

describe("encodeMultipart properties", () => {
  const text = fc.string({ unit: "binary", maxLength: 40 });
  const fileValue = fc.oneof(
    text,
    fc.uint8Array({ maxLength: 64 }),
    fc.tuple(fc.option(text, { nil: null }), text),
    fc.tuple(text, fc.uint8Array({ maxLength: 64 }), fc.option(fc.constantFrom("text/plain", "image/png"))),
  );

  it("announces a Content-Length equal to the bytes sent, and keeps the framing intact", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null))),
        fc.array(fc.tuple(text, fileValue), { minLength: 1, maxLength: 4 }),
        async (data, files) => {
          const { headers, stream } = encodeMultipart(data, files, "BOUNDARY");
          const sent = await readAll(stream);
          expect(Number(headers["Content-Length"])).toBe(sent.byteLength);
          const dispositions = Buffer.from(sent)
            .toString("utf8")
            .split("\r\n")
            .filter((line) => line.startsWith("Content-Disposition: form-data; "));
          expect(dispositions.length).toBe(Object.keys(data).length + files.length);
          // Every name and file name stays inside its quotes, whatever characters it holds.
          for (const line of dispositions) {
            expect(line).toMatch(
              /^Content-Disposition: form-data; name="[^"\r\n]*"(; filename="[^"\r\n]*")?$/,
            );
          }
        },
      ),
    );
  });
});

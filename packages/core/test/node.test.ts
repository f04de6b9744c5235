// The node:zlib decoders and runtime services that importing @ferry/core/node registers.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { DecodingError, Request, Response, runtime, supportedEncodings } from "@ferry/core";
import "@ferry/core/node";
import { describe, expect, it } from "vitest";

const zlibApi = zlib as unknown as Record<string, ((data: Uint8Array) => Uint8Array) | undefined>;
const zstdCompress = zlibApi["zstdCompressSync"];
const hasZstd = typeof (zlib as unknown as Record<string, unknown>)["createZstdDecompress"] === "function";

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
// Varied enough that the compressed body spans many chunks and the decoded one several output buffers.
const body = Uint8Array.from({ length: 300_000 }, (_, index) =>
  index % 3 === 0 ? (index * 7919) % 251 : 97 + (index % 26),
);

const codings: [name: string, coding: string, compress: (data: Uint8Array) => Uint8Array][] = [
  ["gzip", "gzip", (data) => zlib.gzipSync(data)],
  ["deflate (zlib)", "deflate", (data) => zlib.deflateSync(data)],
  ["deflate (raw)", "deflate", (data) => zlib.deflateRawSync(data)],
  ["br", "br", (data) => zlib.brotliCompressSync(data)],
  ...(zstdCompress === undefined
    ? []
    : [["zstd", "zstd", zstdCompress] as [string, string, typeof zstdCompress]]),
];

function split(data: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < data.byteLength; offset += size)
    chunks.push(data.subarray(offset, offset + size));
  return chunks;
}

function streamOf(chunks: readonly Uint8Array[]) {
  return {
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
    *[Symbol.iterator]() {
      yield* chunks;
    },
  };
}

const decode = (data: Uint8Array, coding: string, size = data.byteLength || 1) =>
  new Response(200, { stream: streamOf(split(data, size)), headers: { "Content-Encoding": coding } }).read();

describe("node:zlib decoders", () => {
  it("are registered for gzip, deflate, br, and zstd where node:zlib has it", () => {
    const expected = ["gzip", "deflate", "br", ...(hasZstd ? ["zstd"] : [])];
    expect(supportedEncodings()).toEqual(expected);
    expect([...runtime.decoders.keys()].sort()).toEqual([...expected].sort());
  });

  it.each(
    codings.flatMap(([name, coding, compress]) =>
      [1, 7, 1000, 0].map((size) => [name, size, coding, compress] as const),
    ),
  )("decode %s in chunks of %i bytes (0: whole)", async (_name, size, coding, compress) => {
    const data = compress(body);
    expect(await decode(data, coding, size === 0 ? data.byteLength : size)).toEqual(body);
  });

  it.each(codings)("decode %s synchronously", (_name, coding, compress) => {
    const response = new Response(200, {
      stream: streamOf(split(compress(body), 333)),
      headers: { "Content-Encoding": coding },
    });
    expect(response.readSync()).toEqual(body);
  });

  it.each(codings)("decode %s in memory, as httpx's tiny bodies", (_name, coding, compress) => {
    const tiny = bytes("test 123");
    expect(
      new Response(200, { content: compress(tiny), headers: { "Content-Encoding": coding } }).content,
    ).toEqual(tiny);
  });

  it("decode httpx's hand-made brotli body", () => {
    const data = new Uint8Array([0x8b, 0x03, 0x80, ...bytes("test 123"), 0x03]);
    for (const header of ["br", "br, identity", "identity, br"]) {
      expect(new Response(200, { content: data, headers: { "Content-Encoding": header } }).text).toBe(
        "test 123",
      );
    }
  });

  it("undo stacked gzip, br in reverse order", async () => {
    const data = zlib.brotliCompressSync(zlib.gzipSync(body));
    expect(await decode(data, "gzip, br", 500)).toEqual(body);
  });

  it("undo deflate, gzip in reverse order", () => {
    const data = zlib.gzipSync(zlib.deflateRawSync(bytes("test 123")));
    expect(new Response(200, { content: data, headers: { "Content-Encoding": "deflate, gzip" } }).text).toBe(
      "test 123",
    );
  });

  it("decode every member of a multi-member gzip body", async () => {
    const data = new Uint8Array([...zlib.gzipSync(bytes("foo")), ...zlib.gzipSync(bytes("bar"))]);
    expect(new TextDecoder().decode(await decode(data, "gzip", 3))).toBe("foobar");
  });

  it.skipIf(!hasZstd)("decode every frame of a zstd body, skipping skippable frames", async () => {
    const skippable = new Uint8Array([0x50, 0x2a, 0x4d, 0x18, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const data = new Uint8Array([
      ...zstdCompress!(bytes("foo")),
      ...skippable,
      ...zstdCompress!(bytes("bar")),
    ]);
    for (const size of [1, 5, data.byteLength]) {
      expect(new TextDecoder().decode(await decode(data, "zstd", size))).toBe("foobar");
    }
  });

  it("ignore data after the end of a deflate stream, as zlib does", async () => {
    const data = new Uint8Array([...zlib.deflateSync(bytes("done")), ...bytes("junk")]);
    expect(new TextDecoder().decode(await decode(data, "deflate", 2))).toBe("done");
  });

  it.each(["gzip", "deflate", "br", ...(hasZstd ? ["zstd"] : [])])(
    "raise DecodingError for corrupt %s data",
    async (coding) => {
      const headers = { "Content-Encoding": coding };
      expect(() => new Response(200, { content: "this_is_not_compressed_data", headers })).toThrow(
        DecodingError,
      );
      const request = new Request("GET", "https://example.org");
      const response = new Response(200, { stream: streamOf([bytes("xxxxxxxxxxxxxx")]), headers, request });
      const error = await response.read().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DecodingError);
      expect((error as DecodingError).request).toBe(request);
      expect((error as DecodingError).cause).toBeInstanceOf(Error);
    },
  );

  it.each(codings.filter(([name]) => name !== "zstd"))(
    "raise DecodingError for a truncated %s body",
    async (_name, coding, compress) => {
      const data = compress(body);
      await expect(decode(data.subarray(0, data.byteLength - 8), coding, 4096)).rejects.toThrow(
        DecodingError,
      );
    },
  );

  it.skipIf(!hasZstd)("raise DecodingError for a zstd body cut inside its header", async () => {
    await expect(decode(zstdCompress!(bytes("test 123")).subarray(1, 3), "zstd")).rejects.toThrow(
      DecodingError,
    );
  });

  it.each(["gzip", "deflate", "br", "zstd", "identity"])(
    "accept an empty body with Content-Encoding %s",
    async (coding) => {
      expect(
        new Response(200, { content: new Uint8Array(0), headers: { "Content-Encoding": coding } }).content,
      ).toEqual(new Uint8Array(0));
      expect(await decode(new Uint8Array(0), coding)).toEqual(new Uint8Array(0));
    },
  );

  it("decode many small bodies without leaking or failing", () => {
    const data = zlib.gzipSync(bytes("small body"));
    for (let index = 0; index < 2000; index++) {
      expect(new Response(200, { content: data, headers: { "Content-Encoding": "gzip" } }).text).toBe(
        "small body",
      );
    }
  });
});

describe("runtime services", () => {
  it("reads the process environment", () => {
    process.env["FERRY_NODE_TEST"] = "yes";
    try {
      expect(runtime.env?.()["FERRY_NODE_TEST"]).toBe("yes");
    } finally {
      delete process.env["FERRY_NODE_TEST"];
    }
  });

  it("reads text files and knows the home directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-"));
    try {
      const file = join(dir, "netrc");
      writeFileSync(file, "machine example.org login u password p\n");
      expect(runtime.readTextFile?.(file)).toBe("machine example.org login u password p\n");
      expect(runtime.homeDir?.()).toBe(homedir());
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startHttpServer, type TestServer } from "@ferry/test-servers";
import { Client, HTTPStatusError } from "ferry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DownloadProgress, downloadToFile, firstLines, readNdjson } from "./streaming-download.js";

const FILE = randomBytes(3 * 1024 * 1024 + 123);
const TEXT = Buffer.from("ferry ".repeat(200_000));
const GZIPPED = gzipSync(TEXT);
const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

let server: TestServer;
let directory: string;
let logClosed: Promise<void>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "ferry-download-"));
  let onLogClosed = (): void => {};
  logClosed = new Promise((resolve) => {
    onLogClosed = resolve;
  });
  server = await startHttpServer((req, res) => {
    switch (req.url) {
      case "/file": {
        res.writeHead(200, { "content-length": FILE.byteLength, "content-type": "application/octet-stream" });
        // Written in uneven pieces, so the client re-cuts them into its own chunk size.
        for (let offset = 0; offset < FILE.byteLength; offset += 100_000) {
          res.write(FILE.subarray(offset, offset + 100_000));
        }
        res.end();
        return;
      }
      case "/text.gz":
        res.writeHead(200, { "content-length": GZIPPED.byteLength, "content-encoding": "gzip" });
        res.end(GZIPPED);
        return;
      case "/chunked":
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.write("no ");
        res.end("length");
        return;
      case "/events":
        res.writeHead(200, { "content-type": "application/x-ndjson" });
        res.write('{"id":1}\n{"id"');
        res.write(':2}\r\n\n{"id":3}\n');
        res.end();
        return;
      case "/log":
        // A body that never ends: the server only stops when the client goes away.
        res.writeHead(200, { "content-type": "text/plain" });
        for (let line = 1; line <= 1000; line++) res.write(`line ${line}\n`);
        res.on("close", onLogClosed);
        return;
      default:
        res.writeHead(404).end("not found");
    }
  });
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

describe("downloadToFile", () => {
  it("writes the body to the file in chunks of the size asked for, reporting progress", async () => {
    await using client = new Client({ baseUrl: server.url });
    const path = join(directory, "file.bin");
    const progress: DownloadProgress[] = [];
    const written = await downloadToFile(client, "/file", path, {
      chunkSize: 256 * 1024,
      onProgress: (update) => progress.push(update),
    });
    expect(written).toBe(FILE.byteLength);
    expect(sha256(await readFile(path))).toBe(sha256(FILE));
    // 3 MiB + 123 bytes in 256 KiB chunks: twelve whole chunks and a short last one.
    expect(progress).toHaveLength(13);
    expect(progress.at(-1)).toEqual({ downloaded: FILE.byteLength, total: FILE.byteLength });
    expect(progress.every(({ total }) => total === FILE.byteLength)).toBe(true);
  });

  it("writes the decoded body of a gzip response; progress counts the bytes as sent", async () => {
    await using client = new Client({ baseUrl: server.url });
    const path = join(directory, "text.txt");
    const progress: DownloadProgress[] = [];
    const written = await downloadToFile(client, "/text.gz", path, { onProgress: (p) => progress.push(p) });
    expect(written).toBe(TEXT.byteLength);
    expect((await readFile(path)).equals(TEXT)).toBe(true);
    expect(progress.at(-1)).toEqual({ downloaded: GZIPPED.byteLength, total: GZIPPED.byteLength });
  });

  it("has no total without Content-Length", async () => {
    await using client = new Client({ baseUrl: server.url });
    const progress: DownloadProgress[] = [];
    await downloadToFile(client, "/chunked", join(directory, "chunked.bin"), {
      onProgress: (p) => progress.push(p),
    });
    expect(progress.at(-1)).toEqual({ downloaded: 9, total: null });
  });

  it("fails with HTTPStatusError on an error status, creating no file", async () => {
    await using client = new Client({ baseUrl: server.url });
    const path = join(directory, "missing.bin");
    const error = await downloadToFile(client, "/missing", path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).response.statusCode).toBe(404);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });
});

describe("readNdjson", () => {
  it("yields one record per line, whatever the chunks and line ends", async () => {
    await using client = new Client({ baseUrl: server.url });
    const ids: number[] = [];
    for await (const event of readNdjson<{ id: number }>(client, "/events")) ids.push(event.id);
    expect(ids).toEqual([1, 2, 3]);
  });
});

describe("firstLines", () => {
  it("returns the first lines of an endless body and closes the response, ending the transfer", async () => {
    await using client = new Client({ baseUrl: server.url });
    expect(await firstLines(client, "/log", 3)).toEqual(["line 1", "line 2", "line 3"]);
    await logClosed;
  });
});

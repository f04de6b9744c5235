/**
 * Streaming response bodies: a download written to a file chunk by chunk with progress, newline-delimited JSON read
 * record by record, and the first lines of an endless log, each without holding the whole body in memory.
 *
 * ```ts
 * await using client = new Client({ baseUrl: "https://downloads.example.com" });
 * await downloadToFile(client, "/big.iso", "big.iso", {
 *   onProgress: ({ downloaded, total }) => console.log(`${downloaded} of ${total ?? "?"} bytes`),
 * });
 * for await (const event of readNdjson<{ id: number }>(client, "/events")) console.log(event.id);
 * ```
 *
 * @module
 */
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Client } from "ferry";

/** How far a download has got: bytes received so far, and the size announced by `Content-Length` (or `null`). */
export interface DownloadProgress {
  downloaded: number;
  total: number | null;
}

/** Options of {@link downloadToFile}. */
export interface DownloadOptions {
  /** The size of the chunks written to the file; default 64 KiB. */
  chunkSize?: number;
  /** Called after each chunk. */
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * Downloads `url` into the file at `path` and resolves with the number of bytes written. Fails with
 * `HTTPStatusError` on an error status, before the file is created.
 */
export async function downloadToFile(
  client: Client,
  url: string,
  path: string,
  options: DownloadOptions = {},
): Promise<number> {
  const { chunkSize = 64 * 1024, onProgress } = options;
  // Closed at the end of the block, whether the body was read to the end or not.
  await using response = await client.stream("GET", url);
  response.raiseForStatus();
  // Content-Length and numBytesDownloaded both count the bytes as sent, before gzip or br decoding, so their
  // ratio is the true progress even when the file written is larger.
  const length = response.headers.get("content-length");
  const total = length === undefined ? null : Number(length);
  let written = 0;
  await pipeline(async function* () {
    for await (const chunk of response.iterBytes(chunkSize)) {
      yield chunk;
      written += chunk.byteLength;
      onProgress?.({ downloaded: response.numBytesDownloaded, total });
    }
  }, createWriteStream(path));
  return written;
}

/**
 * Reads a newline-delimited JSON body one record at a time. Stopping early (`break` out of the loop) closes the
 * response and releases its connection.
 */
export async function* readNdjson<T>(client: Client, url: string): AsyncGenerator<T> {
  await using response = await client.stream("GET", url);
  response.raiseForStatus();
  for await (const line of response.iterLines()) {
    if (line.trim() !== "") yield JSON.parse(line) as T;
  }
}

/**
 * The first `count` lines of a body that may never end, such as a live log. The callback form of `stream()`
 * closes the response once the callback settles, which ends the transfer.
 */
export function firstLines(client: Client, url: string, count: number): Promise<string[]> {
  return client.stream("GET", url, async (response) => {
    const lines: string[] = [];
    if (count <= 0) return lines;
    for await (const line of response.iterLines()) {
      lines.push(line);
      if (lines.length === count) break;
    }
    return lines;
  });
}

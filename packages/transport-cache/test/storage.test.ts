import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAsyncByteStream, Request, readAll } from "@ferry/core";
import { startHttpServer } from "@ferry/test-servers";
import {
  type CacheEntryMeta,
  type CacheStorage,
  CacheTransport,
  FileStorage,
  MemoryStorage,
} from "@ferry/transport-cache";
import { UndiciTransport } from "@ferry/transport-undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoringStream } from "../src/storing-stream.js";

const META: Omit<CacheEntryMeta, "size"> = {
  url: "http://example.com/a",
  status: 200,
  headers: [["Content-Type", "text/plain"]],
  extensions: {},
  policy: {} as CacheEntryMeta["policy"],
};
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = async (storage: CacheStorage, key: string): Promise<string | undefined> => {
  const entry = await storage.get(key);
  return entry === undefined ? undefined : new TextDecoder().decode(await readAll(entry.body()));
};

async function put(storage: CacheStorage, key: string, body: string): Promise<void> {
  const writer = await storage.open(key, { ...META, url: key });
  await writer.write(bytes(body));
  await writer.commit();
}

let directory = "";
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "ferry-cache-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe.each([
  ["MemoryStorage", () => new MemoryStorage()],
  ["FileStorage", () => new FileStorage({ directory })],
])("%s", (_name, create) => {
  it("stores an entry once committed, with its size", async () => {
    const storage = create();
    const writer = await storage.open("k", META);
    await writer.write(bytes("hello "));
    expect(await storage.get("k")).toBeUndefined();
    await writer.write(bytes("world"));
    await writer.commit();
    expect(await text(storage, "k")).toBe("hello world");
    expect((await storage.get("k"))!.meta.size).toBe(11);
  });

  it("discards an aborted entry and keeps the previous one", async () => {
    const storage = create();
    await put(storage, "k", "old");
    const writer = await storage.open("k", META);
    await writer.write(bytes("new, half"));
    await writer.abort();
    expect(await text(storage, "k")).toBe("old");
  });

  it("updates metadata and keeps the body; deletes", async () => {
    const storage = create();
    await put(storage, "k", "body");
    const entry = (await storage.get("k"))!;
    await storage.update("k", { ...entry.meta, status: 203 });
    expect((await storage.get("k"))!.meta.status).toBe(203);
    expect(await text(storage, "k")).toBe("body");
    await storage.delete("k");
    expect(await storage.get("k")).toBeUndefined();
  });
});

describe("MemoryStorage", () => {
  it("evicts the least recently used entry beyond maxEntries", async () => {
    const storage = new MemoryStorage({ maxEntries: 2 });
    await put(storage, "a", "A");
    await put(storage, "b", "B");
    await storage.get("a");
    await put(storage, "c", "C");
    expect(await storage.get("b")).toBeUndefined();
    expect(await text(storage, "a")).toBe("A");
    expect(await text(storage, "c")).toBe("C");
  });

  it("evicts by bytes, and never stores a body larger than maxBytes", async () => {
    const storage = new MemoryStorage({ maxBytes: 10 });
    await put(storage, "a", "12345");
    await put(storage, "b", "123456");
    expect(await storage.get("a")).toBeUndefined();
    expect(storage.bytes).toBe(6);
    await put(storage, "big", "12345678901");
    expect(await storage.get("big")).toBeUndefined();
    expect(storage.size).toBe(1);
  });

  it("rejects bad limits", () => {
    expect(() => new MemoryStorage({ maxEntries: 0 })).toThrow(
      "'maxEntries' must be a positive integer, got 0",
    );
  });
});

describe("FileStorage", () => {
  it("keeps entries across instances, as after a restart", async () => {
    await put(new FileStorage({ directory }), "http://example.com/a", "persisted");
    expect(await text(new FileStorage({ directory }), "http://example.com/a")).toBe("persisted");
  });

  it("leaves no trace of a write cut short, and serves the previous entry", async () => {
    const storage = new FileStorage({ directory });
    await put(storage, "k", "complete");
    const writer = await storage.open("k", META);
    await writer.write(bytes("torn"));
    // The process dies here: the writer is never committed or aborted.
    expect(await text(new FileStorage({ directory }), "k")).toBe("complete");
  });

  it("does not serve a body whose size does not match its metadata", async () => {
    const storage = new FileStorage({ directory });
    await put(storage, "k", "complete body");
    const body = (await readdir(directory)).find((name) => name.endsWith(".body"))!;
    await truncate(join(directory, body), 4);
    expect(await storage.get("k")).toBeUndefined();
  });

  it("ignores unreadable metadata", async () => {
    const storage = new FileStorage({ directory });
    await put(storage, "k", "complete");
    const meta = (await readdir(directory)).find((name) => name.endsWith(".json"))!;
    await writeFile(join(directory, meta), (await readFile(join(directory, meta), "utf8")).slice(0, 20));
    expect(await storage.get("k")).toBeUndefined();
  });

  it("removes the replaced body file", async () => {
    const storage = new FileStorage({ directory });
    await put(storage, "k", "one");
    await put(storage, "k", "two");
    expect((await readdir(directory)).sort().map((name) => name.split(".").pop())).toEqual(["body", "json"]);
  });

  it("serves hits after a restart through CacheTransport", async () => {
    let hits = 0;
    await using server = await startHttpServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { "cache-control": "max-age=60" }).end("from disk");
    });
    const send = async (): Promise<string> => {
      await using transport = new CacheTransport({
        transport: new UndiciTransport(),
        storage: new FileStorage({ directory }),
      });
      const response = await transport.handleRequest(new Request("GET", server.url));
      return `${new TextDecoder().decode(await response.read())} ${response.extensions["cache_status"]}`;
    };
    expect(await send()).toBe("from disk stored");
    expect(await send()).toBe("from disk hit");
    expect(hits).toBe(1);
  });

  it("needs a directory", () => {
    expect(() => new FileStorage({} as never)).toThrow("FileStorage needs { directory }");
  });
});

describe("StoringStream", () => {
  it("hands the storage the very chunks the reader gets, at the reader's pace", async () => {
    const written: Uint8Array[] = [];
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 3; i++) {
        pulled += 1;
        yield bytes(`chunk ${i}`);
      }
    }
    let committed = false;
    const stream = new StoringStream(source(), {
      write: (chunk) => void written.push(chunk),
      commit: async () => {
        committed = true;
      },
      abort: async () => {},
    });
    expect(isAsyncByteStream(stream)).toBe(true);
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(pulled).toBe(1);
    expect(written[0]).toBe(first.value);
    while (!(await iterator.next()).done);
    expect(written).toHaveLength(3);
    expect(committed).toBe(true);
  });

  it("discards the entry when the body fails or is closed early", async () => {
    let aborted = 0;
    const writer = {
      write: () => {},
      commit: async () => {},
      abort: async () => {
        aborted += 1;
      },
    };
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield bytes("x");
      throw new Error("reset");
    }
    await expect(readAll(new StoringStream(failing(), writer))).rejects.toThrow("reset");
    const closing = new StoringStream(failing(), writer);
    await closing.close();
    expect(aborted).toBe(2);
  });
});

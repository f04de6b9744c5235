/**
 * A bounded, least-recently-used cache storage in memory.
 *
 * @module
 */
import type { AsyncByteStream, SyncByteStream } from "@ferry/core";
import type { CacheEntry, CacheEntryMeta, CacheStorage, CacheWriter } from "./storage.js";

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /** The most entries kept. Default 1000. */
  maxEntries?: number;
  /** The most body bytes kept, all entries together; a larger body is not stored. Default 64 MiB. */
  maxBytes?: number;
}

interface Stored {
  meta: CacheEntryMeta;
  chunks: readonly Uint8Array[];
}

/** A stored body, replayable, readable both ways: the chunks are the ones that streamed past, not copies. */
class ChunksStream implements AsyncByteStream, SyncByteStream {
  readonly #chunks: readonly Uint8Array[];

  constructor(chunks: readonly Uint8Array[]) {
    this.#chunks = chunks;
  }

  [Symbol.iterator](): Iterator<Uint8Array> {
    return this.#chunks[Symbol.iterator]();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    yield* this.#chunks;
  }

  close(): void {}
}

function limit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`MemoryStorage option '${name}' must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/**
 * Keeps cache entries in memory, up to `maxEntries` entries and `maxBytes` of bodies, evicting the least recently
 * used first. A body is kept as the chunks that streamed past the reader, so a response being stored is never held
 * twice.
 *
 * ```ts
 * const storage = new MemoryStorage({ maxEntries: 500, maxBytes: 32 * 1024 * 1024 });
 * ```
 */
export class MemoryStorage implements CacheStorage {
  /** The most entries kept. */
  readonly maxEntries: number;
  /** The most body bytes kept. */
  readonly maxBytes: number;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  readonly #entries = new Map<string, Stored>();
  #bytes = 0;

  constructor(options: MemoryStorageOptions = {}) {
    this.maxEntries = limit("maxEntries", options.maxEntries, 1000);
    this.maxBytes = limit("maxBytes", options.maxBytes, 64 * 1024 * 1024);
  }

  /** How many entries are stored. */
  get size(): number {
    return this.#entries.size;
  }

  /** How many body bytes are stored. */
  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const stored = this.#entries.get(key);
    if (stored === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, stored);
    return { meta: stored.meta, body: () => new ChunksStream(stored.chunks) };
  }

  async open(key: string, meta: Omit<CacheEntryMeta, "size">): Promise<CacheWriter> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let done = false;
    return {
      write: (chunk) => {
        if (done) return;
        size += chunk.byteLength;
        if (size > this.maxBytes) {
          done = true;
          chunks.length = 0;
        } else chunks.push(chunk);
      },
      commit: async () => {
        if (done) return;
        done = true;
        this.#put(key, { meta: { ...meta, size }, chunks });
      },
      abort: async () => {
        done = true;
        chunks.length = 0;
      },
    };
  }

  async update(key: string, meta: CacheEntryMeta): Promise<void> {
    const stored = this.#entries.get(key);
    if (stored !== undefined) stored.meta = meta;
  }

  async delete(key: string): Promise<void> {
    this.#remove(key);
  }

  #remove(key: string): void {
    const stored = this.#entries.get(key);
    if (stored === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= stored.meta.size;
  }

  #put(key: string, stored: Stored): void {
    this.#remove(key);
    this.#entries.set(key, stored);
    this.#bytes += stored.meta.size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.meta.size;
    }
  }
}

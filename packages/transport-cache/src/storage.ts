/**
 * Where a cache keeps its entries: the interface a storage implements, and the shape of what it stores.
 *
 * @module
 */
import type { ByteStream } from "@ferry/core";
import type CachePolicy from "http-cache-semantics";

/** What a cache entry records besides its body. JSON-serialisable, so a storage can write it anywhere. */
export interface CacheEntryMeta {
  /** The URL the response answered. */
  readonly url: string;
  /** The response's status code. */
  readonly status: number;
  /** The response's headers, in order, repeats kept. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The transport details kept with the response: `http_version`, `reason_phrase`, `decoded_content`. */
  readonly extensions: Readonly<Record<string, string | boolean>>;
  /** The freshness and validation state, as `http-cache-semantics` serialises it. */
  readonly policy: CachePolicy.CachePolicyObject;
  /** The body's length in bytes. */
  readonly size: number;
}

/** A stored entry: its metadata and a fresh stream of its body. */
export interface CacheEntry {
  readonly meta: CacheEntryMeta;
  /** Opens the stored body. Each call returns a new stream. */
  body(): ByteStream;
}

/**
 * Receives a body as it streams past, chunk by chunk. Nothing is visible to readers of the storage until
 * `commit()`; `abort()` discards what was written.
 */
export interface CacheWriter {
  write(chunk: Uint8Array): void | Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Where a cache keeps its entries, by key (the request URL). `MemoryStorage` and `FileStorage` implement it; a
 * storage on Redis or IndexedDB needs only these four methods.
 */
export interface CacheStorage {
  /** The entry stored under `key`, or `undefined`. */
  get(key: string): Promise<CacheEntry | undefined>;
  /** Starts writing a new entry under `key`; it replaces the old one when committed. */
  open(key: string, meta: Omit<CacheEntryMeta, "size">): Promise<CacheWriter>;
  /** Replaces the metadata of the entry under `key` (after a revalidation), keeping its body. */
  update(key: string, meta: CacheEntryMeta): Promise<void>;
  /** Removes the entry under `key`, if any. */
  delete(key: string): Promise<void>;
}

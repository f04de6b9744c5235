/**
 * `@ferry/transport-cache`: {@link CacheTransport}, a private HTTP cache (RFC 9111) in front of any transport, on
 * `http-cache-semantics`, with {@link MemoryStorage} and {@link FileStorage}.
 *
 * @packageDocumentation
 */
export {
  type CacheOptions,
  type CacheStatus,
  CacheTransport,
  type CacheTransportOptions,
} from "./cache-transport.js";
export { FileStorage, type FileStorageOptions } from "./file-storage.js";
export { MemoryStorage, type MemoryStorageOptions } from "./memory-storage.js";
export type { CacheEntry, CacheEntryMeta, CacheStorage, CacheWriter } from "./storage.js";

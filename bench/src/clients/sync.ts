/**
 * Blocking clients: Ferry's `SyncClient` (network I/O on a worker thread) and sync-fetch (a child process per
 * request), each asked for the small JSON document.
 *
 * @module
 */
import { createRequire } from "node:module";
import { SyncClient } from "ferry";

/** A blocking client under test. */
export interface SyncBenchClient {
  /** `GET path` and the parsed JSON body, blocking until it is in. */
  getJson(path: string): unknown;
  close(): void;
}

/** A blocking library under test. */
export interface SyncClientSpec {
  readonly name: string;
  readonly ferry?: boolean;
  create(origin: string): SyncBenchClient;
}

interface SyncFetchResponse {
  json(): unknown;
}
type SyncFetch = (url: string) => SyncFetchResponse;

/** Ferry's `SyncClient` with its default blocking transport. */
export const ferrySyncSpec: SyncClientSpec = {
  name: "ferry SyncClient",
  ferry: true,
  create(origin) {
    const client = new SyncClient();
    return {
      getJson: (path) => client.get(origin + path).json(),
      close: () => client.close(),
    };
  },
};

/** sync-fetch 0.6: node-fetch run in a child process for each request. */
export const syncFetchSpec: SyncClientSpec = {
  name: "sync-fetch",
  create(origin) {
    const syncFetch = createRequire(import.meta.url)("sync-fetch") as SyncFetch;
    return {
      getJson: (path) => syncFetch(origin + path).json(),
      close: () => {},
    };
  },
};

/** The blocking clients, Ferry last. */
export const SYNC_CLIENTS: readonly SyncClientSpec[] = [syncFetchSpec, ferrySyncSpec];

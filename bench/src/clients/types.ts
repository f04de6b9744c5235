/**
 * The one shape every client under test is driven through, so that each scenario runs the same code for all.
 *
 * @module
 */

/** Where a client sends its requests: an origin (no trailing slash), and the CA to trust for HTTPS. */
export interface Target {
  readonly origin: string;
  readonly http2: boolean;
  readonly ca: string;
}

/** A body source for streamed uploads: a fresh async iterable of chunks on each call. */
export type UploadSource = () => AsyncIterable<Uint8Array>;

/** One client under test, as a library's user would call it; every method reads the response body to its end. */
export interface BenchClient {
  /** `GET path` and the parsed JSON body. */
  getJson(path: string): Promise<unknown>;
  /** `POST path` with `body` serialised as JSON by the library, and the parsed JSON answer. */
  postJson(path: string, body: unknown): Promise<unknown>;
  /** `GET path` with the whole body buffered; resolves with its length. */
  getBytes(path: string): Promise<number>;
  /** `GET path` with the body streamed chunk by chunk and dropped; resolves with its length. */
  download(path: string): Promise<number>;
  /** `POST path` with a streamed body of unknown length; resolves with the parsed JSON answer. */
  upload(path: string, source: UploadSource): Promise<unknown>;
  close(): Promise<void>;
}

/** A library under test: its name, whether it can speak HTTP/2, and how to make a client for a target. */
export interface ClientSpec {
  readonly name: string;
  /** The module of `bench/dist/clients` that exports it, so that a child process loads only that library. */
  readonly source: string;
  /** True for the Ferry variants, whose ratio to every other client is reported. */
  readonly ferry?: boolean;
  readonly http2: boolean;
  create(target: Target): BenchClient;
}

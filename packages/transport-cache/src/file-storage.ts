/**
 * A cache storage in a directory: entries survive restarts, and a write cut short never leaves a torn entry.
 *
 * @module
 */
import type { AsyncByteStream } from "@ferry/core";
import type { CacheEntry, CacheEntryMeta, CacheStorage, CacheWriter } from "./storage.js";

type Fs = typeof import("node:fs/promises");
type FileHandle = Awaited<ReturnType<Fs["open"]>>;

/** Options of {@link FileStorage}. */
export interface FileStorageOptions {
  /** The directory entries are kept in; created when missing. */
  directory: string;
}

/** What the metadata file of an entry holds: the entry's metadata and the name of its body file. */
interface MetaFile {
  readonly version: 1;
  readonly body: string;
  readonly meta: CacheEntryMeta;
}

// Loaded on first use, so that importing the package costs nothing, and works, in runtimes without a file system.
let fsModule: Promise<Fs> | undefined;
const fs = (): Promise<Fs> => {
  fsModule ??= import("node:fs/promises");
  return fsModule;
};

async function digest(key: string): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function unique(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** Reads a body file chunk by chunk; closing it early releases the file. */
class FileBodyStream implements AsyncByteStream {
  readonly #path: string;
  #handle: FileHandle | undefined;
  #closed = false;

  constructor(path: string) {
    this.#path = path;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const handle = await (await fs()).open(this.#path, "r");
    this.#handle = handle;
    try {
      while (!this.#closed) {
        const buffer = new Uint8Array(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
        if (bytesRead === 0) return;
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}

/**
 * Keeps cache entries as files in a directory, so they survive restarts. Each entry is a body file and a metadata
 * file naming it. A body is written to a new file as it streams past; only once it is complete is the metadata file
 * replaced, by an atomic rename. A process killed mid-write leaves the previous entry intact (or none), never a torn
 * one, and a body whose size does not match its metadata is not served.
 *
 * ```ts
 * const storage = new FileStorage({ directory: ".cache/http" });
 * ```
 */
export class FileStorage implements CacheStorage {
  /** The directory entries are kept in. */
  readonly directory: string;
  #ready: Promise<unknown> | undefined;

  constructor(options: FileStorageOptions) {
    const directory = (options as Partial<FileStorageOptions> | undefined)?.directory;
    if (typeof directory !== "string" || directory === "") {
      throw new TypeError(`FileStorage needs { directory }: a path, got ${String(directory)}.`);
    }
    this.directory = directory.replace(/[\\/]+$/, "");
  }

  #path(name: string): string {
    return `${this.directory}/${name}`;
  }

  async #fs(): Promise<Fs> {
    const module = await fs();
    this.#ready ??= module.mkdir(this.directory, { recursive: true });
    await this.#ready;
    return module;
  }

  async #readMeta(name: string): Promise<MetaFile | undefined> {
    try {
      const parsed = JSON.parse(
        await (await this.#fs()).readFile(this.#path(`${name}.json`), "utf8"),
      ) as MetaFile;
      return parsed.version === 1 ? parsed : undefined;
    } catch {
      // Missing, or unreadable: either way there is no entry to serve.
      return undefined;
    }
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const name = await digest(key);
    const file = await this.#readMeta(name);
    if (file === undefined) return undefined;
    const bodyPath = this.#path(file.body);
    const stat = await (await this.#fs()).stat(bodyPath).catch(() => undefined);
    if (stat === undefined || stat.size !== file.meta.size) return undefined;
    return { meta: file.meta, body: () => new FileBodyStream(bodyPath) };
  }

  async open(key: string, meta: Omit<CacheEntryMeta, "size">): Promise<CacheWriter> {
    const module = await this.#fs();
    const name = await digest(key);
    const body = `${name}.${unique()}.body`;
    const handle = await module.open(this.#path(body), "w");
    let size = 0;
    let open = true;
    const finish = async (keep: boolean): Promise<boolean> => {
      if (!open) return false;
      open = false;
      // The body must be on disk before the metadata that names it is.
      if (keep) await handle.datasync();
      await handle.close();
      return true;
    };
    return {
      write: async (chunk) => {
        if (!open) return;
        size += chunk.byteLength;
        await handle.write(chunk);
      },
      commit: async () => {
        if (!(await finish(true))) return;
        const previous = await this.#readMeta(name);
        await this.#writeMeta(name, { version: 1, body, meta: { ...meta, size } });
        if (previous !== undefined && previous.body !== body) await this.#unlink(previous.body);
      },
      abort: async () => {
        if (await finish(false)) await this.#unlink(body);
      },
    };
  }

  async update(key: string, meta: CacheEntryMeta): Promise<void> {
    const name = await digest(key);
    const file = await this.#readMeta(name);
    if (file !== undefined) await this.#writeMeta(name, { ...file, meta });
  }

  async delete(key: string): Promise<void> {
    const name = await digest(key);
    const file = await this.#readMeta(name);
    await this.#unlink(`${name}.json`);
    if (file !== undefined) await this.#unlink(file.body);
  }

  /** Writes the metadata to a temporary file, then renames it over the old one: readers see one or the other. */
  async #writeMeta(name: string, file: MetaFile): Promise<void> {
    const module = await this.#fs();
    const temporary = this.#path(`${name}.${unique()}.tmp`);
    await module.writeFile(temporary, JSON.stringify(file));
    await module.rename(temporary, this.#path(`${name}.json`));
  }

  async #unlink(name: string): Promise<void> {
    await (await this.#fs()).rm(this.#path(name), { force: true });
  }
}

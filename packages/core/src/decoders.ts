/**
 * `Content-Encoding` decoding. Each coding has a synchronous, incremental {@link ContentDecoder}: the async
 * `Client` and the blocking `SyncClient` share them, and a body is decoded as it streams in.
 *
 * gzip and deflate are built in, on fflate (pure JavaScript, so they work in every runtime). A runtime's entry
 * point can register faster or extra decoders (`@ferry/core/node` adds node:zlib's gzip, deflate, br and zstd);
 * those take precedence. `identity` and codings nobody decodes pass through untouched, as in httpx.
 *
 * @module
 */
import { Gunzip, Inflate, Unzlib } from "fflate";
import { DecodingError } from "./errors.js";
import { type ContentDecoder, type DecoderFactory, runtime } from "./runtime.js";
import { concatBytes } from "./streams.js";

const EMPTY: Uint8Array = new Uint8Array(0);

/** The streaming inflaters of fflate: output arrives through `ondata` while `push` runs. */
interface FflateStream {
  push(chunk: Uint8Array, final?: boolean): void;
}

type FflateStreamConstructor = new (ondata: (chunk: Uint8Array, final: boolean) => void) => FflateStream;

/** Adapts one of fflate's callback-based streaming inflaters to the pull-style {@link ContentDecoder}. */
class FflateDecoder implements ContentDecoder {
  readonly #stream: FflateStream;
  #output: Uint8Array[] = [];

  constructor(Stream: FflateStreamConstructor) {
    this.#stream = new Stream((chunk) => {
      if (chunk.byteLength > 0) this.#output.push(chunk);
    });
  }

  decode(data: Uint8Array): Uint8Array {
    this.#stream.push(data, false);
    return this.#take();
  }

  flush(): Uint8Array {
    // Ending the stream makes fflate check that it was complete: a truncated body fails here.
    this.#stream.push(EMPTY, true);
    return this.#take();
  }

  #take(): Uint8Array {
    const output = this.#output;
    if (output.length === 0) return EMPTY;
    this.#output = [];
    return concatBytes(output);
  }
}

/** Whether two bytes open a zlib stream: deflate method, and a header checksum that is a multiple of 31. */
function isZlibHeader(first: number, second: number): boolean {
  return (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0;
}

/**
 * `deflate` as servers send it: RFC 9110 means zlib-wrapped data, but some servers send raw deflate. The first
 * two bytes tell them apart (httpx tries zlib and falls back to raw on the first error; reading the header
 * decides the same way, without depending on how the first chunk happens to be cut).
 */
export class DeflateDecoder implements ContentDecoder {
  readonly #zlib: () => ContentDecoder;
  readonly #raw: () => ContentDecoder;
  #inner: ContentDecoder | undefined;
  #head: Uint8Array = EMPTY;

  /** `zlib` decodes zlib-wrapped deflate, `raw` bare deflate: each makes a fresh decoder. */
  constructor(zlib: () => ContentDecoder, raw: () => ContentDecoder) {
    this.#zlib = zlib;
    this.#raw = raw;
  }

  decode(data: Uint8Array): Uint8Array {
    if (this.#inner !== undefined) return this.#inner.decode(data);
    const head = this.#head.byteLength === 0 ? data : concatBytes([this.#head, data]);
    if (head.byteLength < 2) {
      this.#head = head;
      return EMPTY;
    }
    this.#head = EMPTY;
    this.#inner = isZlibHeader(head[0]!, head[1]!) ? this.#zlib() : this.#raw();
    return this.#inner.decode(head);
  }

  flush(): Uint8Array {
    if (this.#inner === undefined) {
      // A lone byte cannot be a whole stream of either kind: let the raw decoder say what is wrong with it.
      this.#inner = this.#raw();
      const decoded = this.#inner.decode(this.#head);
      return concatBytes([decoded, this.#inner.flush()]);
    }
    return this.#inner.flush();
  }
}

/**
 * Wraps a coding's decoder: its failures become {@link DecodingError}s naming the coding, and an empty body is
 * accepted (a `304` or a `HEAD` response can carry `Content-Encoding: gzip` and no bytes at all).
 */
class CheckedDecoder implements ContentDecoder {
  readonly #name: string;
  readonly #inner: ContentDecoder;
  #seenData = false;

  constructor(name: string, inner: ContentDecoder) {
    this.#name = name;
    this.#inner = inner;
  }

  decode(data: Uint8Array): Uint8Array {
    if (data.byteLength === 0) return EMPTY;
    this.#seenData = true;
    try {
      return this.#inner.decode(data);
    } catch (error) {
      throw this.#failure(error);
    }
  }

  flush(): Uint8Array {
    if (!this.#seenData) return EMPTY;
    try {
      return this.#inner.flush();
    } catch (error) {
      throw this.#failure(error);
    }
  }

  #failure(error: unknown): DecodingError {
    if (error instanceof DecodingError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new DecodingError(`Failed to decode the ${this.#name} response body: ${reason}`, { cause: error });
  }
}

/** Several codings, listed in the order they were applied (as `Content-Encoding` lists them), undone in reverse. */
class MultiDecoder implements ContentDecoder {
  readonly #children: readonly ContentDecoder[];

  constructor(applied: readonly ContentDecoder[]) {
    this.#children = applied.toReversed();
  }

  decode(data: Uint8Array): Uint8Array {
    let output = data;
    for (const child of this.#children) output = child.decode(output);
    return output;
  }

  flush(): Uint8Array {
    // What one decoder releases at its end still has to pass through the decoders after it.
    let output = EMPTY;
    for (const child of this.#children) {
      const decoded = output.byteLength === 0 ? EMPTY : child.decode(output);
      output = concatBytes([decoded, child.flush()].filter((part) => part.byteLength > 0));
    }
    return output;
  }
}

const BUILTIN: ReadonlyMap<string, DecoderFactory> = new Map<string, DecoderFactory>([
  ["gzip", () => new FflateDecoder(Gunzip)],
  [
    "deflate",
    () =>
      new DeflateDecoder(
        () => new FflateDecoder(Unzlib),
        () => new FflateDecoder(Inflate),
      ),
  ],
]);

// The preference order of Accept-Encoding: the codings every server knows first.
const PREFERRED = ["gzip", "deflate", "br", "zstd"];

function decoderFactory(name: string): DecoderFactory | undefined {
  return runtime.decoders.get(name) ?? BUILTIN.get(name);
}

/**
 * Builds the decoder for a response's `Content-Encoding` values (`headers.getList("content-encoding", true)`),
 * or returns `null` when there is nothing to undo: no header, only `identity`, or only codings no decoder knows.
 */
export function createContentDecoder(codings: readonly string[]): ContentDecoder | null {
  const decoders: ContentDecoder[] = [];
  for (const coding of codings) {
    const name = coding.trim().toLowerCase();
    if (name === "" || name === "identity") continue;
    const factory = decoderFactory(name);
    if (factory !== undefined) decoders.push(new CheckedDecoder(name, factory()));
  }
  if (decoders.length === 0) return null;
  return decoders.length === 1 ? decoders[0]! : new MultiDecoder(decoders);
}

/**
 * The content codings this runtime can decode, for `Accept-Encoding`: gzip, deflate, br, zstd as available,
 * then any other registered coding.
 */
export function supportedEncodings(): string[] {
  const names = PREFERRED.filter((name) => decoderFactory(name) !== undefined);
  for (const name of runtime.decoders.keys()) {
    if (!names.includes(name) && name !== "identity") names.push(name);
  }
  return names;
}

/**
 * The stages a response body passes through while it is iterated: content decoding, text decoding, re-chunking
 * and line splitting. Each stage is a synchronous {@link Transform}, so one pipeline serves both the async
 * iterators of a `Response` and their blocking twins.
 *
 * @module
 */
import type { ContentDecoder } from "./runtime.js";
import { concatBytes } from "./streams.js";
import type { IncrementalTextDecoder, LineDecoder } from "./text-decoding.js";

/** A synchronous stage of a body pipeline: each input gives zero or more outputs, and the end may give more. */
export interface Transform<In, Out> {
  push(input: In): Out[];
  flush(): Out[];
}

/** Checks a `chunkSize` argument: absent, or a positive integer. */
export function checkChunkSize(chunkSize: number | undefined): void {
  if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize > 0)) {
    throw new RangeError(`chunkSize must be a positive integer, got ${String(chunkSize)}.`);
  }
}

/**
 * Re-cuts bytes into chunks of exactly `chunkSize` bytes (the last one may be shorter), or without a size passes
 * chunks through as they come, dropping empty ones. Chunks are views of their source where possible: bytes are
 * copied only to join the pieces of a chunk that straddles two inputs.
 */
export class ByteChunker implements Transform<Uint8Array, Uint8Array> {
  readonly #size: number | undefined;
  #pending: Uint8Array[] = [];
  #pendingLength = 0;

  constructor(chunkSize?: number) {
    this.#size = chunkSize;
  }

  push(data: Uint8Array): Uint8Array[] {
    if (data.byteLength === 0) return [];
    const size = this.#size;
    if (size === undefined) return [data];
    this.#pending.push(data);
    this.#pendingLength += data.byteLength;
    if (this.#pendingLength < size) return [];
    const buffer = concatBytes(this.#pending);
    const whole = buffer.byteLength - (buffer.byteLength % size);
    const chunks: Uint8Array[] = [];
    for (let offset = 0; offset < whole; offset += size) chunks.push(buffer.subarray(offset, offset + size));
    this.#pending = whole < buffer.byteLength ? [buffer.subarray(whole)] : [];
    this.#pendingLength = buffer.byteLength - whole;
    return chunks;
  }

  flush(): Uint8Array[] {
    const rest = concatBytes(this.#pending);
    this.#pending = [];
    this.#pendingLength = 0;
    return rest.byteLength > 0 ? [rest] : [];
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

function isPairAt(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  if (unit < 0xd800 || unit > 0xdbff) return false;
  const next = text.charCodeAt(index + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

/** Like {@link ByteChunker} for text: chunks of exactly `chunkSize` characters, a pair of surrogates counting one. */
export class TextChunker implements Transform<string, string> {
  readonly #size: number | undefined;
  #pending = "";

  constructor(chunkSize?: number) {
    this.#size = chunkSize;
  }

  push(text: string): string[] {
    if (text === "") return [];
    const size = this.#size;
    if (size === undefined) return [text];
    const buffer = this.#pending + text;
    const chunks: string[] = [];
    if (!SURROGATE.test(buffer)) {
      let offset = 0;
      for (; buffer.length - offset >= size; offset += size) chunks.push(buffer.slice(offset, offset + size));
      this.#pending = buffer.slice(offset);
      return chunks;
    }
    // Counting code points, so a character outside the BMP is never cut in half.
    let offset = 0;
    let count = 0;
    for (let index = 0; index < buffer.length; ) {
      index += isPairAt(buffer, index) ? 2 : 1;
      if (++count === size) {
        chunks.push(buffer.slice(offset, index));
        offset = index;
        count = 0;
      }
    }
    this.#pending = buffer.slice(offset);
    return chunks;
  }

  flush(): string[] {
    const rest = this.#pending;
    this.#pending = "";
    return rest === "" ? [] : [rest];
  }
}

/** Undoes `Content-Encoding` on each raw chunk; `onError` may replace what a decoder throws (to attach a request). */
export class ContentDecoding implements Transform<Uint8Array, Uint8Array> {
  readonly #decoder: ContentDecoder;
  readonly #onError: (error: unknown) => unknown;

  constructor(decoder: ContentDecoder, onError: (error: unknown) => unknown) {
    this.#decoder = decoder;
    this.#onError = onError;
  }

  push(data: Uint8Array): Uint8Array[] {
    let decoded: Uint8Array;
    try {
      decoded = this.#decoder.decode(data);
    } catch (error) {
      throw this.#onError(error);
    }
    return decoded.byteLength > 0 ? [decoded] : [];
  }

  flush(): Uint8Array[] {
    let decoded: Uint8Array;
    try {
      decoded = this.#decoder.flush();
    } catch (error) {
      throw this.#onError(error);
    }
    return decoded.byteLength > 0 ? [decoded] : [];
  }
}

/** Decodes bytes to text chunk by chunk, in the response's encoding. */
export class TextDecoding implements Transform<Uint8Array, string> {
  readonly #decoder: IncrementalTextDecoder;

  constructor(decoder: IncrementalTextDecoder) {
    this.#decoder = decoder;
  }

  push(data: Uint8Array): string[] {
    const text = this.#decoder.decode(data);
    return text === "" ? [] : [text];
  }

  flush(): string[] {
    const text = this.#decoder.flush();
    return text === "" ? [] : [text];
  }
}

/** Splits text into lines. */
export class LineSplitting implements Transform<string, string> {
  readonly #lines: LineDecoder;

  constructor(lines: LineDecoder) {
    this.#lines = lines;
  }

  push(text: string): string[] {
    return this.#lines.decode(text);
  }

  flush(): string[] {
    return this.#lines.flush();
  }
}

/** Two stages run one after the other; what the first flushes still passes through the second. */
export class Chain<In, Mid, Out> implements Transform<In, Out> {
  readonly #first: Transform<In, Mid>;
  readonly #second: Transform<Mid, Out>;

  constructor(first: Transform<In, Mid>, second: Transform<Mid, Out>) {
    this.#first = first;
    this.#second = second;
  }

  push(input: In): Out[] {
    const middle = this.#first.push(input);
    if (middle.length === 1) return this.#second.push(middle[0]!);
    return middle.flatMap((item) => this.#second.push(item));
  }

  flush(): Out[] {
    const outputs = this.#first.flush().flatMap((item) => this.#second.push(item));
    outputs.push(...this.#second.flush());
    return outputs;
  }
}

/** Runs an async (or sync) source through a transform. */
export async function* pipe<In, Out>(
  source: AsyncIterable<In>,
  transform: Transform<In, Out>,
): AsyncGenerator<Out, void, undefined> {
  for await (const input of source) {
    for (const output of transform.push(input)) yield output;
  }
  for (const output of transform.flush()) yield output;
}

/** Runs a sync source through a transform. */
export function* pipeSync<In, Out>(
  source: Iterable<In>,
  transform: Transform<In, Out>,
): Generator<Out, void, undefined> {
  for (const input of source) yield* transform.push(input);
  yield* transform.flush();
}

/** Replays bytes already in memory in chunks of `chunkSize` (all at once without one), as views, never copies. */
export function* replayBytes(
  content: Uint8Array,
  chunkSize: number | undefined,
): Generator<Uint8Array, void> {
  const size = chunkSize ?? content.byteLength;
  for (let offset = 0; offset < content.byteLength; offset += size) {
    yield content.subarray(offset, offset + size);
  }
}

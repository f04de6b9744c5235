/**
 * The messages between a `SyncClient`'s calling thread and its network worker thread.
 *
 * The calling thread posts {@link ToWorker} messages on a MessagePort and blocks with `Atomics.wait` until the
 * worker posts a {@link FromWorker} reply and bumps the shared counter. Every exchange (one request and its
 * response) has an id; bytes cross as `ArrayBuffer`s the sender allocated and transfers, so each chunk is copied
 * once, never structured-cloned.
 *
 * @module
 */
import type { MessagePort } from "node:worker_threads";
import type { TimeoutExtension } from "@ferry/core";
import type { WireError } from "./errors.js";
import type { WireNetworkOptions } from "./network-options.js";

/**
 * Bytes of a response body the worker sends ahead of what the calling thread has read. Past it, the worker stops
 * reading the socket until the caller catches up, so a body is never held whole in memory.
 */
export const RESPONSE_WINDOW = 1024 * 1024;

/** The calling thread acknowledges what it has read once this many bytes have been read since its last ack. */
export const CREDIT_THRESHOLD = RESPONSE_WINDOW / 4;

/** Indexes in the shared `Int32Array` of a channel. */
export const SIGNAL = {
  /** Bumped (and notified) by the worker after each message it posts. */
  posted: 0,
  /** Set to 1 by the worker when its process `exit` handlers run, after it has stored its exit code. */
  stopped: 1,
  /** The exit code the worker stopped with, valid once `stopped` is 1. */
  exitCode: 2,
} as const;

/**
 * How long the calling thread sleeps before checking that the worker is still there. A worker that is terminated
 * or runs out of memory stops without running any of its code, so nothing wakes the caller: it has to look.
 */
export const LIVENESS_INTERVAL_MS = 100;

/** The request of an exchange: its body is inline bytes, nothing, or pulled chunk by chunk (`"stream"`). */
export interface RequestMessage {
  readonly type: "request";
  readonly id: number;
  readonly transport: number;
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array | "stream" | null;
  readonly timeout: TimeoutExtension | undefined;
}

/** What the calling thread tells the worker. */
export type ToWorker =
  /** Registers a transport, built in the worker from the client's network options. */
  | { readonly type: "open"; readonly transport: number; readonly options: WireNetworkOptions }
  | RequestMessage
  /** The next chunk of a streamed request body, or `null` at its end. */
  | { readonly type: "body"; readonly id: number; readonly chunk: Uint8Array | null }
  /** Reading the request body failed in the calling thread. */
  | { readonly type: "body-error"; readonly id: number; readonly error: WireError }
  /** The calling thread has read `bytes` more of the response body. */
  | { readonly type: "credit"; readonly id: number; readonly bytes: number }
  /** The calling thread closed the response before its end. */
  | { readonly type: "cancel"; readonly id: number }
  /** Closes one transport; answered with `closed`. */
  | { readonly type: "close"; readonly transport: number }
  /** Closes every transport and ends the worker; answered with `closed` (transport -1). */
  | { readonly type: "shutdown" }
  /** Asks nothing: posted only to learn whether the worker's end of the channel is still there. */
  | { readonly type: "ping" };

/** What the worker tells the calling thread. */
export type FromWorker =
  /** The response head of an exchange. */
  | {
      readonly type: "head";
      readonly id: number;
      readonly status: number;
      readonly headers: ReadonlyArray<readonly [string, string]>;
      readonly extensions: Readonly<Record<string, string | number | boolean>>;
    }
  | { readonly type: "chunk"; readonly id: number; readonly chunk: Uint8Array }
  | { readonly type: "end"; readonly id: number }
  /** The exchange failed: before the head, the request did; after it, the body did. */
  | { readonly type: "error"; readonly id: number; readonly error: WireError }
  /** The worker wants the next chunk of a streamed request body. */
  | { readonly type: "pull"; readonly id: number }
  /** A transport (or with -1, the worker) closed; `error` when closing failed. */
  | { readonly type: "closed"; readonly transport: number; readonly error: WireError | null }
  /** The worker failed outside any exchange and is stopping. */
  | { readonly type: "fatal"; readonly error: WireError };

/** What a worker thread is started with. */
export interface WorkerData {
  /** The worker's end of the channel. */
  readonly port: MessagePort;
  /** The shared counters, see {@link SIGNAL}. */
  readonly signal: Int32Array;
  /** The URL of the worker module. */
  readonly script: string;
}

/** A fresh, exactly sized copy of `bytes`, whose buffer can be transferred without touching the original. */
export function transferableCopy(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

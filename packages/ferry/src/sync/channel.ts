/**
 * The calling thread's end of a `SyncClient`'s worker thread: starts the worker on first use, posts messages to
 * it, blocks until its answers arrive, and replaces it when it dies.
 *
 * Blocking works without the event loop: the worker posts on a MessagePort and then bumps a shared counter;
 * this thread sleeps in `Atomics.wait` on that counter and takes the messages with `receiveMessageOnPort`.
 *
 * A worker can die in two ways. One runs its code to the end (an uncaught error, `process.exit()`): its exit
 * handler stores the exit code in the shared signal and wakes this thread. The other runs none (`terminate()`,
 * running out of memory): then the worker's end of the MessagePort goes away, which this thread notices because
 * `postMessage` stops reporting a delivery, probed whenever a wait passes {@link LIVENESS_INTERVAL_MS} without news.
 * Either way the exchanges in flight fail with {@link WorkerExited}, and the next request starts a fresh worker.
 *
 * @module
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { Request } from "@ferry/core";
import { fromWireError, type WireError, type WorkerExit, WorkerExited } from "./errors.js";
import type { WireNetworkOptions } from "./network-options.js";
import {
  type FromWorker,
  LIVENESS_INTERVAL_MS,
  type RequestMessage,
  SIGNAL,
  type ToWorker,
  type WorkerData,
} from "./protocol.js";

/** Where the messages of one exchange go, in the calling thread. */
export interface Inbox {
  deliver(message: FromWorker): void;
  /** The exchange can go no further; `failure` builds its error, given the exchange's request. */
  abandon(failure: (request: Request) => Error): void;
}

/** A message and the buffers it transfers. */
export type Posting<Message extends ToWorker> = readonly [message: Message, transfer: ArrayBuffer[]];

/**
 * The code a worker thread starts with: it stores the exit code in the shared signal when the thread exits (a
 * blocked caller cannot see the Worker's `exit` event), then loads the worker module, reporting a failure to load
 * it as a `fatal` message. It runs as a script or as a module (`--input-type=module` is inherited), so it uses
 * neither `require` nor `import` declarations.
 */
const BOOTSTRAP = `
const { workerData } = process.getBuiltinModule("node:worker_threads");
const { port, signal, script } = workerData;
const wake = () => { Atomics.add(signal, ${SIGNAL.posted}, 1); Atomics.notify(signal, ${SIGNAL.posted}); };
process.on("exit", (code) => {
  Atomics.store(signal, ${SIGNAL.exitCode}, code);
  Atomics.store(signal, ${SIGNAL.stopped}, 1);
  wake();
});
import(script).catch((error) => {
  const { name = "Error", message = String(error), stack, code } = error instanceof Error ? error : {};
  port.postMessage([{ type: "fatal", error: { name, message, stack, code, cause: undefined } }]);
  wake();
  process.exit(1);
});
`;

/** The transport id that stands for the whole worker in `closed` answers. */
const WORKER = -1;

const PING: ToWorker = { type: "ping" };

/** One worker thread, from its start until the channel lets it go. */
interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
  /** The transports built in this worker so far. */
  readonly opened: Set<number>;
  /** What the worker reported before it stopped, or the Worker's `error` event. */
  cause: Error | undefined;
  /** From the Worker's `exit` event, when this thread's event loop got to run it. */
  exitCode: number | null;
  /** Set once the channel has let the worker go. */
  exit: WorkerExit | null;
}

type PostMessage = (this: MessagePort, message: unknown, transfer: readonly ArrayBuffer[]) => unknown;

let reportsDelivery: boolean | undefined;

/**
 * Whether this runtime's `MessagePort.postMessage` tells if the message reached the other end (Node's returns
 * true, and false or undefined once the peer port is gone; its typings say void). Without it, a worker that died
 * without running its exit handler cannot be noticed while waiting.
 */
function postReportsDelivery(): boolean {
  if (reportsDelivery === undefined) {
    const { port1, port2 } = new MessageChannel();
    reportsDelivery = (port1.postMessage as PostMessage).call(port1, null, []) === true;
    port1.close();
    port2.close();
  }
  return reportsDelivery;
}

/** One worker thread at a time, and the transports and exchanges that share it. */
export class WorkerChannel {
  readonly #script: URL;
  readonly #onStart: ((worker: Worker) => void) | undefined;
  #running: Running | null = null;
  #lastExit: WorkerExit | null = null;
  #stopped: Error | null = null;
  readonly #transports = new Map<number, WireNetworkOptions>();
  readonly #inboxes = new Map<number, Inbox>();
  readonly #closed = new Map<number, WireError | null>();
  #nextExchange = 1;
  #nextTransport = 1;

  /**
   * `script` is the worker's entry module; nothing starts until the first request. `onStart` is told of each
   * worker thread started.
   */
  constructor(script: URL, onStart?: (worker: Worker) => void) {
    this.#script = script;
    this.#onStart = onStart;
  }

  /** Registers a transport, built in the worker from `options` before its first request, and returns its id. */
  addTransport(options: WireNetworkOptions): number {
    const id = this.#nextTransport++;
    this.#transports.set(id, options);
    return id;
  }

  /**
   * Posts the request of a new exchange, whose answers go to `inbox`, and returns the exchange's id. `posting`
   * builds the request message for each try: a worker found gone before it took the request is replaced once,
   * and if the fresh one is gone too the inbox is told so.
   *
   * @throws the error the channel was stopped with, once its client is closed.
   */
  startExchange(inbox: Inbox, posting: (id: number) => Posting<RequestMessage>): number {
    const id = this.#nextExchange++;
    for (let tries = 1; ; tries++) {
      const running = this.#start();
      const [message, transfer] = posting(id);
      if (this.#open(running, message.transport) && this.#send(running, message, transfer)) {
        this.#inboxes.set(id, inbox);
        return id;
      }
      const exit = this.#lost(running);
      if (tries === 2) {
        inbox.abandon((request) => new WorkerExited(exit, request));
        return id;
      }
    }
  }

  /** Forgets an exchange: later messages for it are dropped. */
  closeExchange(id: number): void {
    this.#inboxes.delete(id);
  }

  /** Posts `message` to the running worker; nothing is posted when none runs, as nothing there could use it. */
  post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    const running = this.#running;
    if (running !== null && !this.#send(running, message, transfer)) this.#lost(running);
  }

  /**
   * Blocks the calling thread until `done()` holds, handing each message that arrives to its exchange's inbox.
   *
   * @throws WorkerExited when the worker died before `done()` held (its exchanges are failed too); the error the
   * channel was stopped with.
   */
  waitUntil(done: () => boolean): void {
    for (;;) {
      const running = this.#running;
      if (running === null) {
        if (done()) return;
        throw this.#stopped ?? new WorkerExited(this.#lastExit ?? { code: null, cause: undefined });
      }
      // Read the counter before draining: a message posted after the drain bumps it, so the wait returns at once.
      const seen = Atomics.load(running.signal, SIGNAL.posted);
      this.#drain(running);
      if (done()) return;
      if (running !== this.#running) continue;
      if (Atomics.load(running.signal, SIGNAL.stopped) === 1) {
        this.#lost(running);
        continue;
      }
      const woken = Atomics.wait(running.signal, SIGNAL.posted, seen, LIVENESS_INTERVAL_MS);
      if (woken === "timed-out" && !this.#send(running, PING, [])) this.#lost(running);
    }
  }

  /**
   * Closes transport `id` in the worker, waiting for it. Closing the last open transport ends the worker.
   *
   * @throws the error closing the transport raised, re-created in this thread.
   */
  closeTransport(id: number): void {
    this.#transports.delete(id);
    const running = this.#running;
    if (running === null || this.#stopped !== null) return;
    const target = this.#transports.size > 0 ? id : WORKER;
    this.post(target === WORKER ? { type: "shutdown" } : { type: "close", transport: id });
    try {
      this.waitUntil(() => this.#closed.has(target));
    } catch (error) {
      // A worker that died has nothing left to close.
      if (!(error instanceof WorkerExited)) throw error;
    }
    const error = this.#closed.get(target) ?? null;
    this.#closed.delete(target);
    if (target === WORKER)
      this.#stop(new Error("The SyncClient was closed while a response was being read."));
    if (error !== null) throw fromWireError(error, undefined);
  }

  /** The running worker, started if none runs (or the last one has exited). */
  #start(): Running {
    if (this.#stopped !== null) throw this.#stopped;
    const current = this.#running;
    if (current !== null && Atomics.load(current.signal, SIGNAL.stopped) === 0) return current;
    if (current !== null) this.#lost(current);
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    const workerData: WorkerData = { port: port2, signal, script: this.#script.href };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2] });
    const running: Running = {
      worker,
      port: port1,
      signal,
      opened: new Set(),
      cause: undefined,
      exitCode: null,
      exit: null,
    };
    // Without an `error` listener the error would crash the process; the exit is the caller's failure.
    worker.on("error", (error) => {
      running.cause ??= error;
    });
    worker.once("exit", (code) => {
      running.exitCode = code;
      this.#lost(running);
    });
    // A SyncClient left open must not keep the process alive.
    worker.unref();
    port1.unref();
    this.#running = running;
    this.#lastExit = null;
    this.#onStart?.(worker);
    return running;
  }

  /** Builds transport `id` in `running` if it is not built there yet; false when the worker is gone. */
  #open(running: Running, id: number): boolean {
    const options = this.#transports.get(id);
    if (running.opened.has(id) || options === undefined) return true;
    running.opened.add(id);
    return this.#send(running, { type: "open", transport: id, options }, []);
  }

  /** Posts to `running`; false when the worker's end of the channel is gone. */
  #send(running: Running, message: ToWorker, transfer: ArrayBuffer[]): boolean {
    const delivered = (running.port.postMessage as PostMessage).call(running.port, message, transfer);
    return delivered === true || !postReportsDelivery();
  }

  #drain(running: Running): void {
    for (;;) {
      const received = receiveMessageOnPort(running.port);
      if (received === undefined) return;
      for (const message of received.message as FromWorker[]) this.#dispatch(running, message);
    }
  }

  #dispatch(running: Running, message: FromWorker): void {
    switch (message.type) {
      case "closed":
        this.#closed.set(message.transport, message.error);
        return;
      case "fatal":
        // The worker exits right after: its exit code follows through the signal.
        running.cause = fromWireError(message.error, undefined);
        return;
      default:
        this.#inboxes.get(message.id)?.deliver(message);
    }
  }

  /**
   * Lets go of a worker that died, failing the exchanges still in flight on it, and returns how it ended. The
   * next request starts a fresh worker.
   */
  #lost(running: Running): WorkerExit {
    if (running.exit !== null) return running.exit;
    running.exit = { code: null, cause: undefined };
    if (this.#running === running) this.#running = null;
    // What it posted before it went still counts: the end of a response, its last words.
    this.#drain(running);
    const stopped = Atomics.load(running.signal, SIGNAL.stopped) === 1;
    const code = stopped ? Atomics.load(running.signal, SIGNAL.exitCode) : running.exitCode;
    const exit: WorkerExit = { code, cause: running.cause };
    running.exit = exit;
    this.#lastExit = exit;
    this.#closed.clear();
    this.#abandonAll((request) => new WorkerExited(exit, request));
    this.#release(running);
    return exit;
  }

  /** Marks the channel stopped for good, failing every exchange still open, and lets the worker go. */
  #stop(error: Error): void {
    if (this.#stopped !== null) return;
    this.#stopped = error;
    this.#abandonAll(() => error);
    const running = this.#running;
    this.#running = null;
    if (running !== null) {
      running.exit ??= { code: null, cause: undefined };
      this.#release(running);
    }
  }

  #abandonAll(failure: (request: Request) => Error): void {
    const inboxes = [...this.#inboxes.values()];
    this.#inboxes.clear();
    for (const inbox of inboxes) inbox.abandon(failure);
  }

  #release(running: Running): void {
    running.port.close();
    running.worker.terminate().catch(() => {});
  }
}

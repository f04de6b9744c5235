/**
 * The calling thread's end of a `SyncClient`'s worker thread: starts the worker on first use, posts messages to
 * it, and blocks until its answers arrive.
 *
 * Blocking works without the event loop: the worker posts on a MessagePort and then bumps a shared counter;
 * this thread sleeps in `Atomics.wait` on that counter and takes the messages with `receiveMessageOnPort`.
 *
 * @module
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { fromWireError, type WireError } from "./errors.js";
import { type FromWorker, SIGNAL, type ToWorker, type WorkerData } from "./protocol.js";

/** Where the messages of one exchange go, in the calling thread. */
export interface Inbox {
  deliver(message: FromWorker): void;
  /** The worker stopped before the exchange ended. */
  abandon(error: Error): void;
}

/**
 * The code a worker thread starts with: it marks the shared signal when the thread exits, for whatever reason (a
 * blocked caller cannot see the Worker's `exit` event), then loads the worker module, reporting a failure to load
 * it as a `fatal` message. It runs as a script or as a module (`--input-type=module` is inherited), so it uses
 * neither `require` nor `import` declarations.
 */
const BOOTSTRAP = `
const { workerData } = process.getBuiltinModule("node:worker_threads");
const { port, signal, script } = workerData;
const wake = () => { Atomics.add(signal, ${SIGNAL.posted}, 1); Atomics.notify(signal, ${SIGNAL.posted}); };
process.on("exit", () => { Atomics.store(signal, ${SIGNAL.stopped}, 1); wake(); });
import(script).catch((error) => {
  const { name = "Error", message = String(error), stack, code } = error instanceof Error ? error : {};
  port.postMessage([{ type: "fatal", error: { name, message, stack, code, cause: undefined } }]);
  wake();
  process.exit(1);
});
`;

/** The transport id that stands for the whole worker in `closed` answers. */
const WORKER = -1;

interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

/** One worker thread and the transports and exchanges that share it. */
export class WorkerChannel {
  readonly #script: URL;
  #running: Running | null = null;
  #stopped: Error | null = null;
  readonly #inboxes = new Map<number, Inbox>();
  readonly #closed = new Map<number, WireError | null>();
  #nextExchange = 1;
  #nextTransport = 1;
  #openTransports = 0;

  /** `script` is the worker's entry module; nothing starts until the first message. */
  constructor(script: URL) {
    this.#script = script;
  }

  /** Registers a new transport on this channel and returns its id. */
  addTransport(): number {
    this.#openTransports += 1;
    return this.#nextTransport++;
  }

  /** Registers `inbox` for a new exchange and returns the exchange's id. */
  openExchange(inbox: Inbox): number {
    const id = this.#nextExchange++;
    this.#inboxes.set(id, inbox);
    return id;
  }

  /** Forgets an exchange: later messages for it are dropped. */
  closeExchange(id: number): void {
    this.#inboxes.delete(id);
  }

  /** Posts `message` to the worker (starting it if needed), transferring the buffers in `transfer`. */
  post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.#start().port.postMessage(message, transfer);
  }

  /** Posts `message` if the worker is running; used for messages that only matter to a live worker. */
  postIfRunning(message: ToWorker): void {
    if (this.#running !== null && this.#stopped === null) this.#running.port.postMessage(message);
  }

  /**
   * Blocks the calling thread until `done()` holds, handing each message that arrives to its exchange's inbox.
   *
   * @throws Error when the worker stopped (or was stopped) before `done()` held.
   */
  waitUntil(done: () => boolean): void {
    for (;;) {
      const running = this.#running;
      if (running === null) {
        if (done()) return;
        throw this.#stopped ?? new Error("The SyncClient's worker thread is not running.");
      }
      // Read the counter before draining: a message posted after the drain bumps it, so the wait returns at once.
      const seen = Atomics.load(running.signal, SIGNAL.posted);
      this.#drain(running.port);
      if (done()) return;
      if (this.#stopped !== null) throw this.#stopped;
      if (Atomics.load(running.signal, SIGNAL.stopped) === 1) {
        this.#stop(new Error("The SyncClient's worker thread stopped unexpectedly."));
        continue;
      }
      Atomics.wait(running.signal, SIGNAL.posted, seen);
    }
  }

  /**
   * Closes transport `id` in the worker, waiting for it. Closing the last open transport ends the worker.
   *
   * @throws the error closing the transport raised, re-created in this thread.
   */
  closeTransport(id: number): void {
    this.#openTransports -= 1;
    if (this.#running === null || this.#stopped !== null) return;
    const target = this.#openTransports > 0 ? id : WORKER;
    this.post(target === WORKER ? { type: "shutdown" } : { type: "close", transport: id });
    this.waitUntil(() => this.#closed.has(target));
    const error = this.#closed.get(target) ?? null;
    this.#closed.delete(target);
    if (target === WORKER)
      this.#stop(new Error("The SyncClient was closed while a response was being read."));
    if (error !== null) throw fromWireError(error, undefined);
  }

  #start(): Running {
    if (this.#stopped !== null) throw this.#stopped;
    if (this.#running !== null) return this.#running;
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const workerData: WorkerData = { port: port2, signal, script: this.#script.href };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2] });
    // Failures reach the caller through the channel; without a listener an error event would crash the process.
    worker.on("error", () => {});
    // A SyncClient left open must not keep the process alive.
    worker.unref();
    port1.unref();
    this.#running = { worker, port: port1, signal };
    return this.#running;
  }

  #drain(port: MessagePort): void {
    for (;;) {
      const received = receiveMessageOnPort(port);
      if (received === undefined) return;
      for (const message of received.message as FromWorker[]) this.#dispatch(message);
    }
  }

  #dispatch(message: FromWorker): void {
    switch (message.type) {
      case "closed":
        this.#closed.set(message.transport, message.error);
        return;
      case "fatal":
        this.#stop(fromWireError(message.error, undefined));
        return;
      default:
        this.#inboxes.get(message.id)?.deliver(message);
    }
  }

  /** Marks the worker stopped, failing every exchange still open, and lets the thread go. */
  #stop(error: Error): void {
    if (this.#stopped !== null) return;
    this.#stopped = error;
    const inboxes = [...this.#inboxes.values()];
    this.#inboxes.clear();
    for (const inbox of inboxes) inbox.abandon(error);
    const running = this.#running;
    this.#running = null;
    if (running !== null) {
      running.port.close();
      running.worker.terminate().catch(() => {});
    }
  }
}

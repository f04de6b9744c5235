/**
 * The parts of httpx's `Limits` undici has no option for: a cap on connections across all origins, and a cap on
 * idle connections kept alive.
 *
 * @module
 */
import type { Socket } from "node:net";
import { Client, type Dispatcher, Pool } from "undici";

interface Tracked {
  readonly client: Client;
  readonly pool: Pool | null;
  readonly socket: Socket;
}

/**
 * The least time between two sweeps. A sweep reads the stats of every connection; after every turn of the event
 * loop, a busy client spent about 5% of its time on them. Excess idle connections still close within this time.
 */
const SWEEP_INTERVAL = 20;

function sweep(limits: ConnectionLimits): void {
  limits.sweep();
}

/**
 * Counts a transport's connections (open or being opened) and enforces `maxConnections` across origins and
 * `maxKeepaliveConnections`, as httpx's pool does:
 *
 * - A new connection takes a slot before it is opened. With every slot taken, an idle connection is closed to free
 *   one; without an idle one, the connection waits for a slot (the request's pool timeout runs meanwhile).
 * - After responses complete, idle connections beyond `maxKeepaliveConnections` are closed.
 *
 * A connection is idle when its undici client runs and queues nothing and its pool has no request waiting. Closing
 * only its socket leaves the client in its pool, to reconnect when needed; a pool hands requests to its first free
 * client, so the connections opened first are the ones kept.
 */
export class ConnectionLimits {
  readonly #maxOpen: number | null;
  readonly #maxIdle: number | null;
  #open = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #connections = new Map<Client, Tracked>();
  /** Sockets closed to make room: their slot went to a new connection already. */
  readonly #handedOver = new WeakSet<Socket>();
  #scheduled = false;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(maxOpen: number | null, maxIdle: number | null) {
    this.#maxOpen = maxOpen;
    this.#maxIdle = maxIdle;
  }

  /** Calls `start` once a slot for a new connection is free. */
  reserve(start: () => void): void {
    if (this.#maxOpen === null || this.#open < this.#maxOpen || this.#evictIdle()) {
      this.#open += 1;
      start();
    } else {
      this.#waiting.push(start);
    }
  }

  /** Gives back the slot of a connection that failed to open. */
  release(): void {
    this.#open -= 1;
    while (this.#waiting.length > 0 && (this.#maxOpen === null || this.#open < this.#maxOpen)) {
      this.#open += 1;
      this.#waiting.shift()!();
    }
  }

  /** A connection was handed to undici: its slot is given back when it closes. */
  opened(socket: Socket): void {
    socket.once("close", () => {
      if (!this.#handedOver.has(socket)) this.release();
    });
  }

  /** Records which undici client got a connection; `targets` are the Agent's `connect` event targets. */
  track(targets: readonly Dispatcher[], socket: Socket): void {
    const client = targets[targets.length - 1];
    if (!(client instanceof Client)) return;
    const pool = targets.length > 2 && targets[1] instanceof Pool ? targets[1] : null;
    this.#connections.set(client, { client, pool, socket });
    socket.once("close", () => {
      if (this.#connections.get(client)?.socket === socket) this.#connections.delete(client);
    });
  }

  /**
   * A request is over: schedules a sweep for once undici has handed its connection back (the next turn), or, when
   * one ran less than {@link SWEEP_INTERVAL} ago, for when that interval is up.
   */
  requestDone(): void {
    if (this.#maxIdle === null || this.#scheduled) return;
    this.#scheduled = true;
    const wait = this.#lastSweep + SWEEP_INTERVAL - performance.now();
    if (wait <= 0) setImmediate(sweep, this);
    else setTimeout(sweep, wait, this).unref();
  }

  /** Closes the idle connections beyond `maxKeepaliveConnections`. */
  sweep(): void {
    this.#scheduled = false;
    this.#lastSweep = performance.now();
    const max = this.#maxIdle;
    if (max === null || this.#connections.size <= max) return;
    const idle = this.#idle();
    for (let i = max; i < idle.length; i++) idle[i]!.socket.destroy();
  }

  /** Forgets connections waiting for a slot: the transport is closing. */
  clear(): void {
    this.#waiting.length = 0;
  }

  #idle(): Tracked[] {
    const idle: Tracked[] = [];
    // A pool's stats sum over all its clients: read them once per pool, not once per connection.
    const queuedIn = new Map<Pool, number>();
    for (const tracked of this.#connections.values()) {
      const { running, pending } = tracked.client.stats;
      if (running !== 0 || pending !== 0 || tracked.socket.destroyed) continue;
      const { pool } = tracked;
      if (pool !== null) {
        let queued = queuedIn.get(pool);
        if (queued === undefined) {
          queued = pool.stats.queued;
          queuedIn.set(pool, queued);
        }
        if (queued !== 0) continue;
      }
      idle.push(tracked);
    }
    return idle;
  }

  /** Closes one idle connection, handing its slot over; false when every connection is busy. */
  #evictIdle(): boolean {
    const victim = this.#idle()[0];
    if (victim === undefined) return false;
    this.#connections.delete(victim.client);
    this.#handedOver.add(victim.socket);
    this.#open -= 1;
    victim.socket.destroy();
    return true;
  }
}

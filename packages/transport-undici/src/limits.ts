/**
 * `maxKeepaliveConnections` for undici, which has no such option: idle connections beyond the cap are closed.
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

function sweep(cap: KeepaliveCap): void {
  cap.sweep();
}

/**
 * Keeps at most `max` idle connections, as httpx does: after responses complete, idle connections beyond the cap
 * are closed. A connection is idle when its undici client runs and queues nothing and its pool has no request
 * waiting. Closing only its socket leaves the client in its pool, to reconnect when needed; a pool hands requests to
 * its first free client, so the connections opened first are the ones kept.
 */
export class KeepaliveCap {
  readonly #max: number;
  readonly #connections = new Map<Client, Tracked>();
  #scheduled = false;

  constructor(max: number) {
    this.#max = max;
  }

  /** Records the connection undici just opened; `targets` are the Agent's `connect` event targets. */
  track(targets: readonly Dispatcher[], socket: Socket): void {
    const client = targets[targets.length - 1];
    if (!(client instanceof Client)) return;
    const pool = targets.length > 2 && targets[1] instanceof Pool ? targets[1] : null;
    this.#connections.set(client, { client, pool, socket });
    socket.once("close", () => {
      if (this.#connections.get(client)?.socket === socket) this.#connections.delete(client);
    });
  }

  /** Schedules a sweep once undici has handed finished connections back (it does so on the next turn). */
  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(sweep, this);
  }

  /** Closes the idle connections beyond the cap. */
  sweep(): void {
    this.#scheduled = false;
    if (this.#connections.size <= this.#max) return;
    const idle: Socket[] = [];
    for (const { client, pool, socket } of this.#connections.values()) {
      const { running, pending } = client.stats;
      if (running === 0 && pending === 0 && (pool === null || pool.stats.queued === 0)) idle.push(socket);
    }
    for (let i = this.#max; i < idle.length; i++) idle[i]!.destroy();
  }
}

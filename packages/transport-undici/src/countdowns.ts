/**
 * The countdowns of every request of a transport on one native timer.
 *
 * A Node timer per request means, for every request, a `Timeout` object with its async resource, a call into
 * libuv for the time at every `refresh()`, and `unref()`/`clearTimeout()` toggling libuv's handle. Here a
 * countdown is a node in a list of the countdowns of the same length, so each list is in order of expiry (later
 * starts expire later), and restarting one moves it to the end of its list. One timer, set for the earliest head
 * of all lists, serves them all: it fires when that countdown runs out, not on a coarse tick, so a timeout is
 * raised within a millisecond or two of its budget.
 *
 * @module
 */

/** What a countdown tells when it runs out. */
export interface Timed {
  /** The countdown ran out before it was stopped or restarted. */
  timedOut(): void;
}

/** One countdown: a request's current timeout. */
export class Countdown {
  /** When it runs out, on the `performance.now()` clock. */
  at = 0;
  /** The list it is in while it runs, with its neighbours there. */
  list: CountdownList | null = null;
  prev: Countdown | null = null;
  next: Countdown | null = null;

  constructor(readonly owner: Timed) {}
}

/** The running countdowns of one length, the soonest to expire first. */
class CountdownList {
  head: Countdown | null = null;
  tail: Countdown | null = null;

  constructor(readonly ms: number) {}

  append(countdown: Countdown): void {
    countdown.list = this;
    countdown.prev = this.tail;
    countdown.next = null;
    if (this.tail === null) this.head = countdown;
    else this.tail.next = countdown;
    this.tail = countdown;
  }

  remove(countdown: Countdown): void {
    const { prev, next } = countdown;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    countdown.list = null;
    countdown.prev = null;
    countdown.next = null;
  }
}

function atOf(countdown: Countdown): number {
  return countdown.at;
}

/**
 * Tells the owners of countdowns that ran out, unless they were restarted or stopped meanwhile. This runs after
 * the event loop's poll phase that follows the timers: when the process was too busy to look at its sockets for a
 * while, bytes that arrived in time are read (restarting the countdown) before a timeout is raised for them.
 */
function confirmExpired(expired: readonly Countdown[], at: readonly number[]): void {
  for (let index = 0; index < expired.length; index++) {
    const countdown = expired[index]!;
    if (countdown.list === null && countdown.at === at[index]) countdown.owner.timedOut();
  }
}

/** The countdowns of a transport and the one timer that expires them. */
export class Countdowns {
  readonly #lists = new Map<number, CountdownList>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires; `Infinity` while it is not set. */
  #firesAt = Number.POSITIVE_INFINITY;
  readonly #onTimer = (): void => this.#fire();

  /** Starts `countdown` for `ms` milliseconds from now, or restarts it if it is running. */
  start(countdown: Countdown, ms: number): void {
    const now = performance.now();
    const at = now + ms;
    countdown.at = at;
    const running = countdown.list;
    running?.remove(countdown);
    // Restarting with the same length, the common case, keeps the list without a lookup.
    (running !== null && running.ms === ms ? running : this.#listFor(ms)).append(countdown);
    if (at < this.#firesAt) this.#arm(at, ms);
  }

  #listFor(ms: number): CountdownList {
    let list = this.#lists.get(ms);
    if (list === undefined) {
      list = new CountdownList(ms);
      this.#lists.set(ms, list);
    }
    return list;
  }

  /** Stops `countdown`; a stopped countdown never expires. Stopping one that is not running does nothing. */
  stop(countdown: Countdown): void {
    countdown.list?.remove(countdown);
    // One that ran out and awaits confirmation is stopped too.
    countdown.at = Number.NaN;
  }

  /** Stops every countdown and the timer. */
  clear(): void {
    for (const list of this.#lists.values()) {
      while (list.head !== null) list.remove(list.head);
    }
    this.#lists.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#firesAt = Number.POSITIVE_INFINITY;
  }

  /** Sets the timer to fire at `at`, `delay` milliseconds from now. */
  #arm(at: number, delay: number): void {
    clearTimeout(this.#timer);
    this.#firesAt = at;
    // Node's timers count whole milliseconds from the event loop's cached clock, which may lag behind
    // `performance.now()` a little: a timer that fires early finds nothing expired and is set again for the rest.
    this.#timer = setTimeout(this.#onTimer, Math.max(1, Math.ceil(delay)));
    this.#timer.unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#firesAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const expired: Countdown[] = [];
    for (const list of this.#lists.values()) {
      let head = list.head;
      while (head !== null && head.at <= now) {
        list.remove(head);
        expired.push(head);
        head = list.head;
      }
      if (head === null) this.#lists.delete(list.ms);
    }
    if (expired.length > 0) setImmediate(confirmExpired, expired, expired.map(atOf));
    let earliest = Number.POSITIVE_INFINITY;
    for (const list of this.#lists.values()) {
      if (list.head !== null && list.head.at < earliest) earliest = list.head.at;
    }
    if (earliest < this.#firesAt) this.#arm(earliest, earliest - now);
  }
}

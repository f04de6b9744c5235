/**
 * Timing primitives: a closed-loop throughput run at a fixed concurrency, and medians.
 *
 * @module
 */

/** One timed run: operations completed and the wall time they took. */
export interface Run {
  readonly ops: number;
  readonly seconds: number;
}

/**
 * Runs `op` in `concurrency` loops until `durationMs` has passed, each loop starting its next operation as soon as
 * the last one finished; every loop completes at least one. The time counts until the last operation ends.
 */
export async function closedLoop(
  op: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
): Promise<Run> {
  let ops = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  const loop = async (): Promise<void> => {
    do {
      await op();
      ops++;
    } while (performance.now() < deadline);
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { ops, seconds: (performance.now() - start) / 1000 };
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `list` rotated left by `by` places: each round starts with a different client. */
export function rotate<T>(list: readonly T[], by: number): T[] {
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

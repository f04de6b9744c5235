/**
 * How a case reports a broken rule: a {@link ConformanceFailure} whose message starts with the rule's name.
 *
 * @module
 */

/** A rule of the transport contract that a transport broke. The message says which rule and what was seen. */
export class ConformanceFailure extends Error {
  /** The rule broken, such as `"redirects"` or `"timeouts.read"`. */
  readonly rule: string;

  constructor(rule: string, message: string, options?: { cause?: unknown }) {
    super(`Rule "${rule}" broken: ${message}`, options);
    this.name = "ConformanceFailure";
    this.rule = rule;
  }
}

/** Throws a {@link ConformanceFailure} for `rule` unless `condition` holds. */
export function check(condition: boolean, rule: string, message: () => string): asserts condition {
  if (!condition) throw new ConformanceFailure(rule, message());
}

/** A short, readable rendering of a value for failure messages. */
export function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === "string")
    return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 300 ? `${json.slice(0, 300)}…` : json;
  } catch {
    return String(value);
  }
}

/** Resolves with `promise`, or rejects with a failure of `rule` saying `what` did not happen within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, rule: string, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConformanceFailure(rule, `${what} (waited ${ms} ms).`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

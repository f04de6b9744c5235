/**
 * Deep comparison of a JSON body with an expected value, exact or partial, that says where the first difference
 * is ("at $.items[0].id: expected 1, got 2").
 *
 * @module
 */
import { describeValue, isAsymmetricMatcher } from "./value-matchers.js";

/** An expected JSON value that only needs to be contained in the body: see {@link M.partial}. */
export class PartialJson {
  /** The value whose members must appear in the body. */
  readonly value: unknown;

  constructor(value: unknown) {
    this.value = value;
  }
}

/**
 * Where `actual` first differs from `expected`, or `undefined` when they match. Objects match when they have the
 * same keys with matching values (with `partial`, when `actual` has at least the keys of `expected`); arrays
 * element by element, same length; asymmetric matchers (`expect.any(Number)`) by their own rule.
 */
export function jsonDifference(
  expected: unknown,
  actual: unknown,
  partial: boolean,
  path = "$",
): string | undefined {
  if (isAsymmetricMatcher(expected)) {
    return expected.asymmetricMatch(actual) ? undefined : mismatch(path, expected, actual);
  }
  if (expected instanceof PartialJson) return jsonDifference(expected.value, actual, true, path);
  if (Array.isArray(expected)) return arrayDifference(expected, actual, partial, path);
  if (isRecord(expected)) return objectDifference(expected, actual, partial, path);
  return Object.is(expected, actual) || expected === actual ? undefined : mismatch(path, expected, actual);
}

function arrayDifference(
  expected: readonly unknown[],
  actual: unknown,
  partial: boolean,
  path: string,
): string | undefined {
  if (!Array.isArray(actual)) return mismatch(path, expected, actual);
  if (actual.length !== expected.length) {
    return `at ${path}: expected an array of ${expected.length}, got one of ${actual.length}`;
  }
  for (let index = 0; index < expected.length; index++) {
    const difference = jsonDifference(expected[index], actual[index], partial, `${path}[${index}]`);
    if (difference !== undefined) return difference;
  }
  return undefined;
}

function objectDifference(
  expected: Record<string, unknown>,
  actual: unknown,
  partial: boolean,
  path: string,
): string | undefined {
  if (!isRecord(actual)) return mismatch(path, expected, actual);
  for (const key of Object.keys(expected)) {
    const childPath = `${path}.${key}`;
    if (!Object.hasOwn(actual, key))
      return `at ${childPath}: missing (expected ${describeValue(expected[key])})`;
    const difference = jsonDifference(expected[key], actual[key], partial, childPath);
    if (difference !== undefined) return difference;
  }
  if (!partial) {
    const extra = Object.keys(actual).find((key) => !Object.hasOwn(expected, key));
    if (extra !== undefined) return `at ${path}.${extra}: not expected (got ${describeValue(actual[extra])})`;
  }
  return undefined;
}

function mismatch(path: string, expected: unknown, actual: unknown): string {
  return `at ${path}: expected ${describeValue(expected)}, got ${describeValue(actual)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isAsymmetricMatcher(value);
}

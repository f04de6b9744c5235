/**
 * Authentication: the {@link Auth} base class and its flows (Basic, Digest, netrc, function), and
 * {@link buildAuth}, which turns the `auth` option into an `Auth`.
 *
 * @module
 */
import { Auth } from "./auth/base.js";
import { BasicAuth } from "./auth/basic.js";
import { FunctionAuth } from "./auth/function.js";
import type { Request } from "./request.js";

export { Auth, type AuthFlow } from "./auth/base.js";
export { BasicAuth, basicAuthHeader } from "./auth/basic.js";
export { DigestAuth } from "./auth/digest.js";
export { FunctionAuth } from "./auth/function.js";
export { NetRCAuth } from "./auth/netrc.js";

/**
 * What the `auth` option accepts: a `[username, password]` tuple for Basic authentication, a function that
 * returns the request to send, or an {@link Auth} instance.
 */
export type AuthTypes =
  | readonly [username: string, password: string]
  | ((request: Request) => Request)
  | Auth;

/**
 * Turns the `auth` option into an {@link Auth}: a tuple becomes {@link BasicAuth}, a function
 * {@link FunctionAuth}, an `Auth` is returned as is, and `null` or `undefined` give `null` (no auth).
 *
 * @throws TypeError when `auth` is none of these, or a tuple that is not two strings.
 */
export function buildAuth(auth: AuthTypes | null | undefined): Auth | null {
  if (auth === null || auth === undefined) return null;
  if (auth instanceof Auth) return auth;
  if (typeof auth === "function") return new FunctionAuth(auth);
  if (Array.isArray(auth)) {
    const [username, password] = checkTuple(auth);
    return new BasicAuth(username, password);
  }
  throw new TypeError(
    `Invalid "auth" argument: expected a [username, password] tuple, a function or an Auth, got ${describe(auth)}.`,
  );
}

function checkTuple(auth: readonly unknown[]): readonly [string, string] {
  const [username, password] = auth;
  if (auth.length !== 2 || typeof username !== "string" || typeof password !== "string") {
    const types = auth.map((item) => describe(item)).join(", ");
    throw new TypeError(
      `Invalid "auth" argument: a tuple must be [username, password] with two strings, got [${types}].`,
    );
  }
  return [username, password];
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

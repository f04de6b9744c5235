/**
 * HTTP Basic authentication, and the `Authorization` value it sends.
 *
 * @module
 */
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import { Auth } from "./base.js";

const utf8 = new TextEncoder();

/**
 * Builds the `Authorization` value of HTTP Basic authentication: `Basic ` and the base64 of the UTF-8 bytes of
 * `username:password`.
 */
export function basicAuthHeader(username: string, password: string): string {
  const bytes = utf8.encode(`${username}:${password}`);
  // btoa takes a "binary string" of Latin-1 code units, one per byte, and exists on every runtime Ferry targets.
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * HTTP Basic authentication: sends `Authorization: Basic base64(username:password)` with every request. The
 * header value is built once, when the auth is created.
 */
export class BasicAuth extends Auth {
  readonly #header: string;

  constructor(username: string, password: string) {
    super();
    if (typeof username !== "string") {
      throw new TypeError(`BasicAuth username must be a string, got ${typeof username}.`);
    }
    if (typeof password !== "string") {
      throw new TypeError(`BasicAuth password must be a string, got ${typeof password}.`);
    }
    this.#header = basicAuthHeader(username, password);
  }

  override *authFlow(request: Request): Generator<Request, void, Response> {
    request.headers.set("Authorization", this.#header);
    yield request;
  }
}

/**
 * The responses an {@link AppTransport} hands back: the app's own, with its body still streaming, or a 500 that
 * stands for an app error when `raiseAppExceptions` is off.
 *
 * @module
 */
import { type ByteStream, Response } from "@ferry/core";

/** The app's response, as a transport returns one: body unread, HTTP version and reason phrase in `extensions`. */
export function appResponse(
  status: number,
  reason: string,
  headers: ReadonlyArray<readonly [string, string]>,
  stream: ByteStream,
): Response {
  const extensions: Record<string, unknown> = { http_version: "HTTP/1.1" };
  if (reason !== "") extensions["reason_phrase"] = reason;
  return new Response(status, { headers, stream, extensions });
}

/**
 * The 500 response that stands for an error the app raised, as httpx's `raise_app_exceptions=False` gives; the
 * error itself is in `response.extensions.app_error`.
 */
export function appErrorResponse(error: unknown): Response {
  return new Response(500, { extensions: { http_version: "HTTP/1.1", app_error: error } });
}

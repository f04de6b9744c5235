import { Client, type ClientOptions, type Request, Response } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";

const decoder = new TextDecoder();

/** What {@link echo} answers with. */
export interface Echo {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
  extensions: Record<string, unknown>;
}

/** Answers with the method, URL, headers (as sent, in order), body and extensions of the request. */
export function echo(request: Request): Response {
  const body: Echo = {
    method: request.method,
    url: String(request.url),
    headers: request.headers.raw.map(([name, value]) => [name, value]),
    body: decoder.decode(request.content),
    extensions: request.extensions,
  };
  return new Response(200, { json: body });
}

/** A client whose transport echoes each request (see {@link echo}). */
export function echoClient(options: ClientOptions = {}): Client {
  return new Client({ transport: new MockTransport(echo), ...options });
}

/** The echoed headers of `response`, by lower-case name. */
export function echoedHeaders(response: Response): Record<string, string> {
  return Object.fromEntries(
    response.json<Echo>().headers.map(([name, value]) => [name.toLowerCase(), value]),
  );
}

import type { IncomingMessage } from "node:http";
import { Request, type RequestOptions, type Response, type TimeoutExtension } from "@ferry/core";
import type { UndiciTransport } from "../src/index.js";

/** Generous timeouts for tests that are not about timeouts: a hang fails fast instead of at the test timeout. */
export const TIMEOUT: TimeoutExtension = { connect: 5000, read: 5000, write: 5000, pool: 5000 };

/** Sends one request through `transport` with `timeout` in its extensions, as the Client does. */
export function send(
  transport: UndiciTransport,
  method: string,
  url: string,
  options: RequestOptions & { timeout?: Partial<TimeoutExtension> } = {},
): Promise<Response> {
  const { timeout, ...rest } = options;
  const extensions = { ...rest.extensions, timeout: { ...TIMEOUT, ...timeout } };
  return transport.handleRequest(new Request(method, url, { ...rest, extensions }));
}

/** Sends a request and reads the whole response body. */
export async function fetchText(
  transport: UndiciTransport,
  url: string,
  options: Parameters<typeof send>[3] = {},
): Promise<Response> {
  const response = await send(transport, options.content === undefined ? "GET" : "POST", url, options);
  await response.read();
  return response;
}

/** Reads a Node request's body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text;
}

/** A port on loopback where nothing listens. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** The body of a read response as UTF-8 text. */
export function text(response: Response): string {
  return new TextDecoder().decode(response.content);
}

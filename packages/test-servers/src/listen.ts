import type { Server } from "node:net";
import type { Duplex } from "node:stream";

/** A server listening on a loopback port, closed (with every open connection) by `close()`. */
export interface TestServer {
  /** The origin to send requests to, such as `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The host the server listens on. */
  readonly host: string;
  /** The port the operating system picked. */
  readonly port: number;
  /** How many TCP connections the server has accepted so far. */
  readonly connections: number;
  /** How many accepted TCP connections are still open. */
  readonly openConnections: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
  /** Same as `close()`: `await using server = await startHttpServer(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Where a server listens: `127.0.0.1` unless a test asks for IPv6 or a name. */
export interface ListenOptions {
  host?: string;
}

/**
 * Listens on port 0 of `host`, counts and tracks connections, and returns the {@link TestServer} handle.
 * `connectionEvent` is the event that carries the raw socket (`secureConnection` would miss failed handshakes).
 */
export async function listen(
  server: Server,
  scheme: string,
  options: ListenOptions = {},
  connectionEvent = "connection",
): Promise<TestServer> {
  const host = options.host ?? "127.0.0.1";
  const sockets = new Set<Duplex>();
  let connections = 0;
  server.on(connectionEvent, (socket: Duplex) => {
    connections += 1;
    sockets.add(socket);
    // Connections torn down by the peer raise errors the tests do not care about.
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no TCP address");
  const port = address.port;
  const netloc = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
  return {
    url: `${scheme}://${netloc}`,
    host,
    port,
    get connections() {
      return connections;
    },
    get openConnections() {
      return sockets.size;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

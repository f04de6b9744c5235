/**
 * The suite's loopback servers: one HTTP/1.1 server whose routes each case registers, and bare TCP servers for the
 * cases where the server must misbehave byte by byte.
 *
 * @module
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Server, type Socket } from "node:net";

/** Answers the requests of one route. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** A route registered by a case: its URL and how often it was requested. */
export interface Route {
  /** The absolute URL of the route, without a trailing slash: `http://127.0.0.1:40123/r/7`. */
  readonly url: string;
  /** How many requests reached the route. */
  readonly hits: number;
}

/** A listening server whose connections are tracked, so that a case can count them and close them all. */
export interface Listening {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port picked by the operating system. */
  readonly port: number;
  /** Connections accepted and not closed yet. */
  readonly openConnections: number;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

/** Listens on a loopback port and tracks the sockets of `server`. */
export async function listen(
  server: Server,
  scheme = "http",
  connectionEvent = "connection",
): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on(connectionEvent, (socket: Socket) => {
    sockets.add(socket);
    // A client that resets or closes early is the point of several cases, not an error of the server.
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The server has no TCP address.");
  let closing: Promise<void> | undefined;
  return {
    url: `${scheme}://127.0.0.1:${address.port}`,
    port: address.port,
    get openConnections() {
      return sockets.size;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

const ROUTE = /^\/r\/(\d+)(?=[/?]|$)/;

/** The suite's HTTP/1.1 server. Each case registers its own routes, so cases never share state. */
export class ConformanceServer {
  readonly #routes = new Map<number, { handler: RouteHandler; hits: number }>();
  readonly #listening: Listening;
  #next = 1;

  private constructor(listening: Listening) {
    this.#listening = listening;
  }

  /** Starts the server on a loopback port. */
  static async start(): Promise<ConformanceServer> {
    let self: ConformanceServer | undefined;
    const server = createServer((request, response) => self?.listener(request, response));
    // Slow bodies and stalled uploads are the point of some cases: no server-side timeout may end them.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    self = new ConformanceServer(await listen(server));
    return self;
  }

  /** The origin, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.#listening.url;
  }

  /** Connections open right now. */
  get openConnections(): number {
    return this.#listening.openConnections;
  }

  /** The server's request listener, for transports that call an application in the same process. */
  readonly listener: RequestListener = (request, response) => {
    const match = ROUTE.exec(request.url ?? "");
    const route = match === null ? undefined : this.#routes.get(Number(match[1]));
    if (route === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("no such route");
      return;
    }
    route.hits += 1;
    Promise.resolve()
      .then(() => route.handler(request, response))
      .catch(() => response.destroy());
  };

  /** Registers a route answered by `handler`. */
  route(handler: RouteHandler): Route {
    const id = this.#next++;
    const entry = { handler, hits: 0 };
    this.#routes.set(id, entry);
    const url = `${this.url}/r/${id}`;
    return {
      url,
      get hits() {
        return entry.hits;
      },
    };
  }

  /** Stops the server and destroys its connections. */
  close(): Promise<void> {
    return this.#listening.close();
  }
}

/** Starts a bare TCP server whose connections `onConnection` handles, for servers that misbehave. */
export function startRawServer(onConnection: (socket: Socket) => void): Promise<Listening> {
  return listen(createNetServer(onConnection));
}

/** Resolves with the request head (up to the blank line) of the first request arriving on `socket`. */
export function requestHead(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let head = "";
    const onData = (chunk: Buffer): void => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      socket.off("data", onData);
      resolve(head.slice(0, end));
    };
    socket.on("data", onData);
  });
}

/** A loopback port where nothing listens: one the system handed out and that was closed at once. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const listening = await listen(server);
  await listening.close();
  return listening.port;
}

/** Reads a Node request body whole. */
export async function readRequestBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Connection agents shared by the clients built on `node:http`.
 *
 * @module
 */
import { Agent } from "node:http";

/** A keep-alive `http.Agent` without a socket limit, as every client under test keeps its connections. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, keepAliveMsecs: 60_000, maxSockets: Infinity });
}

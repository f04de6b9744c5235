/**
 * The options and results of the conformance suite.
 *
 * @module
 */
import type { RequestListener } from "node:http";
import type { BaseTransport } from "@ferry/core";

/** What the suite hands to a transport factory: the means to reach its servers without a network. */
export interface ConformanceContext {
  /**
   * The suite's HTTP server as a Node request listener, for transports that call an application in the same process
   * (`new AppTransport(context.app)`). Network transports ignore it.
   */
  readonly app: RequestListener;
}

/** Builds a fresh transport; the suite builds one per case and closes it after. */
export type TransportFactory = (context: ConformanceContext) => BaseTransport | Promise<BaseTransport>;

/**
 * What a transport can do. A case that needs a capability the transport declares `false` is skipped, not failed.
 * Every capability defaults to `true`, except `http2` (which also needs `tls`).
 */
export interface ConformanceSupports {
  /** Opens real connections: refused connections, resets, malformed responses, sockets released by `close()`. */
  network?: boolean;
  /** Speaks HTTP/2 (negotiated by ALPN over TLS). */
  http2?: boolean;
  /** Streams a request body as it is produced, rather than reading it whole first. */
  uploadStreaming?: boolean;
  /** Reads a chunked response body that ends with trailer fields. */
  trailers?: boolean;
  /** Sends request headers in the order given, repeated names as separate lines. */
  headerOrder?: boolean;
  /** Tells the connect phase apart from the read phase, raising `ConnectTimeout` for it. */
  connectTimeout?: boolean;
  /** Applies the read timeout to each chunk of the response body, not only to the response headers. */
  bodyReadTimeout?: boolean;
  /** Raises `WriteTimeout` when sending the request body stalls. */
  writeTimeout?: boolean;
  /** Closes its connections on `close()` (a `fetch` sharing the runtime's connection pool cannot). */
  closeConnections?: boolean;
  /** Refuses requests once closed. */
  closedRejects?: boolean;
}

/** Options of {@link runConformance} and `describeTransport`. */
export interface ConformanceOptions {
  /** What the transport cannot do, so that those cases are skipped. */
  supports?: ConformanceSupports;
  /**
   * Builds a transport that holds at most one connection per origin, for the pool timeout case (skipped without it).
   */
  createPooled?: TransportFactory;
  /** A certificate and key for the suite's HTTPS servers; the transport must trust them. Needed for `http2`. */
  tls?: { cert: string; key: string };
  /** Runs only the cases of these rules (`"redirects"`, `"timeouts.read"`), or whose name includes one of them. */
  only?: readonly string[];
  /** How long one case may take before it fails as hung, in milliseconds. Default 15 000. */
  caseTimeout?: number;
}

/** A case that failed, and why. */
export interface ConformanceFailureRecord {
  /** The case's name: its rule, then what it checks. */
  name: string;
  /** A `ConformanceFailure` naming the rule broken; what the transport raised, if anything, is its `cause`. */
  error: unknown;
}

/** What {@link runConformance} found. */
export interface ConformanceResult {
  /** The names of the cases that passed. */
  passed: string[];
  /** The cases that failed, each with its error. */
  failed: ConformanceFailureRecord[];
  /** The names of the cases skipped because the transport declared it lacks what they need. */
  skipped: string[];
}

/**
 * What the current runtime's `fetch` does on its own: which runtime this is, whether it can stream a request body,
 * and which content codings it decodes before handing the body over.
 *
 * Every runtime's `fetch` decodes some `Content-Encoding`s itself and leaves the header in place, so Ferry must know
 * which, or it would decode twice. Measured against real servers (gzip, deflate, br, zstd, and the chain "gzip, br"):
 *
 * | runtime          | decodes                        | a chain of codings      |
 * | ---------------- | ------------------------------ | ----------------------- |
 * | Node (undici 6)  | gzip, x-gzip, deflate, br      | decoded                 |
 * | Node (undici 7)  | gzip, x-gzip, deflate, br, zstd| decoded                 |
 * | Deno             | gzip, x-gzip, br               | passed through as sent  |
 * | Bun              | gzip, x-gzip, deflate, br, zstd| passed through as sent  |
 * | workerd          | gzip, x-gzip, br               | passed through as sent  |
 * | browsers         | every coding they accept       | decoded                 |
 *
 * A body whose codings are not all decoded by `fetch` arrives exactly as the server sent it.
 *
 * @module
 */

/** A runtime whose `fetch` Ferry knows. */
export type FetchRuntime = "node" | "deno" | "bun" | "workerd" | "browser" | "unknown";

interface GlobalsLike {
  Deno?: { version?: { deno?: string } };
  Bun?: { version?: string };
  process?: { versions?: Record<string, string | undefined> };
  navigator?: { userAgent?: string };
  document?: unknown;
  WorkerGlobalScope?: unknown;
}

const globals = globalThis as GlobalsLike;

/** Which runtime this is, told by its globals. */
export function detectRuntime(): FetchRuntime {
  if (globals.Deno?.version?.deno !== undefined) return "deno";
  if (globals.Bun !== undefined || globals.process?.versions?.["bun"] !== undefined) return "bun";
  if (globals.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (globals.document !== undefined || globals.WorkerGlobalScope !== undefined) return "browser";
  if (globals.process?.versions?.["node"] !== undefined) return "node";
  return "unknown";
}

/** A runtime's name for error messages. */
export const RUNTIME_NAMES: Readonly<Record<FetchRuntime, string>> = {
  node: "Node",
  deno: "Deno",
  bun: "Bun",
  workerd: "workerd (Cloudflare Workers)",
  browser: "a browser",
  unknown: "this runtime",
};

/** The content codings a runtime's `fetch` decodes; `all` for browsers, which fail on codings they cannot decode. */
export interface DecodedCodings {
  readonly codings: ReadonlySet<string> | "all";
  /** Whether a chain of codings ("gzip, br") is decoded too, when every member is. */
  readonly chains: boolean;
}

const COMMON = ["gzip", "x-gzip", "deflate", "br"];

/** The codings the `fetch` of `runtime` decodes by itself. */
export function decodedCodings(runtime: FetchRuntime): DecodedCodings {
  switch (runtime) {
    case "browser":
      return { codings: "all", chains: true };
    case "node": {
      const undiciMajor = Number.parseInt(globals.process?.versions?.["undici"] ?? "0", 10);
      return { codings: new Set(undiciMajor >= 7 ? [...COMMON, "zstd"] : COMMON), chains: true };
    }
    case "bun":
      return { codings: new Set([...COMMON, "zstd"]), chains: false };
    case "deno":
    case "workerd":
      return { codings: new Set(["gzip", "x-gzip", "br"]), chains: false };
    default:
      return { codings: new Set(COMMON), chains: true };
  }
}

/** Whether `fetch` decoded a body sent with this `Content-Encoding` header. */
export function wasDecoded(contentEncoding: string | null, decoded: DecodedCodings): boolean {
  if (contentEncoding === null) return false;
  const codings: string[] = [];
  for (const part of contentEncoding.split(",")) {
    const coding = part.trim().toLowerCase();
    if (coding !== "" && coding !== "identity") codings.push(coding);
  }
  if (codings.length === 0) return false;
  if (decoded.codings === "all") return true;
  if (codings.length > 1 && !decoded.chains) return false;
  const known = decoded.codings;
  return codings.every((coding) => known.has(coding));
}

/**
 * Whether `fetch` accepts a `ReadableStream` as a request body. A runtime that does not stringifies the stream
 * (and then sets a text `Content-Type`), which this checks without sending anything.
 */
export function supportsRequestStreams(): boolean {
  try {
    const probe = new globalThis.Request("http://localhost/", {
      method: "POST",
      body: new ReadableStream(),
      duplex: "half",
    } as RequestInit);
    return !probe.headers.has("Content-Type");
  } catch {
    return false;
  }
}

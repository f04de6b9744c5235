/**
 * The shared runtime scenario: the same Ferry code, with the same assertions, run in every runtime of the matrix
 * (Node, Deno, Bun, workerd, Chromium) against the matrix server. Browsers differ only where the issue says they
 * must: there the browser follows redirects (no history, the final URL in the response) and keeps cookies itself.
 *
 * `runScenario` never throws: each check is recorded as passed or failed, so one report shows every failure.
 */

import { detectRuntime, FetchTransport } from "@ferry/transport-fetch";
import { MockTransport } from "@ferry/transport-mock";
import {
  type BaseTransport,
  Client,
  DEFAULT_LIMITS,
  DigestAuth,
  ReadTimeout,
  type Request,
  Response,
  runtime,
  TimeoutException,
  TransportError,
  type TransportFactoryOptions,
} from "ferry";

/** What a runtime reports back to the orchestrator. */
export interface ScenarioReport {
  /** The runtime the scenario ran in, as it names itself. */
  runtime: string;
  /** The class name of the default transport `ferry` installed. */
  transport: string;
  passed: string[];
  failed: Array<{ check: string; error: string }>;
  /** Facts worth seeing in the report (encodings sent, decoded flags...). */
  notes: Record<string, unknown>;
}

const ENCODED_TEXT = "Ferry decodes this once. ".repeat(40);

class CheckFailed extends Error {}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

function equal(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  assert(a === e, `${what}: expected ${e}, got ${a}`);
}

function runtimeName(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { versions?: Record<string, string> };
    navigator?: { userAgent?: string };
    document?: unknown;
  };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (g.document !== undefined) return `browser ${g.navigator?.userAgent ?? ""}`;
  if (g.process?.versions?.["node"]) return `node ${g.process.versions["node"]}`;
  return "unknown";
}

function defaultTransport(): BaseTransport | undefined {
  const options: TransportFactoryOptions = {
    verify: true,
    cert: null,
    http1: true,
    http2: false,
    limits: DEFAULT_LIMITS,
    proxy: null,
    trustEnv: false,
  };
  return runtime.transportFactory?.(options);
}

type Check = (context: Context) => Promise<void>;

interface Context {
  client: Client;
  origin: string;
  browser: boolean;
  notes: Record<string, unknown>;
}

interface Echo {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
}

const checks: Record<string, Check> = {
  async "base URL and params"({ client }) {
    const response = await client.get("echo?x=0", { params: { a: 1, b: [2, 3] } });
    const echo = response.json<Echo>();
    equal(echo.path, "/api/echo", "path");
    equal(echo.query, "?x=0&a=1&b=2&b=3", "query");
    equal(response.request.headers.get("x-client"), "ferry-matrix", "client header");
  },

  async "JSON body"({ client }) {
    const echo = (
      await client.post("echo", { json: { name: "ferry", tags: ["a", "b"], n: 1 } })
    ).json<Echo>();
    equal(echo.method, "POST", "method");
    equal(echo.headers["content-type"], "application/json", "content type");
    equal(JSON.parse(echo.body), { name: "ferry", tags: ["a", "b"], n: 1 }, "body");
  },

  async "multipart body"({ client }) {
    const files = { upload: ["notes.txt", "hello, files", "text/plain"] as const };
    const echo = (await client.post("echo", { data: { field: "value" }, files })).json<Echo>();
    assert(
      echo.headers["content-type"]?.startsWith("multipart/form-data; boundary="),
      "multipart content type",
    );
    assert(
      echo.body.includes('Content-Disposition: form-data; name="field"\r\n\r\nvalue\r\n'),
      "data field part",
    );
    assert(
      echo.body.includes('name="upload"; filename="notes.txt"\r\nContent-Type: text/plain'),
      "file part",
    );
    assert(echo.body.includes("hello, files"), "file content");
  },

  async "cookies across requests"({ client, browser }) {
    await client.get("cookies/set", { params: { flavour: "oat" } });
    const seen = (await client.get("cookies")).json<{ cookie: string }>();
    assert(seen.cookie.includes("flavour=oat"), `cookie sent back, got ${JSON.stringify(seen.cookie)}`);
    // In a browser the browser's jar keeps cookies: Set-Cookie is hidden from scripts.
    equal(client.cookies.get("flavour") ?? null, browser ? null : "oat", "Ferry's jar");
  },

  async "followed redirect"({ client, browser, origin }) {
    const response = await client.get("redirect", { followRedirects: true });
    equal(response.statusCode, 200, "status");
    equal(response.json<Echo>().query, "?redirected=yes", "final query");
    if (browser) {
      equal(response.extensions["url"], `${origin}/api/echo?redirected=yes`, "final URL from the browser");
    } else {
      equal(
        response.history.map((r) => r.statusCode),
        [302],
        "history",
      );
      equal(String(response.url), `${origin}/api/echo?redirected=yes`, "final URL");
    }
  },

  async "Basic auth"({ client }) {
    const response = await client.get("basic", { auth: ["ferry", "s3cret"] });
    equal(response.json(), { authenticated: "basic" }, "basic auth");
  },

  async "Digest auth"({ client }) {
    const response = await client.get("digest", { auth: new DigestAuth("ferry", "s3cret") });
    equal(response.statusCode, 200, "status");
    equal(response.json(), { authenticated: "digest" }, "digest auth");
  },

  async "event hooks"({ origin }) {
    const seen: string[] = [];
    const client = new Client({
      baseUrl: `${origin}/api/`,
      eventHooks: {
        request: [(request: Request) => void seen.push(`request ${request.method} ${request.url.path}`)],
        response: [(response: Response) => void seen.push(`response ${response.statusCode}`)],
      },
    });
    await client.get("echo");
    await client.close();
    equal(seen, ["request GET /api/echo", "response 200"], "hooks");
  },

  async "streamed download in fixed-size chunks"({ client }) {
    const size = 100_000;
    const sizes: number[] = [];
    let index = 0;
    await client.stream("GET", "stream", { params: { size } }, async (response) => {
      for await (const chunk of response.iterBytes(4096)) {
        sizes.push(chunk.byteLength);
        for (const byte of chunk) assert(byte === index++ % 251, `byte ${index - 1}`);
      }
    });
    equal(index, size, "bytes received");
    assert(
      sizes.slice(0, -1).every((n) => n === 4096),
      `chunk sizes ${sizes.join(",")}`,
    );
    equal(sizes.at(-1), size % 4096, "last chunk");
  },

  async "timeout raises its class"({ client }) {
    const error = await client.get("slow", { timeout: 300 }).catch((e: unknown) => e);
    assert(error instanceof ReadTimeout, `expected ReadTimeout, got ${String(error)}`);
    assert(error instanceof TimeoutException, "a TimeoutException");
    equal((error as Error).name, "ReadTimeout", "error name");
  },

  async "mounted MockTransport"({ origin }) {
    const mock = new MockTransport((request) => new Response(200, { json: { mocked: String(request.url) } }));
    const client = new Client({ baseUrl: `${origin}/api/`, mounts: { "http://mocked.test": mock } });
    equal(
      (await client.get("http://mocked.test/thing")).json(),
      { mocked: "http://mocked.test/thing" },
      "mocked",
    );
    equal((await client.get("echo")).json<Echo>().path, "/api/echo", "unmounted URL uses the network");
    await client.close();
  },

  async "proxy through the runtime's fetch, or refused by name"({ origin }) {
    const fetchRuntime = detectRuntime();
    let transport: FetchTransport;
    try {
      transport = new FetchTransport({ proxy: "http://127.0.0.1:9" });
    } catch (error) {
      assert(
        fetchRuntime !== "bun" && fetchRuntime !== "deno",
        `${fetchRuntime} has proxy support: ${error}`,
      );
      assert(error instanceof TypeError, `a TypeError, got ${error}`);
      assert(error.message.includes("cannot honour 'proxy' in"), error.message);
      return;
    }
    assert(fetchRuntime === "bun" || fetchRuntime === "deno", `${fetchRuntime} accepted a proxy`);
    // Nothing listens on port 9: going through the proxy must fail where the direct request succeeds.
    const client = new Client({ transport });
    const error = await client.get(`${origin}/api/echo`).catch((e: unknown) => e);
    await client.close();
    assert(error instanceof TransportError, `the proxy was not used: ${error}`);
  },

  async "content decoded once"({ client, notes }) {
    for (const coding of ["gzip", "br", "zstd"]) {
      // zstd is asked for explicitly: Ferry advertises it only where it can decode it, and it is checked everywhere.
      const headers = coding === "zstd" ? { "Accept-Encoding": "zstd" } : {};
      const response = await client.get(`encoding/${coding}`, { headers });
      const decodedByFetch = response.extensions["decoded_content"] === true;
      const decoded = response.text === ENCODED_TEXT;
      notes[coding] = { sent: response.headers.get("x-sent-encoding") ?? null, decodedByFetch, decoded };
      if (decoded) continue;
      // Where neither fetch nor Ferry can decode zstd, the body passes through untouched, never decoded twice.
      const magic = Array.from(response.content.slice(0, 4));
      assert(
        coding === "zstd" && !decodedByFetch,
        `${coding} body was not decoded: ${response.text.slice(0, 40)}`,
      );
      equal(magic, [0x28, 0xb5, 0x2f, 0xfd], "zstd frame passed through");
    }
  },
};

/** Runs every check against the matrix server at `origin` and reports which passed. */
export async function runScenario(origin: string): Promise<ScenarioReport> {
  const transport = defaultTransport();
  const report: ScenarioReport = {
    runtime: runtimeName(),
    transport: transport?.constructor.name ?? "none",
    passed: [],
    failed: [],
    notes: {},
  };
  await transport?.close();
  const browser = (globalThis as { document?: unknown }).document !== undefined;
  // A page calling another origin sends cookies only with credentials "include" (the server allows them).
  const client = new Client({
    baseUrl: `${origin}/api/`,
    headers: { "X-Client": "ferry-matrix" },
    ...(browser ? { transport: new FetchTransport({ init: { credentials: "include" } }) } : {}),
  });
  const context: Context = { client, origin, browser, notes: report.notes };
  for (const [name, check] of Object.entries(checks)) {
    try {
      await check(context);
      report.passed.push(name);
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      report.failed.push({ check: name, error: detail });
    }
  }
  await client.close();
  return report;
}

/** The names of every check, for the orchestrator to expect. */
export const CHECKS: readonly string[] = Object.keys(checks);

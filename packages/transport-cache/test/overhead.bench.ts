import { type BaseTransport, Request } from "@ferry/core";
import { startHttpServer } from "@ferry/test-servers";
import { CacheTransport } from "@ferry/transport-cache";
import { Retry, RetryTransport } from "@ferry/transport-retry";
import { UndiciTransport } from "@ferry/transport-undici";
import { afterAll, bench, describe } from "vitest";

// What wrapping costs per request: a plain UndiciTransport, the same behind a RetryTransport that never retries, and
// a CacheTransport answering from memory. Run with `pnpm exec vitest bench --run packages/transport-cache`.
const body = JSON.stringify({ id: 42, name: "ferry", tags: ["http", "client"] });
const server = await startHttpServer((req, res) => {
  const cacheable = req.url === "/cached";
  res.writeHead(200, {
    "content-type": "application/json",
    ...(cacheable ? { "cache-control": "max-age=3600" } : {}),
  });
  res.end(body);
});
const plain = new UndiciTransport();
const retry = new RetryTransport({ transport: new UndiciTransport(), retry: new Retry({ total: 3 }) });
const cache = new CacheTransport({ transport: new UndiciTransport() });

async function get(transport: BaseTransport, path: string): Promise<void> {
  const response = await transport.handleRequest(new Request("GET", server.url + path));
  await response.read();
}

await get(cache, "/cached");

afterAll(async () => {
  await Promise.all([plain.close(), retry.close(), cache.close()]);
  await server.close();
});

describe("transport overhead, small JSON GET", () => {
  bench("UndiciTransport", () => get(plain, "/plain"), { time: 2000 });
  bench("RetryTransport(UndiciTransport), no retries", () => get(retry, "/plain"), { time: 2000 });
  bench("CacheTransport(UndiciTransport), hit", () => get(cache, "/cached"), { time: 2000 });
});

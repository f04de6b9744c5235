/**
 * Requests per second through MockRouter, nock, msw and undici's MockAgent: twenty routes, the request matching the
 * last, answered with a small JSON body that the client parses. Each tool is driven by the client it is made for
 * (Ferry's Client, global fetch, undici.request); one more row puts Ferry's Client over fetch with msw.
 *
 * Run with `pnpm --filter @ferry/transport-mock bench`.
 */
import { Client, Request } from "@ferry/core";
import { FetchTransport } from "@ferry/transport-fetch";
import { MockRouter } from "@ferry/transport-mock";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import nock from "nock";
import { MockAgent, request as undiciRequest } from "undici";
import { bench, describe } from "vitest";

const ORIGIN = "https://api.example.com";
const ROUTES = 20;
const TARGET = `${ORIGIN}/resource-${ROUTES - 1}/42`;

// nock intercepts as soon as it is imported: it stays off except while its own case runs.
nock.restore();

const router = new MockRouter({ baseUrl: ORIGIN });
for (let index = 0; index < ROUTES; index++) {
  router.get(`/resource-${index}/:id`).respond((_, { params }) => ({ json: { id: Number(params.id) } }));
}
const ferry = new Client({ transport: router });

const server = setupServer(
  ...Array.from({ length: ROUTES }, (_, index) =>
    http.get(`${ORIGIN}/resource-${index}/:id`, ({ params }) => HttpResponse.json({ id: Number(params.id) })),
  ),
);
const ferryOverFetch = new Client({ transport: new FetchTransport() });

const agent = new MockAgent();
agent.disableNetConnect();
const pool = agent.get(ORIGIN);
for (let index = 0; index < ROUTES; index++) {
  pool
    .intercept({ path: new RegExp(`^/resource-${index}/\\d+$`), method: "GET" })
    .reply(200, (options) => ({ id: Number(options.path.split("/").pop()) }))
    .persist();
}

function setUpNock(): void {
  nock.activate();
  for (let index = 0; index < ROUTES; index++) {
    nock(ORIGIN)
      .get(new RegExp(`^/resource-${index}/\\d+$`))
      .reply(200, (uri) => ({ id: Number(uri.split("/").pop()) }))
      .persist();
  }
}

function tearDownNock(): void {
  nock.cleanAll();
  nock.restore();
}

// Long runs: the means are otherwise at the mercy of a few collections of garbage.
const time = 2_000;

describe("requests per second, 20 routes, JSON answer", () => {
  bench(
    "MockRouter, Ferry Client",
    async () => {
      await (await ferry.get(TARGET)).json();
    },
    { time },
  );

  bench(
    "MockRouter, handleRequest() alone",
    async () => {
      const response = await router.handleRequest(new Request("GET", TARGET));
      response.json();
    },
    { time },
  );

  bench(
    "nock, global fetch",
    async () => {
      await (await fetch(TARGET)).json();
    },
    { time, setup: setUpNock, teardown: tearDownNock },
  );

  bench(
    "msw, global fetch",
    async () => {
      await (await fetch(TARGET)).json();
    },
    { time, setup: () => server.listen({ onUnhandledRequest: "error" }), teardown: () => server.close() },
  );

  bench(
    "msw, Ferry Client over fetch",
    async () => {
      await (await ferryOverFetch.get(TARGET)).json();
    },
    { time, setup: () => server.listen({ onUnhandledRequest: "error" }), teardown: () => server.close() },
  );

  bench(
    "undici MockAgent, undici.request",
    async () => {
      const response = await undiciRequest(TARGET, { dispatcher: agent });
      await response.body.json();
    },
    { time },
  );
});

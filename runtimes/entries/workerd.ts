/** Entry for workerd: a worker whose `fetch` runs the scenario against `?origin=` and answers with the report. */
import { runScenario } from "../scenario.js";

export default {
  async fetch(request: globalThis.Request): Promise<globalThis.Response> {
    const origin = new globalThis.URL(request.url).searchParams.get("origin");
    if (origin === null) return new globalThis.Response("missing ?origin=", { status: 400 });
    return globalThis.Response.json(await runScenario(origin));
  },
};

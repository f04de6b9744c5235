// Ferry's demo: a Client against a local server this script starts itself.
//
// Shows a base URL, default headers, Basic auth, cookies persisted across requests, a redirect followed with its
// history, event hooks logging each exchange, and a MockTransport mounted for one host.
import { createServer } from "node:http";
import { MockTransport } from "@ferry/transport-mock";
import { Client, Response } from "ferry";

const server = createServer((req, res) => {
  const url = new globalThis.URL(req.url ?? "/", "http://localhost");
  const send = (status, body, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  switch (url.pathname) {
    case "/api/login":
      return send(200, { welcome: "demo" }, { "set-cookie": "session=s3cr3t; Path=/api; HttpOnly" });
    case "/api/me":
      return send(200, {
        authorization: req.headers.authorization ?? null,
        cookie: req.headers.cookie ?? null,
        team: req.headers["x-team"] ?? null,
      });
    case "/api/old-profile":
      return send(301, { moved: true }, { location: "/api/me" });
    default:
      return send(404, { error: "not found" });
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();

const log = (line) => console.log(`  ${line}`);
const client = new Client({
  baseUrl: `http://127.0.0.1:${port}/api`,
  headers: { "X-Team": "ferry" },
  auth: ["demo", "hunter2"],
  followRedirects: true,
  eventHooks: {
    request: [(request) => log(`→ ${request.method} ${request.url}`)],
    response: [
      (response) => log(`← ${response.statusCode} ${response.reasonPhrase} (${response.request.url.path})`),
    ],
  },
  mounts: {
    "https://weather.example": new MockTransport(
      (request) => new Response(200, { json: { city: request.url.params.get("city"), sky: "clear" } }),
    ),
  },
});

try {
  console.log("1. log in: the server sets a session cookie, the client keeps it");
  await client.post("/login", { json: { user: "demo" } });
  log(`cookies in the jar: ${[...client.cookies.keys()].join(", ")}`);

  console.log("2. a later request sends the cookie, the default header and Basic auth");
  const me = await client.get("/me");
  log(JSON.stringify(me.json()));

  console.log("3. a redirect, followed, with its history");
  const moved = await client.get("/old-profile");
  log(`final URL ${moved.url}, history: ${moved.history.map((r) => r.statusCode).join(", ")}`);

  console.log("4. a host mounted on a MockTransport: no network involved");
  const weather = await client.get("https://weather.example/today", { params: { city: "Lisbon" } });
  log(JSON.stringify(weather.json()));
} finally {
  await client.close();
  server.close();
}

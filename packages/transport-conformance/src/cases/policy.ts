/**
 * Cases for the policy a transport must leave to the Client: redirects, cookies and auth challenges.
 *
 * @module
 */
import { check, show } from "../failure.js";
import type { ConformanceCase } from "../harness.js";

const REDIRECTS = [301, 302, 303, 307, 308];

const redirects: ConformanceCase = {
  name: "redirects: a 3xx response is returned, never followed",
  rule: "redirects",
  async run(env) {
    const target = env.server.route((_req, res) => {
      res.end("target");
    });
    for (const status of REDIRECTS) {
      const route = env.server.route((_req, res) => {
        res.writeHead(status, { location: `${target.url}/from-${status}` }).end();
      });
      const response = await env.send(env.request("GET", route.url));
      await response.close();
      check(target.hits === 0, "redirects", () => {
        return `the transport followed a ${status} redirect (the target was requested): redirects are the Client's to follow.`;
      });
      check(
        response.statusCode === status,
        "redirects",
        () => `expected ${status}, got ${response.statusCode}.`,
      );
      const location = response.headers.get("location");
      check(location === `${target.url}/from-${status}`, "redirects", () => {
        return `the Location header must be returned as sent, got ${show(location)}.`;
      });
    }
  },
};

const cookies: ConformanceCase = {
  name: "cookies: Set-Cookie is returned, never stored or sent back",
  rule: "cookies",
  async run(env) {
    const seen: { cookie?: string | undefined } = {};
    const setter = env.server.route((_req, res) => {
      res.setHeader("set-cookie", "ferry_session=abc; Path=/");
      res.end("set");
    });
    const reader = env.server.route((req, res) => {
      seen.cookie = req.headers.cookie;
      res.end("read");
    });
    const first = await env.send(env.request("GET", setter.url));
    await first.close();
    check(first.headers.get("set-cookie") === "ferry_session=abc; Path=/", "cookies", () => {
      return `Set-Cookie must be returned as sent, got ${show(first.headers.get("set-cookie"))}.`;
    });
    await (await env.send(env.request("GET", reader.url))).close();
    check(seen.cookie === undefined, "cookies", () => {
      return `the transport stored a cookie and sent it back (Cookie: ${show(seen.cookie)}): cookies are the Client's.`;
    });
  },
};

const authChallenges: ConformanceCase = {
  name: "auth: a 401 challenge is returned, never answered",
  rule: "auth",
  async run(env) {
    const route = env.server.route((_req, res) => {
      res.writeHead(401, { "www-authenticate": 'Basic realm="ferry"' }).end("who are you?");
    });
    const response = await env.send(env.request("GET", route.url));
    await response.close();
    check(response.statusCode === 401, "auth", () => `expected 401, got ${response.statusCode}.`);
    check(route.hits === 1, "auth", () => `a 401 was answered by the transport (${route.hits} requests).`);
  },
};

/** The cases about policy a transport leaves to the Client. */
export const policyCases: readonly ConformanceCase[] = [redirects, cookies, authChallenges];

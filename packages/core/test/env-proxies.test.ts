import { afterEach, describe, expect, it } from "vitest";
import { environmentProxies, getEnvironmentProxies } from "../src/env-proxies.js";
import { runtime } from "../src/runtime.js";

describe("environmentProxies", () => {
  it.each<[Record<string, string>, Record<string, string | null>]>([
    [{}, {}],
    [{ HTTP_PROXY: "http://127.0.0.1" }, { "http://": "http://127.0.0.1" }],
    [
      { https_proxy: "http://127.0.0.1", HTTP_PROXY: "https://127.0.0.1" },
      { "http://": "https://127.0.0.1", "https://": "http://127.0.0.1" },
    ],
    [{ all_proxy: "http://127.0.0.1" }, { "all://": "http://127.0.0.1" }],
    [{ ALL_PROXY: "socks5://127.0.0.1:1080" }, { "all://": "socks5://127.0.0.1:1080" }],
    [{ HTTP_PROXY: "example.com:3128" }, { "http://": "http://example.com:3128" }],
    [{ TRAVIS_APT_PROXY: "http://127.0.0.1" }, {}],
    [{ HTTP_PROXY: "" }, {}],
    [{ http_proxy: "http://lower", HTTP_PROXY: "http://upper" }, { "http://": "http://lower" }],
    [{ http_proxy: "", HTTP_PROXY: "http://upper" }, {}],
    [{ HTTP_PROXY: "http://upper", REQUEST_METHOD: "GET" }, {}],
    [{ http_proxy: "http://lower", REQUEST_METHOD: "GET" }, { "http://": "http://lower" }],
    [{ no_proxy: "127.0.0.1" }, { "all://127.0.0.1": null }],
    [{ no_proxy: "192.168.0.0/16" }, { "all://192.168.0.0/16": null }],
    [{ no_proxy: "::1" }, { "all://[::1]": null }],
    [{ no_proxy: "[::1]" }, { "all://[::1]": null }],
    [{ no_proxy: "fe80::/10" }, { "all://[fe80::/10]": null }],
    [{ no_proxy: "localhost" }, { "all://localhost": null }],
    [{ NO_PROXY: "LocalHost" }, { "all://LocalHost": null }],
    [{ no_proxy: "github.com" }, { "all://*github.com": null }],
    [{ no_proxy: ".github.com" }, { "all://*.github.com": null }],
    [{ no_proxy: "http://github.com" }, { "http://github.com": null }],
    [
      { no_proxy: "a.com, b.com,,", HTTP_PROXY: "p" },
      { "http://": "http://p", "all://*a.com": null, "all://*b.com": null },
    ],
    [{ HTTP_PROXY: "http://p", NO_PROXY: "*" }, {}],
    [{ HTTP_PROXY: "http://p", NO_PROXY: "a.com,*" }, {}],
  ])("reads %j as %j", (env, expected) => {
    expect(environmentProxies(env)).toEqual(expected);
  });

  it("lists the proxies before the NO_PROXY exemptions, in scheme order", () => {
    const mounts = environmentProxies({ NO_PROXY: "a.com", ALL_PROXY: "http://a", HTTP_PROXY: "http://h" });
    expect(Object.keys(mounts)).toEqual(["http://", "all://", "all://*a.com"]);
  });
});

describe("getEnvironmentProxies", () => {
  const saved = runtime.env;
  afterEach(() => {
    runtime.env = saved;
  });

  it("is empty when the runtime has no environment", () => {
    runtime.env = undefined;
    expect(getEnvironmentProxies()).toEqual({});
  });

  it("reads the runtime's environment", () => {
    runtime.env = () => ({ HTTPS_PROXY: "http://proxy:3128" });
    expect(getEnvironmentProxies()).toEqual({ "https://": "http://proxy:3128" });
  });
});

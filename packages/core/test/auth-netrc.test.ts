import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configureRuntime, NetRCAuth, Request, Response, type Runtime, runtime } from "@ferry/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseNetrc } from "../src/auth/netrc.js";

const NETRC = `machine netrcexample.org
login example-username
password example-password

machine Other.Example.com login other password secret account acct
default login anonymous password guest@
`;

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

let dir: string;
let saved: Pick<Runtime, "env" | "readTextFile" | "homeDir">;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ferry-netrc-"));
  saved = { env: runtime.env, readTextFile: runtime.readTextFile, homeDir: runtime.homeDir };
  configureRuntime({
    env: () => ({}),
    readTextFile: (path) => readFileSync(path, "utf8"),
    homeDir: () => dir,
  });
});

afterEach(() => {
  configureRuntime(saved);
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function authorizationFor(auth: NetRCAuth, url: string): string | undefined {
  const request = new Request("GET", url);
  const flow = auth.authFlow(request);
  const step = flow.next();
  expect(step.value).toBe(request);
  expect(flow.next(new Response(401, { request })).done).toBe(true);
  return request.headers.get("Authorization");
}

describe("NetRCAuth", () => {
  it.each([
    ["http://netrcexample.org/path", basic("example-username", "example-password")],
    ["https://other.example.com:8443/", basic("other", "secret")],
    ["http://unknown.example.net/", basic("anonymous", "guest@")],
  ])("sends Basic credentials for %s", (url, expected) => {
    expect(authorizationFor(new NetRCAuth(write("netrc", NETRC)), url)).toBe(expected);
  });

  it("leaves the request unchanged for a host without an entry and no default", () => {
    const auth = new NetRCAuth(write("netrc", "machine a.example login u password p\n"));
    expect(authorizationFor(auth, "http://example.org/")).toBeUndefined();
  });

  it("leaves the request unchanged when the entry has no password", () => {
    const auth = new NetRCAuth(write("netrc", "machine example.org login u\ndefault login d password p\n"));
    expect(authorizationFor(auth, "http://example.org/")).toBeUndefined();
  });

  it("reads $NETRC when no file is given", () => {
    const path = write("custom-netrc", "default login env password from-env\n");
    configureRuntime({ env: () => ({ NETRC: path }) });
    expect(authorizationFor(new NetRCAuth(), "http://example.org/")).toBe(basic("env", "from-env"));
  });

  it("reads ~/.netrc when no file is given and $NETRC is unset", () => {
    write(".netrc", "default login home password from-home\n");
    expect(authorizationFor(new NetRCAuth(null), "http://example.org/")).toBe(basic("home", "from-home"));
  });

  it("reads the file once, when created", () => {
    const path = write("netrc", NETRC);
    let reads = 0;
    configureRuntime({
      readTextFile: (file) => {
        reads++;
        return readFileSync(file, "utf8");
      },
    });
    const auth = new NetRCAuth(path);
    authorizationFor(auth, "http://netrcexample.org/");
    authorizationFor(auth, "http://netrcexample.org/");
    expect(reads).toBe(1);
  });

  it("names runtime.readTextFile when the runtime cannot read files", () => {
    configureRuntime({ readTextFile: undefined });
    expect(() => new NetRCAuth("/any/netrc")).toThrow(/runtime\.readTextFile/);
  });

  it("names runtime.homeDir when it cannot find the default file", () => {
    configureRuntime({ env: undefined, homeDir: undefined });
    expect(() => new NetRCAuth()).toThrow(/runtime\.homeDir/);
  });

  it("lets a missing file's error through", () => {
    expect(() => new NetRCAuth(join(dir, "missing"))).toThrow(/ENOENT/);
  });

  it("rejects a file that is not a string", () => {
    expect(() => new NetRCAuth(42 as never)).toThrow(
      /NetRCAuth file must be a path string or null, got number/,
    );
  });
});

describe("parseNetrc", () => {
  const entry = (login: string, password: string, account = "") => ({ login, password, account });

  it.each([
    ["one machine per line", "machine h login u password p", { h: entry("u", "p") }, null],
    [
      "'user' for login, and account",
      "machine h user u account a password p",
      { h: entry("u", "p", "a") },
      null,
    ],
    [
      "lower-cased machine names",
      "machine EXAMPLE.org login u password p",
      { "example.org": entry("u", "p") },
      null,
    ],
    [
      "a later entry replacing an earlier one",
      "machine h login first password 1\nmachine h login second password 2",
      { h: entry("second", "2") },
      null,
    ],
    ["a default entry", "default login d password p", {}, entry("d", "p")],
    [
      "comments, whole-line and trailing",
      "# my hosts\nmachine h # the host\n  login u\n  password p # secret\n",
      { h: entry("u", "p") },
      null,
    ],
    ["a password starting with #", "machine h login u password #hash", { h: entry("u", "#hash") }, null],
    [
      "quoted tokens with spaces and escapes",
      'machine h login "a user" password "p \\"q\\" r"',
      { h: entry("a user", 'p "q" r') },
      null,
    ],
    ["backslash escapes outside quotes", "machine h login a\\ b password p", { h: entry("a b", "p") }, null],
    [
      "macdef blocks skipped up to a blank line",
      "macdef init\ncd /pub\nmachine fake login x password y\n\nmachine h login u password p\n",
      { h: entry("u", "p") },
      null,
    ],
    [
      "a macdef at the end of the file",
      "machine h login u password p\nmacdef m\nput x",
      { h: entry("u", "p") },
      null,
    ],
    ["an empty file", "", {}, null],
    ["CRLF line ends", "machine h\r\nlogin u\r\npassword p\r\n", { h: entry("u", "p") }, null],
  ])("reads %s", (_name, text, machines, fallback) => {
    const parsed = parseNetrc(text);
    expect(Object.fromEntries(parsed.machines)).toEqual(machines);
    expect(parsed.fallback).toEqual(fallback);
  });

  it.each([
    ["login u password p", /Bad netrc file \/x\/.netrc, line 1: unexpected token "login" at the top level/],
    ["machine h\nlogin u\nfoo bar", /line 3: unexpected token "foo" in an entry/],
    ["machine h login", /value missing after "login"/],
    ["machine", /machine name missing/],
  ])("rejects %j with the file and line", (text, message) => {
    expect(() => parseNetrc(text, "/x/.netrc")).toThrow(SyntaxError);
    expect(() => parseNetrc(text, "/x/.netrc")).toThrow(message);
  });
});

/**
 * Basic authentication with credentials looked up in a netrc file, by host.
 *
 * @module
 */
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import { runtime } from "../runtime.js";
import { Auth } from "./base.js";
import { basicAuthHeader } from "./basic.js";

/** One `machine` (or `default`) entry of a netrc file. */
export interface NetrcEntry {
  login: string;
  account: string;
  password: string;
}

/**
 * Basic authentication with the credentials a netrc file holds for the request's host (or its `default` entry).
 * A request to a host without an entry, or whose entry has no password, is sent unchanged.
 *
 * The file is read and parsed once, when the auth is created: `file` when given, else `$NETRC`, else `~/.netrc`.
 * Reading it needs the runtime's file services (`@ferry/core/node` registers them on Node).
 */
export class NetRCAuth extends Auth {
  /** The Basic `Authorization` value for each machine, computed once; `null` for a machine without password. */
  readonly #headers: ReadonlyMap<string, string | null>;
  readonly #defaultHeader: string | null;

  constructor(file?: string | null) {
    super();
    if (file !== undefined && file !== null && typeof file !== "string") {
      throw new TypeError(`NetRCAuth file must be a path string or null, got ${typeof file}.`);
    }
    const path = file ?? defaultNetrcPath();
    const readTextFile = runtime.readTextFile;
    if (readTextFile === undefined) {
      throw new Error(
        "NetRCAuth needs runtime.readTextFile to read the netrc file: import '@ferry/core/node' (or 'ferry'), " +
          "or call configureRuntime({ readTextFile }).",
      );
    }
    const { machines, fallback } = parseNetrc(readTextFile(path), path);
    this.#headers = new Map([...machines].map(([host, entry]) => [host, headerFor(entry)]));
    this.#defaultHeader = fallback === null ? null : headerFor(fallback);
  }

  override *authFlow(request: Request): Generator<Request, void, Response> {
    const host = request.url.host;
    // A machine entry without password wins over `default` and means "no credentials", as in Python's netrc.
    const header = this.#headers.has(host) ? this.#headers.get(host) : this.#defaultHeader;
    if (header !== undefined && header !== null) request.headers.set("Authorization", header);
    yield request;
  }
}

function headerFor(entry: NetrcEntry): string | null {
  return entry.password === "" ? null : basicAuthHeader(entry.login, entry.password);
}

/** `$NETRC` when set, else `.netrc` in the home directory. */
function defaultNetrcPath(): string {
  const fromEnv = runtime.env?.()["NETRC"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (runtime.homeDir === undefined) {
    throw new Error(
      "NetRCAuth needs runtime.homeDir (or runtime.env with NETRC set) to find the netrc file: import " +
        "'@ferry/core/node' (or 'ferry'), call configureRuntime({ homeDir }), or pass the file path.",
    );
  }
  const home = runtime.homeDir();
  return /[\\/]$/.test(home) ? `${home}.netrc` : `${home}/.netrc`;
}

/** The entries of a netrc file: machines by lower-cased host name, and the `default` entry. */
export interface ParsedNetrc {
  readonly machines: ReadonlyMap<string, NetrcEntry>;
  readonly fallback: NetrcEntry | null;
}

/**
 * Parses netrc text the way Python's `netrc` module does: `machine NAME` / `default` entries with `login` (or
 * `user`), `password` and `account`; `macdef` blocks skipped up to their blank line; `#` comments; quoted tokens.
 * A later entry for the same machine replaces an earlier one.
 *
 * @throws SyntaxError naming the file and line of an unexpected token.
 */
export function parseNetrc(text: string, path = "<netrc>"): ParsedNetrc {
  const lexer = new NetrcLexer(text);
  const machines = new Map<string, NetrcEntry>();
  let fallback: NetrcEntry | null = null;
  for (let token = lexer.next(); token !== null; token = lexer.next()) {
    if (token === "macdef") {
      lexer.next();
      lexer.skipMacro();
      continue;
    }
    let host: string | null;
    if (token === "machine") host = lexer.next();
    else if (token === "default") host = null;
    else throw lexer.error(path, `unexpected token "${token}" at the top level`);
    if (token === "machine" && host === null) throw lexer.error(path, "machine name missing");
    const entry = readEntry(lexer, path);
    if (host === null) fallback = entry;
    else machines.set(host.toLowerCase(), entry);
  }
  return { machines, fallback };
}

const ENTRY_ENDS = new Set(["machine", "default", "macdef"]);

function readEntry(lexer: NetrcLexer, path: string): NetrcEntry {
  const entry: NetrcEntry = { login: "", account: "", password: "" };
  for (let token = lexer.peek(); token !== null && !ENTRY_ENDS.has(token); token = lexer.peek()) {
    lexer.next();
    const value = lexer.nextValue();
    if (value === null) throw lexer.error(path, `value missing after "${token}"`);
    if (token === "login" || token === "user") entry.login = value;
    else if (token === "password") entry.password = value;
    else if (token === "account") entry.account = value;
    else throw lexer.error(path, `unexpected token "${token}" in an entry`);
  }
  return entry;
}

/** Splits netrc text into whitespace-separated tokens, with quotes, backslash escapes and `#` comments. */
class NetrcLexer {
  readonly #text: string;
  #pos = 0;
  #line = 1;
  #peeked: string | null | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  peek(): string | null {
    if (this.#peeked === undefined) this.#peeked = this.#read();
    return this.#peeked;
  }

  next(): string | null {
    const token = this.peek();
    this.#peeked = undefined;
    return token;
  }

  /** Reads the value of a keyword: unlike a keyword, a value may start with `#`. */
  nextValue(): string | null {
    return this.#read(false);
  }

  /** Skips a macro body: the rest of the `macdef` line, then every line up to a blank one. */
  skipMacro(): void {
    const text = this.#text;
    let lineStart = this.#skipLine();
    while (lineStart < text.length) {
      const end = text.indexOf("\n", lineStart);
      const line = text.slice(lineStart, end < 0 ? text.length : end);
      lineStart = this.#skipLine();
      if (line.trim() === "") return;
    }
  }

  error(path: string, message: string): SyntaxError {
    return new SyntaxError(`Bad netrc file ${path}, line ${this.#line}: ${message}.`);
  }

  /** Moves past the end of the current line; returns the position of the next line. */
  #skipLine(): number {
    const end = this.#text.indexOf("\n", this.#pos);
    this.#pos = end < 0 ? this.#text.length : end + 1;
    if (end >= 0) this.#line++;
    return this.#pos;
  }

  #read(comments = true): string | null {
    const text = this.#text;
    for (;;) {
      while (this.#pos < text.length && /\s/.test(text[this.#pos] ?? "")) {
        if (text[this.#pos] === "\n") this.#line++;
        this.#pos++;
      }
      if (this.#pos >= text.length) return null;
      if (!comments || text[this.#pos] !== "#") return this.#readToken();
      this.#skipLine();
    }
  }

  #readToken(): string {
    const text = this.#text;
    const quoted = text[this.#pos] === '"';
    if (quoted) this.#pos++;
    let token = "";
    while (this.#pos < text.length) {
      const char = text[this.#pos] ?? "";
      if (quoted ? char === '"' : /\s/.test(char)) break;
      if (char === "\\" && this.#pos + 1 < text.length) this.#pos++;
      if (text[this.#pos] === "\n") this.#line++;
      token += text[this.#pos];
      this.#pos++;
    }
    if (quoted) this.#pos++;
    return token;
  }
}

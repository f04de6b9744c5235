/**
 * Patterns on where a request goes: its method, scheme, host, port, path and URL.
 *
 * @module
 */
import type { Request } from "@ferry/core";
import { Pattern } from "./patterns.js";
import type { RequestView } from "./request-view.js";
import { type Captures, NO_CAPTURES, type ValueMatcher } from "./value-matchers.js";

/** The parts of a request a {@link ValuePattern} can read. */
export type RequestPart = "method" | "scheme" | "host" | "url";

const READ_PART: Readonly<Record<RequestPart, (request: Request) => string>> = {
  method: (request) => request.method,
  scheme: (request) => request.url.scheme,
  host: (request) => request.url.host,
  url: (request) => String(request.url),
};

/** One string part of the request (method, scheme, host or the whole URL) tested by a value matcher. */
export class ValuePattern extends Pattern {
  readonly part: RequestPart;
  readonly matcher: ValueMatcher;
  readonly #read: (request: Request) => string;

  constructor(part: RequestPart, matcher: ValueMatcher) {
    super();
    this.part = part;
    this.matcher = matcher;
    this.#read = READ_PART[part];
  }

  match(view: RequestView): Captures | undefined {
    return this.matcher.test(this.#read(view.request));
  }

  explain(view: RequestView): string[] {
    const actual = this.#read(view.request);
    if (this.matcher.test(actual) !== undefined) return [];
    return [`${this.part}: expected ${this.matcher.describe()}, got ${JSON.stringify(actual)}`];
  }

  describe(): string {
    return `${this.part} ${this.matcher.describe()}`;
  }
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };

/** The port, with the scheme's default port when the URL names none. */
export function effectivePort(request: Request): number | null {
  return request.url.port ?? DEFAULT_PORTS[request.url.scheme] ?? null;
}

/** The port, the scheme's default counting: `port: 443` matches `https://example.com/`. */
export class PortPattern extends Pattern {
  readonly ports: readonly number[];

  constructor(ports: readonly number[]) {
    super();
    this.ports = ports;
  }

  match(view: RequestView): Captures | undefined {
    const port = effectivePort(view.request);
    return port !== null && this.ports.includes(port) ? NO_CAPTURES : undefined;
  }

  explain(view: RequestView): string[] {
    if (this.match(view) !== undefined) return [];
    return [`port: expected ${this.ports.join(" or ")}, got ${effectivePort(view.request) ?? "none"}`];
  }

  describe(): string {
    return `port ${this.ports.join(" or ")}`;
  }
}

/**
 * The path, tested below a base path: with base `/v1`, the matcher sees `/users` for a request to `/v1/users`, and
 * a request outside `/v1` does not match.
 */
export class PathPattern extends Pattern {
  readonly base: string;
  readonly matcher: ValueMatcher | null;

  constructor(base: string, matcher: ValueMatcher | null) {
    super();
    this.base = base.endsWith("/") ? base.slice(0, -1) : base;
    this.matcher = matcher;
  }

  #relative(path: string): string | undefined {
    if (this.base === "") return path;
    if (!path.startsWith(this.base)) return undefined;
    const rest = path.slice(this.base.length);
    if (rest === "") return "/";
    return rest.startsWith("/") ? rest : undefined;
  }

  match(view: RequestView): Captures | undefined {
    const relative = this.#relative(view.request.url.path);
    if (relative === undefined) return undefined;
    return this.matcher === null ? NO_CAPTURES : this.matcher.test(relative);
  }

  explain(view: RequestView): string[] {
    if (this.match(view) !== undefined) return [];
    return [`path: expected ${this.describe().slice(5)}, got ${JSON.stringify(view.request.url.path)}`];
  }

  describe(): string {
    if (this.matcher === null) return `path under ${JSON.stringify(this.base)}`;
    const inner = this.matcher.describe();
    if (this.base === "") return `path ${inner}`;
    return inner.startsWith('"/')
      ? `path "${this.base}${inner.slice(1)}`
      : `path ${inner} under "${this.base}"`;
  }
}

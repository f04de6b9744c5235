/**
 * A request as patterns read it, with the body's text, JSON, form fields and the cookies worked out once, on first
 * use, however many routes look at them.
 *
 * @module
 */
import { QueryParams, type Request } from "@ferry/core";

const UTF8 = new TextDecoder();
const FORM_TYPE = "application/x-www-form-urlencoded";

/** A request with its body already read, and lazily derived views of it. */
export class RequestView {
  /** What {@link RequestView.json} holds when the body is not JSON. */
  static readonly NOT_JSON: unique symbol = Symbol("not JSON");

  /** The request. Its body has been read: `request.content` is available. */
  readonly request: Request;
  #text: string | undefined;
  #json: unknown;
  #jsonParsed = false;
  #form: QueryParams | undefined | null = null;
  #cookies: Map<string, string> | undefined;

  constructor(request: Request) {
    this.request = request;
  }

  /** The body decoded as UTF-8. */
  get text(): string {
    this.#text ??= UTF8.decode(this.request.content);
    return this.#text;
  }

  /** The body parsed as JSON, or {@link RequestView.NOT_JSON}. */
  get json(): unknown {
    if (!this.#jsonParsed) {
      this.#jsonParsed = true;
      try {
        this.#json = JSON.parse(this.text);
      } catch {
        this.#json = RequestView.NOT_JSON;
      }
    }
    return this.#json;
  }

  /** The fields of a URL-encoded form body, `undefined` when the body is not one. */
  get form(): QueryParams | undefined {
    if (this.#form === null) {
      const type = this.request.headers.get("content-type") ?? "";
      this.#form = type.toLowerCase().startsWith(FORM_TYPE) ? new QueryParams(this.text) : undefined;
    }
    return this.#form;
  }

  /** The cookies of the `Cookie` header, by name. */
  get cookies(): ReadonlyMap<string, string> {
    this.#cookies ??= parseCookieHeader(this.request.headers.getList("cookie"));
    return this.#cookies;
  }
}

function parseCookieHeader(headers: readonly string[]): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of headers) {
    for (const pair of header.split(";")) {
      const equals = pair.indexOf("=");
      if (equals === -1) continue;
      const name = pair.slice(0, equals).trim();
      if (name !== "" && !cookies.has(name)) cookies.set(name, pair.slice(equals + 1).trim());
    }
  }
  return cookies;
}

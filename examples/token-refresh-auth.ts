/**
 * Bearer-token authentication as a Ferry auth flow: the token is fetched on first use, sent with every request,
 * and fetched again when the API answers 401, after which the request is sent once more.
 *
 * ```ts
 * const client = new Client({ baseUrl: "https://api.example.com" });
 * client.auth = new TokenAuth(passwordLogin(client, "/auth/token", "ada", "s3cret"));
 * const response = await client.get("/tasks"); // logs in first, then sends the token
 * ```
 *
 * @module
 */
import { Auth, type Client, type Request, type Response } from "ferry";

/** Fetches a fresh access token. */
export type TokenSource = () => Promise<string>;

/**
 * Sends `Authorization: Bearer <token>`, fetching the token when it has none and again when a response is a 401.
 * Requests sent at the same time share one fetch of the token: after a token expires, ten requests rejected at
 * once cause one login, not ten.
 */
export class TokenAuth extends Auth {
  /**
   * The request may have to be sent twice, and a body given as a stream can be read only once: the Client reads
   * the body into memory before the flow starts, so it can be sent again after a 401.
   */
  override requiresRequestBody = true;

  readonly #fetchToken: TokenSource;
  #token: string | null = null;
  #fetching: Promise<string> | null = null;

  constructor(fetchToken: TokenSource) {
    super();
    this.#fetchToken = fetchToken;
  }

  /** Yields the request with the current token; after a 401, yields it again with a fresh one. */
  override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
    const token = this.#token ?? (await this.#freshToken(null));
    request.headers.set("Authorization", `Bearer ${token}`);
    const response: Response = yield request;
    if (response.statusCode !== 401) return;
    request.headers.set("Authorization", `Bearer ${await this.#freshToken(token)}`);
    // The Client hands back the response to this request; the 401 goes to `response.history`. A second 401 is
    // returned as it is: the flow ends here rather than logging in again and again.
    yield request;
  }

  /**
   * A token to replace `rejected`: the one another request already fetched, the one being fetched, or a new one.
   */
  #freshToken(rejected: string | null): Promise<string> {
    if (this.#token !== null && this.#token !== rejected) return Promise.resolve(this.#token);
    this.#fetching ??= this.#fetchToken()
      .then((token) => {
        this.#token = token;
        return token;
      })
      .finally(() => {
        this.#fetching = null;
      });
    return this.#fetching;
  }
}

/**
 * A {@link TokenSource} that logs in with a username and password: `POST {url}` with a JSON body, answered by
 * `{ "token": "..." }`. It goes through `client` without the client's auth (`auth: null`), which would otherwise
 * try to log in to log in. A failed login raises `HTTPStatusError`.
 */
export function passwordLogin(client: Client, url: string, username: string, password: string): TokenSource {
  return async () => {
    const response = await client.post(url, { json: { username, password }, auth: null });
    return response.raiseForStatus().json<{ token: string }>().token;
  };
}

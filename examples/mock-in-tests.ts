/**
 * A small API client written so that tests can give it a mock transport: it takes an optional `transport` and
 * passes it to its `Client`. In production the runtime's default transport is used; in tests a `MockTransport`,
 * a `MockRouter` or an `AppTransport` answers in the same process (see mock-in-tests.test.ts).
 *
 * ```ts
 * await using issues = new IssueTracker({ baseUrl: "https://tracker.example.com/api", token });
 * await issues.create("Ferry sinks");
 * for (const issue of await issues.listOpen()) console.log(issue.number, issue.title);
 * ```
 *
 * @module
 */
import { type BaseTransport, Client } from "ferry";

/** An issue as the tracker's API returns it. */
export interface Issue {
  number: number;
  title: string;
  state: "open" | "closed";
}

/** Options of {@link IssueTracker}. */
export interface IssueTrackerOptions {
  baseUrl: string;
  token: string;
  /** The transport to send through; default: the runtime's. */
  transport?: BaseTransport;
}

/** A client of an issue tracker's JSON API. Close it when done: `await using tracker = new IssueTracker(...)`. */
export class IssueTracker {
  readonly #client: Client;

  constructor({ baseUrl, token, transport }: IssueTrackerOptions) {
    this.#client = new Client({
      baseUrl,
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      timeout: 10_000,
      ...(transport === undefined ? {} : { transport }),
    });
  }

  /** Every open issue, following the `Link: <...>; rel="next"` header from page to page. */
  async listOpen(): Promise<Issue[]> {
    const issues: Issue[] = [];
    let response = await this.#client.get("/issues", { params: { state: "open", per_page: 50 } });
    for (;;) {
      issues.push(...response.raiseForStatus().json<Issue[]>());
      const next = response.links["next"];
      if (next === undefined) return issues;
      response = await this.#client.get(next.url);
    }
  }

  /** Opens an issue and returns it, as the API numbered it. */
  async create(title: string): Promise<Issue> {
    const response = await this.#client.post("/issues", { json: { title } });
    return response.raiseForStatus().json<Issue>();
  }

  /** Closes an issue. */
  async closeIssue(number: number): Promise<void> {
    const response = await this.#client.patch(`/issues/${number}`, { json: { state: "closed" } });
    response.raiseForStatus();
  }

  /** Closes the underlying client and its transport. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#client.close();
  }
}

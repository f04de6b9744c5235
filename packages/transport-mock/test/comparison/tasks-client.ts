/**
 * A small API client, the code under test of the comparison suites: it logs in for a bearer token, logs in again
 * once when the API answers 401, and follows pagination.
 */
import { Auth, type BaseTransport, Client, type Request, type Response } from "@ferry/core";

/** A task of the API. */
export interface Task {
  id: number;
  title: string;
}

interface Page {
  items: Task[];
  next: number | null;
}

/** Sends a bearer token, fetching it on first use and once more when the API answers 401. */
class TokenAuth extends Auth {
  #token: string | null = null;
  readonly #login: () => Promise<string>;

  constructor(login: () => Promise<string>) {
    super();
    this.#login = login;
  }

  override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
    this.#token ??= await this.#login();
    request.headers.set("authorization", `Bearer ${this.#token}`);
    const response = yield request;
    if (response.statusCode !== 401) return;
    this.#token = await this.#login();
    request.headers.set("authorization", `Bearer ${this.#token}`);
    yield request;
  }
}

/** The client of the tasks API. */
export class TasksClient {
  readonly #client: Client;
  readonly #auth: TokenAuth;

  constructor(options: { baseUrl: string; username: string; password: string; transport?: BaseTransport }) {
    const { baseUrl, username, password, transport } = options;
    this.#client = new Client({ baseUrl, ...(transport === undefined ? {} : { transport }) });
    this.#auth = new TokenAuth(async () => {
      const response = await this.#client.post("/auth/token", { auth: [username, password] });
      return response.raiseForStatus().json<{ token: string }>().token;
    });
  }

  /** Every task, across all pages. */
  async listTasks(): Promise<Task[]> {
    const tasks: Task[] = [];
    for (let page: number | null = 1; page !== null; ) {
      const response = await this.#client.get("/tasks", { params: { page }, auth: this.#auth });
      const body = response.raiseForStatus().json<Page>();
      tasks.push(...body.items);
      page = body.next;
    }
    return tasks;
  }

  /** Creates a task. */
  async createTask(title: string): Promise<Task> {
    const response = await this.#client.post("/tasks", { json: { title }, auth: this.#auth });
    return response.raiseForStatus().json<Task>();
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

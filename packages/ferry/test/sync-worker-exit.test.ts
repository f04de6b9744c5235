import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Worker } from "node:worker_threads";
import { SyncClient, TransportError } from "@ferry/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import "../src/node.js";
import * as ferryNode from "../src/node.js";
import { WorkerExited } from "../src/sync/errors.js";
import { observeWorkers, setWorkerScript } from "../src/sync/factory.js";
import type { DyingScriptInput, DyingScriptReport } from "./fixtures/dying-script.js";
import { bundleSyncModules, type ServerThread, startServerThread } from "./sync-helpers.js";

let outdir: string;
let http: ServerThread;
let workers: Worker[];

beforeAll(async () => {
  outdir = await bundleSyncModules();
  http = await startServerThread("http");
});

afterAll(async () => {
  await http?.close();
});

beforeEach(() => {
  workers = [];
  observeWorkers((worker) => workers.push(worker));
});

afterEach(() => {
  observeWorkers(undefined);
  setWorkerScript(pathToFileURL(join(outdir, "worker.mjs")));
});

const dyingWorker = () => pathToFileURL(join(outdir, "dying-worker.mjs"));

/** The error `send()` throws, checked to be a WorkerExited. */
function workerExited(send: () => unknown): WorkerExited {
  try {
    send();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkerExited);
    return error as WorkerExited;
  }
  throw new Error("The request did not fail.");
}

describe("a SyncClient whose worker thread dies", () => {
  it("raises WorkerExited, which ferry exports on Node", () => {
    expect(ferryNode.WorkerExited).toBe(WorkerExited);
    expect(new WorkerExited({ code: 1, cause: undefined })).toBeInstanceOf(ferryNode.TransportError);
  });

  it("fails the request in flight when the worker throws, and sends the next one from a fresh worker", () => {
    setWorkerScript(dyingWorker());
    using client = new SyncClient({ baseUrl: http.url });
    const error = workerExited(() => client.get("/die/throw"));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.name).toBe("WorkerExited");
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      "The SyncClient's worker thread exited with exit code 1 before the response was complete: the worker broke",
    );
    expect(String(error.request.url)).toBe(`${http.url}/die/throw`);
    expect((error.cause as Error).message).toBe("the worker broke");
    expect(client.get("/bytes/3").text).toBe("aaa");
    expect(workers).toHaveLength(2);
  });

  it.each([0, 3, 70])("names the exit code of a worker that exits with %i", (code) => {
    setWorkerScript(dyingWorker());
    using client = new SyncClient({ baseUrl: http.url });
    const error = workerExited(() => client.get(`/die/exit?code=${code}`));
    expect(error.exitCode).toBe(code);
    expect(error.message).toContain(`exited with exit code ${code}`);
    expect(client.get("/bytes/1").text).toBe("a");
  });

  it("sends the next request from a fresh worker after the worker is terminated", async () => {
    using client = new SyncClient({ baseUrl: http.url });
    expect(client.get("/bytes/2").text).toBe("aa");
    const [first] = workers;
    expect(await first?.terminate()).toBe(1);
    expect(client.get("/bytes/2").text).toBe("aa");
    expect(workers).toHaveLength(2);
    expect(workers[1]).not.toBe(first);
  });

  it("fails a response being read when its worker is terminated, without waiting for the exit event", () => {
    using client = new SyncClient({ baseUrl: http.url });
    const response = client.stream("GET", "/endless");
    const lines = response.iterLinesSync()[Symbol.iterator]();
    expect(lines.next().value).toBe("line 0");
    // Not awaited: the test's thread stays blocked in the SyncClient, where no `exit` event can reach it.
    void workers[0]?.terminate();
    const error = workerExited(() => {
      for (;;) if (lines.next().done) break;
    });
    expect(error.exitCode).toBeNull();
    expect(error.message).toBe(
      "The SyncClient's worker thread was stopped without an exit code (terminated, or out of memory) before the " +
        "response was complete",
    );
    expect(client.get("/bytes/1").text).toBe("a");
  });

  it("fails the request of a worker that runs out of memory, and sends the next one from a fresh worker", async () => {
    const input: DyingScriptInput = { url: http.url, worker: dyingWorker().href };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--max-old-space-size=64", join(outdir, "dying-script.mjs"), JSON.stringify(input)],
      { timeout: 30_000 },
    );
    const report = JSON.parse(stdout) as DyingScriptReport;
    expect(report.failure).toMatchObject({ name: "WorkerExited", exitCode: null });
    expect(report.failure?.message).toMatch(/out of memory/);
    expect(report.next).toEqual({ status: 200, text: "aaa" });
  });

  it("closes without an error once its worker has died", () => {
    setWorkerScript(dyingWorker());
    const client = new SyncClient({ baseUrl: http.url });
    workerExited(() => client.get("/die/exit?code=2"));
    expect(() => client.close()).not.toThrow();
    expect(client.isClosed).toBe(true);
  });

  it("closes without an error while a response is read from a worker that has died", async () => {
    const client = new SyncClient({ baseUrl: http.url });
    const response = client.stream("GET", "/endless");
    await workers[0]?.terminate();
    expect(() => client.close()).not.toThrow();
    expect(() => response.readSync()).toThrow(WorkerExited);
  });
});

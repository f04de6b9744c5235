/**
 * The throughput scenarios: what each client is asked to do, checked so that a client that skips work fails loudly
 * instead of looking fast.
 *
 * @module
 */
import type { BenchClient, UploadSource } from "./clients/index.js";

/** A scenario measured as a closed loop on one long-lived client per library. */
export interface RateScenario {
  readonly id: string;
  readonly title: string;
  readonly unit: "req/s" | "MiB/s";
  /** Bytes moved per operation, for scenarios measured in MiB/s. */
  readonly bytesPerOp: number;
  readonly http2: boolean;
  readonly concurrency: readonly number[];
  /** Only the clients that can take part (all by default). */
  readonly clients?: (name: string) => boolean;
  /** One operation of the scenario on `client`; rejects when the answer is not what the server sent. */
  op(client: BenchClient): () => Promise<void>;
}

const MiB = 1 << 20;
const UPLOAD_CHUNK = new Uint8Array(64 * 1024).fill(0x66);
/** The size of the streamed upload. */
export const UPLOAD_BYTES = 100 * MiB;

/** A JSON document whose serialisation is exactly 1 KiB. */
export function kibibyteDocument(): Record<string, unknown> {
  const items = Array.from({ length: 12 }, (_, index) => ({
    id: index,
    name: `item-${index}`,
    done: index % 2 === 0,
  }));
  const document: Record<string, unknown> = { user: "ferry", items, note: "" };
  document["note"] = "x".repeat(1024 - JSON.stringify(document).length);
  return document;
}

const uploadSource: UploadSource = async function* () {
  for (let sent = 0; sent < UPLOAD_BYTES; sent += UPLOAD_CHUNK.length) yield UPLOAD_CHUNK;
};

function expect(condition: boolean, what: string, got: unknown): void {
  if (!condition) throw new Error(`wrong answer to ${what}: ${JSON.stringify(got)}`);
}

function smallGet(client: BenchClient): () => Promise<void> {
  return async () => {
    const body = (await client.getJson("/json")) as { id?: unknown };
    expect(body.id === 42, "GET /json", body);
  };
}

const DOCUMENT = kibibyteDocument();

/** Every throughput scenario, in the order the report lists them. */
export const RATE_SCENARIOS: readonly RateScenario[] = [
  {
    id: "small-get",
    title: "GET small JSON (HTTP/1.1)",
    unit: "req/s",
    bytesPerOp: 0,
    http2: false,
    concurrency: [1, 16],
    op: smallGet,
  },
  {
    id: "post-json",
    title: "POST 1 KiB JSON (HTTP/1.1)",
    unit: "req/s",
    bytesPerOp: 0,
    http2: false,
    concurrency: [1, 16],
    op: (client) => async () => {
      const body = (await client.postJson("/json", DOCUMENT)) as { received?: unknown };
      expect(body.received === 1024, "POST /json", body);
    },
  },
  {
    id: "get-64k",
    title: "GET 64 KiB body (HTTP/1.1)",
    unit: "req/s",
    bytesPerOp: 0,
    http2: false,
    concurrency: [1, 16],
    op: (client) => async () => {
      const length = await client.getBytes("/bytes/65536");
      expect(length === 65536, "GET /bytes/65536", length);
    },
  },
  {
    id: "h2-small-get",
    title: "GET small JSON (HTTP/2 over TLS)",
    unit: "req/s",
    bytesPerOp: 0,
    http2: true,
    concurrency: [1, 16],
    op: smallGet,
  },
  {
    id: "upload-100m",
    title: "POST 100 MiB streamed upload (HTTP/1.1)",
    unit: "MiB/s",
    bytesPerOp: UPLOAD_BYTES,
    http2: false,
    concurrency: [1],
    op: (client) => async () => {
      const body = (await client.upload("/upload", uploadSource)) as { received?: unknown };
      expect(body.received === UPLOAD_BYTES, "POST /upload", body);
    },
  },
];

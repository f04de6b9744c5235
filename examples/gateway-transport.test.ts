import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { startHttpServer, type TestServer } from "@ferry/test-servers";
import { UndiciTransport } from "@ferry/transport-undici";
import { BaseTransport, Client, Request, type Response } from "ferry";
import { afterEach, describe, expect, it } from "vitest";
import { type AwsCredentials, GatewayTransport } from "./gateway-transport.js";

const KEYS: Record<string, string> = { AKIDEXAMPLE: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const CREDENTIALS: AwsCredentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: KEYS["AKIDEXAMPLE"]! };
const REGION = "eu-west-1";

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();
const rfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Checks a request's SigV4 signature the way AWS documents it, written here independently of the signing library:
 * canonical request, string to sign, derived key. Returns why it fails, or null.
 */
function verify(req: IncomingMessage, body: Buffer): string | null {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? "",
    );
  if (match === null) return "no SigV4 Authorization header";
  const [, keyId, day, region, service, signedHeaders, signature] = match as unknown as string[];
  const secret = KEYS[keyId!];
  if (secret === undefined) return `unknown key ${keyId}`;
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  if (!amzDate.startsWith(day!)) return "X-Amz-Date does not match the credential scope";
  const names = signedHeaders!.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date")) return "host and x-amz-date must be signed";
  const [path = "", query = ""] = (req.url ?? "").split("?");
  const canonicalUri = path
    .split("/")
    .map((segment) => rfc3986(segment))
    .join("/");
  const canonicalQuery = [...new URLSearchParams(query)]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a, b], [c, d]) => (a! < c! ? -1 : a! > c! ? 1 : b! < d! ? -1 : b! > d! ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalHeaders = names
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const payload = (req.headers["x-amz-content-sha256"] as string | undefined) ?? sha256(body);
  const canonical = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payload].join(
    "\n",
  );
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), service!), "aws4_request");
  const expected = hmac(key, toSign);
  return timingSafeEqual(expected, Buffer.from(signature!, "hex")) ? null : "signature mismatch";
}

interface Received {
  method: string;
  url: string;
  forwardedHost: string | undefined;
  token: string | undefined;
  body: string;
}

/** A local stand-in for the gateway: 403 unless the signature verifies, else 200 echoing what arrived. */
async function startGateway(): Promise<{ server: TestServer; received: Received[] }> {
  const received: Received[] = [];
  const server = await startHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const failure = verify(req, body);
    if (failure !== null) {
      res.writeHead(403, { "content-type": "text/plain" }).end(failure);
      return;
    }
    received.push({
      method: req.method ?? "",
      url: req.url ?? "",
      forwardedHost: req.headers["x-forwarded-host"] as string | undefined,
      token: req.headers["x-amz-security-token"] as string | undefined,
      body: body.toString(),
    });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
  return { server, received };
}

const closing: BaseTransport[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((transport) => transport.close()));
});

function gateway(
  server: TestServer,
  credentials: GatewayTransportCredentials = CREDENTIALS,
): GatewayTransport {
  const transport = new GatewayTransport({
    transport: new UndiciTransport(),
    gateway: `${server.url}/prod/`,
    region: REGION,
    credentials,
  });
  closing.push(transport);
  return transport;
}

type GatewayTransportCredentials = ConstructorParameters<typeof GatewayTransport>[0]["credentials"];

async function send(
  transport: BaseTransport,
  request: Request,
): Promise<{ response: Response; text: string }> {
  const response = await transport.handleRequest(request);
  return { response, text: new TextDecoder().decode(await response.read()) };
}

describe("GatewayTransport", () => {
  it("rewrites the URL onto the gateway's stage and signs the request", async () => {
    const { server, received } = await startGateway();
    await using _ = server;
    const { response, text } = await send(
      gateway(server),
      new Request("GET", "http://users.internal:8080/users/42?b=2&a=1&a=0&q=two%20words"),
    );
    expect([response.statusCode, text]).toEqual([200, '{"ok":true}']);
    expect(received).toEqual([
      {
        method: "GET",
        url: "/prod/users/42?b=2&a=1&a=0&q=two%20words",
        forwardedHost: "users.internal:8080",
        token: undefined,
        body: "",
      },
    ]);
  });

  it("signs bodies: JSON, and a stream read for its hash", async () => {
    const { server, received } = await startGateway();
    await using _ = server;
    const transport = gateway(server);
    expect(
      (await send(transport, new Request("POST", "http://orders.internal/orders", { json: { id: 7 } }))).text,
    ).toBe('{"ok":true}');
    async function* stream(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("streamed ");
      yield new TextEncoder().encode("body");
    }
    const streamed = await send(
      transport,
      new Request("PUT", "http://orders.internal/orders/7", { content: stream() }),
    );
    expect(streamed.response.statusCode).toBe(200);
    expect(received.map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", "/prod/orders", '{"id":7}'],
      ["PUT", "/prod/orders/7", "streamed body"],
    ]);
  });

  it("signs with temporary credentials from a function, session token included", async () => {
    const { server, received } = await startGateway();
    await using _ = server;
    const transport = gateway(server, async () => ({ ...CREDENTIALS, sessionToken: "FwoGZXIvYXdzEXAMPLE" }));
    expect(
      (await send(transport, new Request("DELETE", "http://users.internal/users/42"))).response.statusCode,
    ).toBe(200);
    expect(received[0]!.token).toBe("FwoGZXIvYXdzEXAMPLE");
  });

  it("is refused by the gateway with a wrong secret, or a body changed after signing", async () => {
    const { server } = await startGateway();
    await using _ = server;
    const wrong = gateway(server, { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not the secret" });
    const refused = await send(wrong, new Request("GET", "http://users.internal/users"));
    expect([refused.response.statusCode, refused.text]).toEqual([403, "signature mismatch"]);

    class Tampering extends BaseTransport {
      readonly inner = new UndiciTransport();
      async handleRequest(request: Request): Promise<Response> {
        const body = new TextEncoder().encode('{"id":8}');
        return this.inner.handleRequest(
          new Request(request.method, request.url, { headers: request.headers, content: body }),
        );
      }
      override close(): Promise<void> {
        return this.inner.close();
      }
    }
    const tampered = new GatewayTransport({
      transport: new Tampering(),
      gateway: `${server.url}/prod`,
      region: REGION,
      credentials: CREDENTIALS,
    });
    closing.push(tampered);
    const changed = await send(
      tampered,
      new Request("POST", "http://orders.internal/orders", { json: { id: 7 } }),
    );
    expect([changed.response.statusCode, changed.text]).toEqual([403, "signature mismatch"]);
  });

  it("serves a Client as a mount for the hosts behind the gateway", async () => {
    const { server, received } = await startGateway();
    await using _ = server;
    await using client = new Client({ mounts: { "all://*.internal": gateway(server) } });
    const response = await client.get("http://users.internal/users", { params: { page: 2 } });
    expect(response.json()).toEqual({ ok: true });
    expect(received[0]!.url).toBe("/prod/users?page=2");
  });
});

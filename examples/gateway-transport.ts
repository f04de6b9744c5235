/**
 * A transport that sends every request through an API gateway, signed with AWS Signature Version 4.
 *
 * The request's path and query are moved onto the gateway's URL (after its stage path, such as `/prod`), the host
 * the caller meant travels in `X-Forwarded-Host`, and the whole request is signed for the gateway's region and
 * service. Anything behind API Gateway with IAM authorisation (or any proxy that checks SigV4) can then be called
 * with a plain Ferry `Client`, mounted for the hosts that live behind the gateway:
 *
 * ```ts
 * const gateway = new GatewayTransport({
 *   transport: new UndiciTransport(),
 *   gateway: "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
 *   region: "eu-west-1",
 *   credentials: { accessKeyId, secretAccessKey, sessionToken },
 * });
 * const client = new Client({ mounts: { "all://*.internal": gateway } });
 * await client.get("http://users.internal/users/42"); // GET https://abc123…/prod/users/42, signed
 * ```
 *
 * Signing uses `aws4fetch`: one small file with no dependencies, on WebCrypto, so this transport runs wherever Ferry
 * does; its `AwsV4Signer` signs without sending, which is what a transport needs.
 *
 * @module
 */
import { AwsV4Signer } from "aws4fetch";
import { BaseTransport, BytesStream, Headers, Request, type Response, URL } from "ferry";

/** AWS credentials: an access key, and the session token of temporary credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** Options of {@link GatewayTransport}. */
export interface GatewayTransportOptions {
  /** The transport that sends the signed requests to the gateway. */
  transport: BaseTransport;
  /** The gateway's base URL, stage path included: `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`. */
  gateway: string | URL;
  /** The AWS region the gateway is in. */
  region: string;
  /** The credentials to sign with, or a function returning fresh ones (called for every request). */
  credentials: AwsCredentials | (() => AwsCredentials | Promise<AwsCredentials>);
  /** The service the signature is for. Default `execute-api` (API Gateway). */
  service?: string;
}

/** Headers a hop may add, drop or rewrite: signing them would break the signature on the way. */
const UNSIGNED = new Set([
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "upgrade",
  "content-length",
]);

/** Headers the rewritten request sets itself. */
const FRAMING = new Set(["host", "content-length", "transfer-encoding"]);

/** Sends each request through an API gateway, its URL rewritten and the request signed with AWS SigV4. */
export class GatewayTransport extends BaseTransport {
  readonly #transport: BaseTransport;
  readonly #gateway: URL;
  readonly #basePath: string;
  readonly #region: string;
  readonly #service: string;
  readonly #credentials: GatewayTransportOptions["credentials"];

  constructor(options: GatewayTransportOptions) {
    super();
    this.#transport = options.transport;
    this.#gateway = new URL(options.gateway);
    this.#basePath = this.#gateway.rawPath.split("?")[0]!.replace(/\/+$/, "");
    this.#region = options.region;
    this.#service = options.service ?? "execute-api";
    this.#credentials = options.credentials;
  }

  /** Rewrites `request` onto the gateway, signs it, and sends it with the wrapped transport. */
  override async handleRequest(request: Request): Promise<Response> {
    const url = this.#gateway.copyWith({ rawPath: this.#basePath + request.url.rawPath });
    // The signature covers the body's SHA-256, so a streamed body is read into memory first.
    const body = await request.read();
    const toSign = new globalThis.Headers();
    for (const [name, value] of request.headers.multiItems()) {
      if (!UNSIGNED.has(name)) toSign.append(name, value);
    }
    toSign.set("x-forwarded-host", request.url.netloc);
    const credentials =
      typeof this.#credentials === "function" ? await this.#credentials() : this.#credentials;
    const signed = await new AwsV4Signer({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
      url: url.toString(),
      method: request.method,
      headers: toSign,
      // A body from a transport or a stream may sit in a shared buffer; the signer reads only the view's bytes.
      ...(body.byteLength === 0 ? {} : { body: body as Uint8Array<ArrayBuffer> }),
      region: this.#region,
      service: this.#service,
    }).sign();
    return this.#transport.handleRequest(this.#rewrite(request, url, signed.headers, body));
  }

  /** The request to send: `Host` first, the caller's headers in order, then what the signature added. */
  #rewrite(request: Request, url: URL, signed: globalThis.Headers, body: Uint8Array): Request {
    const headers = new Headers([["Host", url.netloc]]);
    for (const [name, value] of request.headers.raw) {
      if (!FRAMING.has(name.toLowerCase())) headers.append(name, value);
    }
    // The body is now in memory: it goes with its length, whatever framing the caller's stream had.
    if (body.byteLength > 0 || request.headers.has("content-length")) {
      headers.set("Content-Length", String(body.byteLength));
    }
    for (const name of ["x-forwarded-host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]) {
      const value = signed.get(name);
      if (value !== null) headers.set(name, value);
    }
    headers.set("authorization", signed.get("authorization")!);
    return new Request(request.method, url, {
      headers,
      stream: new BytesStream(body),
      extensions: request.extensions,
    });
  }

  /** Closes the wrapped transport. */
  override close(): Promise<void> {
    return this.#transport.close();
  }
}

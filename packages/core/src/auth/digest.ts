/**
 * HTTP Digest authentication (RFC 7616, and RFC 2069 when the server offers no qop).
 *
 * Hashing uses `@noble/hashes`: it is synchronous, so the flow works in `SyncClient` too, and it has MD5 and
 * SHA-1, which WebCrypto lacks.
 *
 * @module
 */
import { md5, sha1 } from "@noble/hashes/legacy";
import { sha256, sha512 } from "@noble/hashes/sha2";
import { bytesToHex, type CHash, utf8ToBytes } from "@noble/hashes/utils";
import { Cookies } from "../cookies.js";
import { ProtocolError } from "../errors.js";
import type { Request } from "../request.js";
import type { Response } from "../response.js";
import { Auth } from "./base.js";
import { type AuthChallenge, parseChallenges } from "./challenge.js";

const HASHES: Readonly<Record<string, CHash>> = {
  MD5: md5,
  "MD5-SESS": md5,
  SHA: sha1,
  "SHA-SESS": sha1,
  "SHA-256": sha256,
  "SHA-256-SESS": sha256,
  "SHA-512": sha512,
  "SHA-512-SESS": sha512,
};

/** A server challenge, checked and with everything that does not change per request computed once. */
interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | null;
  /** The algorithm as the server spelled it, echoed back in the `Authorization` header. */
  readonly algorithm: string;
  readonly qop: "auth" | null;
  readonly stale: boolean;
  readonly hash: (data: string) => string;
  readonly session: boolean;
  /** H(username:realm:password), the part of HA1 that only depends on the challenge. */
  readonly credentialsHash: string;
}

/**
 * HTTP Digest authentication: sends the request, and answers a `401` carrying a `WWW-Authenticate: Digest`
 * challenge once with credentials computed from it.
 *
 * Supports the algorithms MD5, SHA (SHA-1), SHA-256 and SHA-512 and their `-SESS` variants, with qop `auth` or no
 * qop (RFC 2069). The last challenge is remembered: later requests carry credentials from the start, with the nonce
 * count going up, and are answered again only when the server sends a stale or new nonce. Cookies set by the 401
 * are sent with the retried request.
 */
export class DigestAuth extends Auth {
  readonly #username: string;
  readonly #password: string;
  #challenge: DigestChallenge | null = null;
  #nonceCount = 1;

  constructor(username: string, password: string) {
    super();
    if (typeof username !== "string") {
      throw new TypeError(`DigestAuth username must be a string, got ${typeof username}.`);
    }
    if (typeof password !== "string") {
      throw new TypeError(`DigestAuth password must be a string, got ${typeof password}.`);
    }
    this.#username = username;
    this.#password = password;
  }

  override *authFlow(request: Request): Generator<Request, void, Response> {
    const used = this.#challenge;
    if (used !== null) request.headers.set("Authorization", this.#authorization(request, used));

    const response = yield request;
    if (response.statusCode !== 401 || !response.headers.has("www-authenticate")) return;

    const challenge = this.#readChallenge(request, response);
    // The same nonce, not stale, means the server rejected the credentials themselves: asking again cannot help.
    if (challenge === null || (used?.nonce === challenge.nonce && !challenge.stale)) return;

    this.#challenge = challenge;
    this.#nonceCount = 1;
    request.headers.set("Authorization", this.#authorization(request, challenge));
    if (response.headers.has("set-cookie")) carryCookies(response, request);
    yield request;
  }

  /**
   * Makes the client nonce (`cnonce`): 16 hex digits from a cryptographic random source. Subclasses may override
   * it, for example to reproduce the examples of RFC 7616.
   */
  protected clientNonce(): string {
    return bytesToHex(crypto.getRandomValues(new Uint8Array(8)));
  }

  /** Picks the Digest challenge to answer, or `null` when the response offers none. */
  #readChallenge(request: Request, response: Response): DigestChallenge | null {
    const digests = parseChallenges(response.headers.getList("www-authenticate")).filter(
      (challenge) => challenge.scheme === "digest",
    );
    const chosen =
      digests.find((challenge) => HASHES[(challenge.params.get("algorithm") ?? "MD5").toUpperCase()]) ??
      digests[0];
    return chosen === undefined ? null : this.#prepare(chosen, request);
  }

  #prepare(challenge: AuthChallenge, request: Request): DigestChallenge {
    const { params } = challenge;
    const realm = params.get("realm");
    const nonce = params.get("nonce");
    if (challenge.error !== null) throw malformed(challenge.error, request);
    if (realm === undefined) throw malformed('the challenge has no "realm"', request);
    if (nonce === undefined) throw malformed('the challenge has no "nonce"', request);
    const algorithm = params.get("algorithm") ?? "MD5";
    const hashFunction = HASHES[algorithm.toUpperCase()];
    if (hashFunction === undefined) {
      const supported = Object.keys(HASHES).join(", ");
      throw new ProtocolError(`Digest algorithm "${algorithm}" is not supported (supported: ${supported}).`, {
        request,
      });
    }
    const hash = (data: string): string => bytesToHex(hashFunction(utf8ToBytes(data)));
    return {
      realm,
      nonce,
      opaque: params.get("opaque") ?? null,
      algorithm,
      qop: resolveQop(params.get("qop"), request),
      stale: params.get("stale")?.toLowerCase() === "true",
      hash,
      session: algorithm.toUpperCase().endsWith("-SESS"),
      credentialsHash: hash(`${this.#username}:${realm}:${this.#password}`),
    };
  }

  /** Builds the `Authorization` value for one request, using up one nonce count. */
  #authorization(request: Request, challenge: DigestChallenge): string {
    const { hash, nonce, qop } = challenge;
    const uri = request.url.rawPath;
    const nc = this.#nonceCount.toString(16).padStart(8, "0");
    this.#nonceCount++;
    const cnonce = this.clientNonce();
    const ha1 = challenge.session
      ? hash(`${challenge.credentialsHash}:${nonce}:${cnonce}`)
      : challenge.credentialsHash;
    const ha2 = hash(`${request.method}:${uri}`);
    const response =
      qop === null ? hash(`${ha1}:${nonce}:${ha2}`) : hash(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);

    const fields = [
      `username=${quote(this.#username)}`,
      `realm=${quote(challenge.realm)}`,
      `nonce=${quote(nonce)}`,
      `uri=${quote(uri)}`,
      `response=${quote(response)}`,
      `algorithm=${challenge.algorithm}`,
    ];
    if (challenge.opaque !== null) fields.push(`opaque=${quote(challenge.opaque)}`);
    if (qop !== null) fields.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    return `Digest ${fields.join(", ")}`;
  }
}

/** Chooses `auth` among the offered qop values; `null` when the server offers none (RFC 2069). */
function resolveQop(qop: string | undefined, request: Request): "auth" | null {
  if (qop === undefined || qop.trim() === "") return null;
  const offered = qop.split(",").map((value) => value.trim().toLowerCase());
  if (offered.includes("auth")) return "auth";
  if (offered.every((value) => value === "auth-int")) {
    throw new ProtocolError(
      'Digest qop "auth-int" is not supported: the server must also offer qop "auth" for Ferry to authenticate.',
      { request },
    );
  }
  throw new ProtocolError(`Unexpected Digest qop value "${qop}" in WWW-Authenticate (expected "auth").`, {
    request,
  });
}

function malformed(reason: string, request: Request): ProtocolError {
  return new ProtocolError(`Malformed Digest WWW-Authenticate header: ${reason}.`, { request });
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

/**
 * Puts the cookies the 401 set on the retried request, keeping the cookies it already had unless the 401
 * replaced them by name.
 */
function carryCookies(response: Response, request: Request): void {
  const previous = request.headers.get("cookie");
  request.headers.delete("cookie");
  const cookies = new Cookies();
  cookies.extractCookies(response);
  cookies.setCookieHeader(request);
  const fresh = request.headers.get("cookie");
  if (previous === undefined || fresh === undefined) {
    if (previous !== undefined) request.headers.set("Cookie", previous);
    return;
  }
  const freshNames = new Set(fresh.split(";").map(cookieName));
  const kept = previous.split(";").filter((pair) => pair.trim() !== "" && !freshNames.has(cookieName(pair)));
  request.headers.set("Cookie", [...kept.map((pair) => pair.trim()), fresh].join("; "));
}

function cookieName(pair: string): string {
  const equals = pair.indexOf("=");
  return (equals < 0 ? pair : pair.slice(0, equals)).trim();
}

/**
 * TLS and proxy options, honoured through what each runtime's `fetch` offers: Bun's `tls` and `proxy` init members,
 * Deno's `Deno.createHttpClient`. Where the runtime's `fetch` has no such control (Node's global `fetch`, workerd,
 * browsers), asking for one is an error at construction, never a silent no-op.
 *
 * @module
 */
import { type FetchRuntime, RUNTIME_NAMES } from "./environment.js";

/** A proxy as `FetchTransport` needs it: Ferry's `Proxy`, or anything with its `url` and `auth`. */
export interface ProxyLike {
  readonly url: string | { toString(): string };
  readonly auth?: readonly [string, string] | null;
}

/** The TLS and proxy options of a `FetchTransport`. */
export interface NetworkOptions {
  /** `true` (the runtime's CAs), `false` (no verification), a CA bundle path, or TLS options (`{ ca, cert, key }`). */
  verify?: boolean | string | Readonly<Record<string, unknown>> | undefined;
  /** A client certificate: a PEM path holding certificate and key, or `[certFile, keyFile?, password?]`. */
  cert?: string | readonly [string, string?, string?] | null | undefined;
  /** A proxy for every request: a URL (userinfo becomes proxy credentials) or a `Proxy`. */
  proxy?: ProxyLike | string | null | undefined;
}

interface BunLike {
  file(path: string): unknown;
}

interface DenoLike {
  readTextFileSync(path: string): string;
  createHttpClient(options: Record<string, unknown>): unknown;
}

const ALTERNATIVE: Partial<Record<FetchRuntime, string>> = {
  node: " Use UndiciTransport, the default transport of 'ferry' on Node.",
  browser: " The browser's own settings apply.",
};

function unsupported(option: string, runtime: FetchRuntime, why: string): TypeError {
  return new TypeError(
    `FetchTransport cannot honour '${option}' in ${RUNTIME_NAMES[runtime]}: ${why}.${ALTERNATIVE[runtime] ?? ""}`,
  );
}

function proxyUrl(proxy: ProxyLike | string): URL {
  const url = new globalThis.URL(typeof proxy === "string" ? proxy : proxy.url.toString());
  if (typeof proxy !== "string" && proxy.auth) {
    url.username = encodeURIComponent(proxy.auth[0]);
    url.password = encodeURIComponent(proxy.auth[1]);
  }
  return url;
}

function certParts(cert: string | readonly [string, string?, string?]): [string, string, string | undefined] {
  if (typeof cert === "string") return [cert, cert, undefined];
  return [cert[0], cert[1] ?? cert[0], cert[2]];
}

function hasAny(options: NetworkOptions): boolean {
  return (
    (options.verify !== undefined && options.verify !== true) ||
    (options.cert !== undefined && options.cert !== null) ||
    (options.proxy !== undefined && options.proxy !== null)
  );
}

/** Bun's `fetch` takes `tls` (as Node's TLS options) and `proxy` (a URL) per call. */
function bunInit(options: NetworkOptions): Record<string, unknown> {
  const bun = (globalThis as { Bun?: BunLike }).Bun!;
  const tls: Record<string, unknown> = {};
  const { verify, cert, proxy } = options;
  if (verify === false) tls["rejectUnauthorized"] = false;
  else if (typeof verify === "string") tls["ca"] = bun.file(verify);
  else if (typeof verify === "object") Object.assign(tls, verify);
  if (cert) {
    const [certFile, keyFile, passphrase] = certParts(cert);
    Object.assign(tls, { cert: bun.file(certFile), key: bun.file(keyFile) });
    if (passphrase !== undefined) tls["passphrase"] = passphrase;
  }
  const init: Record<string, unknown> = {};
  if (Object.keys(tls).length > 0) init["tls"] = tls;
  if (proxy) init["proxy"] = proxyUrl(proxy).href;
  return init;
}

function pem(value: unknown, deno: DenoLike, option: string): string {
  if (typeof value === "string") return value.includes("-----BEGIN") ? value : deno.readTextFileSync(value);
  throw new TypeError(
    `FetchTransport in Deno needs '${option}' as a PEM string or a file path, got ${typeof value}.`,
  );
}

/** Deno's `fetch` takes a `client` made by `Deno.createHttpClient` with CAs, a client certificate and a proxy. */
function denoInit(options: NetworkOptions): Record<string, unknown> {
  const deno = (globalThis as unknown as { Deno: DenoLike }).Deno;
  const { verify, cert, proxy } = options;
  if (verify === false) {
    throw unsupported(
      "verify: false",
      "deno",
      "Deno's fetch only skips verification with --unsafely-ignore-certificate-errors",
    );
  }
  const client: Record<string, unknown> = {};
  if (typeof verify === "string") client["caCerts"] = [pem(verify, deno, "verify")];
  else if (typeof verify === "object") {
    if (verify["ca"] !== undefined) client["caCerts"] = [pem(verify["ca"], deno, "verify.ca")];
    if (verify["cert"] !== undefined) client["cert"] = pem(verify["cert"], deno, "verify.cert");
    if (verify["key"] !== undefined) client["key"] = pem(verify["key"], deno, "verify.key");
  }
  if (cert) {
    const [certFile, keyFile] = certParts(cert);
    client["cert"] = pem(certFile, deno, "cert");
    client["key"] = pem(keyFile, deno, "cert");
  }
  if (proxy) {
    const url = proxyUrl(proxy);
    const basicAuth = url.username
      ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
      : undefined;
    url.username = "";
    url.password = "";
    client["proxy"] = basicAuth ? { url: url.href, basicAuth } : { url: url.href };
  }
  if (typeof deno.createHttpClient !== "function") {
    throw unsupported("verify/cert/proxy", "deno", "Deno.createHttpClient is not available");
  }
  return { client: deno.createHttpClient(client) };
}

/**
 * The `fetch` init members that carry `options` in `runtime`; throws a `TypeError` naming the option and the runtime
 * when the runtime's `fetch` cannot honour it.
 */
export function networkInit(options: NetworkOptions, runtime: FetchRuntime): Record<string, unknown> {
  if (!hasAny(options)) return {};
  if (runtime === "bun") return bunInit(options);
  if (runtime === "deno") return denoInit(options);
  const why = `${RUNTIME_NAMES[runtime]}'s fetch has no such setting`;
  if (options.proxy !== undefined && options.proxy !== null) throw unsupported("proxy", runtime, why);
  if (options.cert !== undefined && options.cert !== null) throw unsupported("cert", runtime, why);
  throw unsupported(options.verify === false ? "verify: false" : "verify", runtime, why);
}

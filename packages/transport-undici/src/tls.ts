/**
 * Turns the `verify`, `cert` and `trustEnv` options into the Node TLS options every TLS connection of a transport
 * uses. Files are read here, once, at construction.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type ConnectionOptions, createSecureContext } from "node:tls";

/**
 * The `verify` option: `true` verifies against Node's bundled Mozilla CA store (the certifi equivalent), or the CA
 * file or directory named by `SSL_CERT_FILE`/`SSL_CERT_DIR` when `trustEnv` is on; `false` disables verification; a
 * string is the path of a CA bundle file or directory; an object is Node TLS options used as given.
 */
export type VerifyTypes = boolean | string | ConnectionOptions;

/** The `cert` option: a PEM file holding certificate and key, or `[certFile, keyFile?, keyPassword?]`. */
export type CertTypes = string | readonly [string, string?, string?];

/** Reads every certificate of a CA bundle file, or of each file in a CA directory (OpenSSL's `capath`). */
function readCaLocation(path: string, option: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new TypeError(`${option}: cannot read the CA bundle ${JSON.stringify(path)}`, { cause: error });
  }
  if (!isDirectory) return [readFileSync(path, "utf8")];
  const bundles: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const file = join(path, name);
    if (!statSync(file).isFile()) continue;
    const text = readFileSync(file, "utf8");
    if (text.includes("-----BEGIN CERTIFICATE-----")) bundles.push(text);
  }
  return bundles;
}

function verifyOptions(
  verify: VerifyTypes,
  env: Readonly<Record<string, string | undefined>> | null,
): ConnectionOptions {
  if (verify === false) return { rejectUnauthorized: false };
  if (typeof verify === "string") return { ca: readCaLocation(verify, "verify") };
  if (verify === true) {
    const file = env?.["SSL_CERT_FILE"];
    if (file) return { ca: readCaLocation(file, "SSL_CERT_FILE") };
    const dir = env?.["SSL_CERT_DIR"];
    if (dir) return { ca: readCaLocation(dir, "SSL_CERT_DIR") };
    return {};
  }
  if (typeof verify === "object" && verify !== null && !Array.isArray(verify)) return { ...verify };
  throw new TypeError(
    `verify: expected true, false, a CA bundle path or Node TLS options, got ${describe(verify)}`,
  );
}

function certOptions(cert: CertTypes): ConnectionOptions {
  if (typeof cert === "string") {
    // One PEM file may hold the certificate and the key; Node picks the blocks each option needs.
    const pem = readFile(cert, "cert");
    return { cert: pem, key: pem };
  }
  const parts: readonly unknown[] = Array.isArray(cert) ? cert : [];
  if (
    parts.length === 0 ||
    parts.length > 3 ||
    parts.some((part) => part !== undefined && typeof part !== "string")
  ) {
    throw new TypeError(`cert: expected a path or [certFile, keyFile?, password?], got ${describe(cert)}`);
  }
  const [certFile, keyFile, password] = cert as readonly [string, string?, string?];
  const pem = readFile(certFile, "cert");
  const options: ConnectionOptions = { cert: pem, key: keyFile ? readFile(keyFile, "cert") : pem };
  if (password !== undefined) options.passphrase = password;
  return options;
}

function readFile(path: string, option: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new TypeError(`${option}: cannot read ${JSON.stringify(path)}`, { cause: error });
  }
}

/** A short description of a bad option value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The TLS options of a transport. `env` is the process environment when `trustEnv` is on, else `null`.
 *
 * @throws TypeError when `verify` or `cert` has the wrong shape or names a file that cannot be read.
 */
export function buildTlsOptions(
  verify: VerifyTypes,
  cert: CertTypes | null,
  env: Readonly<Record<string, string | undefined>> | null,
): ConnectionOptions {
  const options = verifyOptions(verify, env);
  const combined = cert === null ? options : { ...options, ...certOptions(cert) };
  if (combined.secureContext !== undefined) return combined;
  // Parsing CA bundles and keys once, here, spares every new connection that work; a wrong key password or a
  // malformed certificate is reported now instead of on the first request.
  try {
    return { ...combined, secureContext: createSecureContext(combined) };
  } catch (error) {
    const option = cert === null ? "verify" : "cert";
    throw new TypeError(`${option}: invalid TLS material (${(error as Error).message})`, { cause: error });
  }
}

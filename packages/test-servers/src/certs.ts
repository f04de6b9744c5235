import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const path = (name: string): string => fileURLToPath(new URL(`../certs/${name}`, import.meta.url));

/**
 * The committed test certificates: a CA, a server certificate for `localhost`, `127.0.0.1` and `::1`, and a client
 * certificate for mutual TLS, all signed by the CA. `certs/generate.sh` remakes them.
 */
export const certs = {
  /** Path of the CA certificate (PEM) that signed every other certificate here. */
  caPath: path("ca.pem"),
  /** Path of the server certificate (PEM). */
  serverCertPath: path("server.pem"),
  /** Path of the server's private key (PEM, unencrypted). */
  serverKeyPath: path("server-key.pem"),
  /** Path of the client certificate (PEM). */
  clientCertPath: path("client.pem"),
  /** Path of the client's private key (PEM, unencrypted). */
  clientKeyPath: path("client-key.pem"),
  /** Path of the client's private key encrypted with {@link certs.clientKeyPassword}. */
  clientKeyEncryptedPath: path("client-key-encrypted.pem"),
  /** Path of a file holding the client certificate followed by its key. */
  clientBundlePath: path("client-bundle.pem"),
  /** The password of the encrypted client key. */
  clientKeyPassword: "ferry-secret",
  /** The CA certificate's PEM text. */
  get ca(): string {
    return readFileSync(this.caPath, "utf8");
  },
  /** The server certificate's PEM text. */
  get serverCert(): string {
    return readFileSync(this.serverCertPath, "utf8");
  },
  /** The server key's PEM text. */
  get serverKey(): string {
    return readFileSync(this.serverKeyPath, "utf8");
  },
};

#!/usr/bin/env bash
# Regenerates the test certificates: a CA, a server certificate for localhost/127.0.0.1/::1 and a client
# certificate for mutual TLS, all signed by the CA and valid for 100 years. Run once; the output is committed.
set -euo pipefail
cd "$(dirname "$0")"
days=36500

openssl req -x509 -newkey rsa:2048 -nodes -days "$days" -subj "/CN=Ferry Test CA" \
  -keyout ca-key.pem -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server-key.pem -out server.csr
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" -out server.pem \
  -extfile <(printf "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE")

openssl req -newkey rsa:2048 -nodes -subj "/CN=ferry-client" -keyout client-key.pem -out client.csr
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" -out client.pem \
  -extfile <(printf "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE")
# The same client key, encrypted, to test key passwords.
openssl pkey -in client-key.pem -aes256 -passout pass:ferry-secret -out client-key-encrypted.pem
# Certificate and key in one file, the form `cert: "client-bundle.pem"` takes.
cat client.pem client-key.pem > client-bundle.pem

rm -f server.csr client.csr ca.srl

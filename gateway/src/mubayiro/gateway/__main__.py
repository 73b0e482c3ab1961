"""``python -m mubayiro.gateway``: the development gateway (HTTPS, plus HTTP redirecting)."""

from __future__ import annotations

import asyncio
import logging

from mubayiro.common.logs import configure_logging
from mubayiro.gateway.config import GatewaySettings
from mubayiro.gateway.server import build_servers, run_servers

logger = logging.getLogger("mubayiro.gateway")


def main() -> None:
    """Serve the platform's routes on https://localhost:<https_port> until stopped."""
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    servers, certs = build_servers(settings)
    port = settings.https_port
    logger.info(
        "gateway on https://%s:%s (HTTP %s redirects); trust %s, e.g. "
        "curl --cacert %s https://%s:%s/healthz",
        settings.public_host, port, settings.http_port, certs.ca, certs.ca,
        settings.public_host, port,
        extra={"ca": str(certs.ca), "upstreams": settings.upstreams},
    )
    # Also on stdout, plainly: this is the line a person starting the gateway looks for.
    print(f"Mubayiro gateway: https://{settings.public_host}:{port}  (CA: {certs.ca})",
          flush=True)
    asyncio.run(run_servers(servers))


if __name__ == "__main__":
    main()

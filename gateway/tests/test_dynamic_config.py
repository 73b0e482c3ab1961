"""The real ``gateway/traefik`` files: every route DESIGN.md promises, and nothing dangling."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from mubayiro.common.settings import DEV_PORTS
from mubayiro.gateway.config import TRAEFIK_DIR
from mubayiro.gateway.routes import (
    INTERNAL_SERVICES,
    NOOP_SERVICE,
    PING_SERVICE,
    RouteTable,
    Target,
    load_route_table,
)

DYNAMIC = TRAEFIK_DIR / "dynamic.yml"
STATIC = TRAEFIK_DIR / "traefik.yml"
SERVICES = tuple(DEV_PORTS)  # auth, loyalty, notifications, referrals, reports, mcp, chatbot

#: DESIGN.md's public routes (Shape table, Public API, Conventions): a path, the service
#: that must get it, and the path that service must receive.
PUBLIC_ROUTES: list[tuple[str, str, str]] = [
    ("/auth/register_business", "auth", "/auth/register_business"),
    ("/auth/login_business", "auth", "/auth/login_business"),
    ("/auth/me", "auth", "/auth/me"),
    ("/auth/customer/otp/request", "auth", "/auth/customer/otp/request"),
    ("/auth/token", "auth", "/auth/token"),
    ("/auth/.well-known/jwks.json", "auth", "/auth/.well-known/jwks.json"),
    ("/businesses", "loyalty", "/businesses"),
    ("/businesses/1/rewards/2", "loyalty", "/businesses/1/rewards/2"),
    ("/businesses/1/customers/+263771234567", "loyalty",
     "/businesses/1/customers/+263771234567"),
    ("/transactions/add_points", "loyalty", "/transactions/add_points"),
    ("/transactions/redeem_points", "loyalty", "/transactions/redeem_points"),
    ("/customers/points/+263771234567", "loyalty", "/customers/points/+263771234567"),
    ("/customers/recommendations/+263771234567", "loyalty",
     "/customers/recommendations/+263771234567"),
    ("/referrals", "referrals", "/referrals"),
    ("/referrals/track", "referrals", "/referrals/track"),
    ("/referrals/invite", "referrals", "/referrals/invite"),
    ("/reports/summary", "reports", "/reports/summary"),
    ("/reports/top_customers", "reports", "/reports/top_customers"),
    ("/sms/inbound", "notifications", "/sms/inbound"),
    ("/notifications/outbox", "notifications", "/notifications/outbox"),
    ("/mcp", "mcp", "/mcp"),
    ("/mcp/customer/points/+263771234567", "mcp", "/mcp/customer/points/+263771234567"),
    ("/mcp/business/1", "mcp", "/mcp/business/1"),
    ("/chat/messages", "chatbot", "/chat/messages"),
    ("/admin/", "admin", "/"),
    ("/admin/customers/42", "admin", "/customers/42"),
    ("/", "portal", "/"),
    ("/index.html", "portal", "/index.html"),
    ("/mcpx", "portal", "/mcpx"),  # `/mcp` is Path + PathPrefix(`/mcp/`), not a bare prefix
    ("/healthz", PING_SERVICE, "/ping"),
    ("/internal/events", NOOP_SERVICE, "/internal/events"),
    ("/internalish", NOOP_SERVICE, "/internalish"),
]
for _svc in SERVICES:
    PUBLIC_ROUTES += [
        (f"/docs/{_svc}", _svc, f"/docs/{_svc}"),
        (f"/docs/{_svc}/oauth2-redirect", _svc, f"/docs/{_svc}/oauth2-redirect"),
        (f"/openapi/{_svc}.json", _svc, f"/openapi/{_svc}.json"),
        (f"/healthz/{_svc}", _svc, "/healthz"),
    ]


@pytest.fixture(scope="module")
def table() -> RouteTable:
    return load_route_table(DYNAMIC)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(DYNAMIC.read_text())


@pytest.mark.parametrize(("path", "service", "upstream_path"), PUBLIC_ROUTES)
def test_every_public_route_reaches_its_service(table: RouteTable, path: str, service: str,
                                                upstream_path: str) -> None:
    router = table.match(path)
    assert router is not None
    assert router.service == service
    t = Target(method="GET", scheme="https", host="localhost", path=path, raw_path=path)
    assert router.apply_middlewares(t) is None
    assert t.path == upstream_path


@pytest.mark.parametrize(("path", "_service", "_upstream"), PUBLIC_ROUTES)
def test_no_two_routers_tie_for_a_path(table: RouteTable, path: str, _service: str,
                                       _upstream: str) -> None:
    # Traefik leaves the order of equal priorities unspecified, so a tie would route by luck.
    matching = [r for r in table.routers if r.rule.matches(path)]
    top = matching[0].priority
    assert [r.name for r in matching if r.priority == top] == [matching[0].name]


def test_admin_without_slash_redirects_to_admin_slash(table: RouteTable) -> None:
    router = table.match("/admin")
    assert router is not None
    t = Target(method="GET", scheme="https", host="example.org", path="/admin", raw_path="/admin")
    redirect = router.apply_middlewares(t)
    assert redirect is not None
    assert redirect.location == "https://example.org/admin/"


def test_the_internal_guard_outranks_every_other_router(table: RouteTable) -> None:
    guard = table.routers[0]
    assert guard.name == "internal-guard"
    assert guard.service == NOOP_SERVICE
    assert guard.priority > table.routers[1].priority


def test_the_portal_catch_all_is_tried_last(table: RouteTable) -> None:
    last = table.routers[-1]
    assert (last.name, last.service, last.rule.text) == ("portal", "portal", "PathPrefix(`/`)")
    assert all(r.priority > last.priority for r in table.routers[:-1])


def test_every_router_points_at_a_defined_service_and_middlewares(raw: dict[str, Any]) -> None:
    http = raw["http"]
    for name, router in http["routers"].items():
        assert router["service"] in http["services"] or router["service"] in INTERNAL_SERVICES, name
        for middleware in router.get("middlewares", []):
            assert middleware in http["middlewares"], (name, middleware)
        assert router["entryPoints"] == ["websecure"], name
        assert router["tls"] == {}, name


def test_services_are_the_platforms_containers(raw: dict[str, Any]) -> None:
    services = raw["http"]["services"]
    assert set(services) == {*SERVICES, "portal", "admin"}
    for name, spec in services.items():
        assert spec["loadBalancer"]["servers"] == [{"url": f"http://{name}:8000"}]


def test_every_defined_service_and_middleware_is_used(raw: dict[str, Any]) -> None:
    http = raw["http"]
    routed = {r["service"] for r in http["routers"].values()}
    used = {m for r in http["routers"].values() for m in r.get("middlewares", [])}
    errors_services = {m["errors"]["service"] for m in http["middlewares"].values()
                       if "errors" in m}
    assert set(http["services"]) <= routed | errors_services
    assert set(http["middlewares"]) == used


def test_static_configuration_redirects_http_and_reads_dynamic_yml() -> None:
    static = yaml.safe_load(STATIC.read_text())
    web = static["entryPoints"]["web"]
    assert web["address"] == ":80"
    assert web["http"]["redirections"]["entryPoint"] == {
        "to": "websecure", "scheme": "https", "permanent": True,
    }
    assert static["entryPoints"]["websecure"]["address"] == ":443"
    assert static["providers"]["file"]["filename"].endswith("/dynamic.yml")
    assert static["accessLog"]["format"] == "json"
    assert static["ping"]["manualRouting"] is True

"""Reading Traefik's dynamic configuration: rules, priorities, middlewares, validation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mubayiro.gateway.routes import (
    ErrorPage,
    RedirectRegex,
    ReplacePath,
    RouteConfigError,
    StripPrefix,
    Target,
    build_route_table,
    expand_go_template,
    parse_rule,
)


def config(routers: dict[str, Any], middlewares: dict[str, Any] | None = None,
           services: tuple[str, ...] = ("a", "b", "c")) -> dict[str, Any]:
    return {"http": {
        "routers": routers,
        "middlewares": middlewares or {},
        "services": {s: {"loadBalancer": {"servers": [{"url": f"http://{s}:8000"}]}}
                     for s in services},
    }}


def target(path: str, method: str = "GET", query: str = "") -> Target:
    return Target(method=method, scheme="https", host="localhost:8443", path=path,
                  raw_path=path, query=query)


# --- rules ---------------------------------------------------------------------------------


def test_path_matches_exactly_and_path_prefix_is_a_string_prefix() -> None:
    exact = parse_rule("Path(`/mcp`)")
    prefix = parse_rule("PathPrefix(`/auth`)")
    assert exact.matches("/mcp")
    assert not exact.matches("/mcp/")
    assert not exact.matches("/mcpx")
    assert prefix.matches("/auth")
    assert prefix.matches("/auth/login_business")
    assert prefix.matches("/authx")  # as in Traefik: a plain string prefix
    assert not prefix.matches("/au")


def test_or_matches_any_alternative() -> None:
    rule = parse_rule("Path(`/mcp`) || PathPrefix(`/mcp/`)")
    assert [m.kind for m in rule.matchers] == ["Path", "PathPrefix"]
    assert rule.matches("/mcp")
    assert rule.matches("/mcp/customer/points/1")
    assert not rule.matches("/mcpx")


def test_rules_accept_double_quotes_and_spacing() -> None:
    rule = parse_rule(' PathPrefix( "/a" )||Path(`/b`) ')
    assert rule.matches("/a/x")
    assert rule.matches("/b")


@pytest.mark.parametrize("rule", [
    "Host(`example.com`)",
    "PathPrefix(`/a`) && Path(`/b`)",
    "!PathPrefix(`/a`)",
    "(PathPrefix(`/a`))",
    "PathPrefix(`/a`) ||",
    "PathPrefix(`a`)",
    "PathPrefix(/a)",
    "PathPrefix(`/a`, `/b`)",
    "",
])
def test_rules_the_dev_gateway_cannot_follow_are_refused(rule: str) -> None:
    with pytest.raises(RouteConfigError):
        parse_rule(rule)


# --- priorities ----------------------------------------------------------------------------


def test_routers_are_tried_by_priority_with_rule_length_as_default() -> None:
    table = build_route_table(config({
        "catch-all": {"rule": "PathPrefix(`/`)", "priority": 1, "service": "c"},
        "short": {"rule": "PathPrefix(`/a`)", "service": "a"},  # priority 16
        "long": {"rule": "PathPrefix(`/a/b`)", "service": "b"},  # priority 18
        "zero": {"rule": "Path(`/a/b/c`)", "priority": 0, "service": "c"},  # 0 → 14
        "explicit": {"rule": "PathPrefix(`/x`)", "priority": 100, "service": "a"},
    }))
    assert [(r.name, r.priority) for r in table.routers] == [
        ("explicit", 100), ("long", 18), ("short", 16), ("zero", 14), ("catch-all", 1),
    ]
    assert table.match("/a/b/c").name == "long"  # longer rule wins over the exact Path
    assert table.match("/a/z").name == "short"
    assert table.match("/other").name == "catch-all"


def test_equal_priorities_are_ordered_by_name() -> None:
    table = build_route_table(config({
        "zeta": {"rule": "PathPrefix(`/a`)", "priority": 5, "service": "a"},
        "alpha": {"rule": "PathPrefix(`/a`)", "priority": 5, "service": "b"},
    }))
    assert table.match("/a").name == "alpha"


def test_no_router_matches_means_none() -> None:
    table = build_route_table(config({"a": {"rule": "PathPrefix(`/a`)", "service": "a"}}))
    assert table.match("/b") is None


def test_only_routers_on_the_websecure_entry_point_are_loaded() -> None:
    table = build_route_table(config({
        "secure": {"rule": "PathPrefix(`/a`)", "entryPoints": ["websecure"], "service": "a"},
        "plain": {"rule": "PathPrefix(`/b`)", "entryPoints": ["web"], "service": "b"},
        "everywhere": {"rule": "PathPrefix(`/c`)", "service": "c"},
    }))
    assert {r.name for r in table.routers} == {"secure", "everywhere"}


# --- middlewares ---------------------------------------------------------------------------


def test_strip_prefix_removes_the_first_matching_prefix() -> None:
    t = target("/admin/customers/1")
    StripPrefix(("/api", "/admin")).apply(t)
    assert (t.path, t.raw_path, t.stripped_prefix) == ("/customers/1", "/customers/1", "/admin")
    assert ("x-forwarded-prefix", "/admin") in t.headers
    root = target("/admin")
    StripPrefix(("/admin",)).apply(root)
    assert root.path == "/"


def test_replace_path_keeps_the_original_in_a_header() -> None:
    t = target("/healthz/loyalty")
    ReplacePath("/healthz").apply(t)
    assert t.path == "/healthz"
    assert ("x-replaced-path", "/healthz/loyalty") in t.headers


def test_rewritten_paths_are_percent_encoded_for_the_upstream() -> None:
    t = target("/x/+263 77")
    StripPrefix(("/x",)).apply(t)
    assert t.raw_path == "/+263%2077"


@pytest.mark.parametrize(("method", "permanent", "status"), [
    ("GET", True, 301), ("POST", True, 308), ("GET", False, 302), ("PUT", False, 307),
])
def test_redirect_regex_builds_the_location_and_status(method: str, permanent: bool,
                                                       status: int) -> None:
    middleware = RedirectRegex(re.compile(r"^(https?://[^/]+)/admin(\?.*)?$"),
                               "${1}/admin/${2}", permanent)
    redirect = middleware.apply(target("/admin", method, query="tab=1"))
    assert redirect is not None
    assert redirect.location == "https://localhost:8443/admin/?tab=1"
    assert redirect.status_code == status
    assert middleware.apply(target("/admin/")) is None


def test_go_replacement_templates() -> None:
    match = re.match(r"(?P<host>[a-z]+)-(\d+)", "abc-42")
    assert match is not None
    assert expand_go_template("$1|${2}|${host}|$$|${9}|$nope", match) == "abc|42|abc|$||"


def test_chains_are_flattened_in_order() -> None:
    table = build_route_table(config(
        {"r": {"rule": "PathPrefix(`/a`)", "middlewares": ["outer@file"], "service": "a"}},
        {
            "outer": {"chain": {"middlewares": ["strip", "inner"]}},
            "inner": {"chain": {"middlewares": ["replace"]}},
            "strip": {"stripPrefix": {"prefixes": ["/a"]}},
            "replace": {"replacePath": {"path": "/z"}},
        },
    ))
    assert table.routers[0].middlewares == (StripPrefix(("/a",)), ReplacePath("/z"))


def test_middlewares_apply_in_order_and_redirects_stop_the_request() -> None:
    table = build_route_table(config(
        {"r": {"rule": "PathPrefix(`/old`)", "middlewares": ["move", "strip"], "service": "a"}},
        {
            "move": {"redirectRegex": {"regex": "^(.*)/old/gone$", "replacement": "${1}/new"}},
            "strip": {"stripPrefix": {"prefixes": ["/old"]}},
        },
    ))
    router = table.routers[0]
    redirect = router.apply_middlewares(target("/old/gone"))
    assert redirect is not None and redirect.location == "https://localhost:8443/new"
    kept = target("/old/here")
    assert router.apply_middlewares(kept) is None
    assert kept.path == "/here"


@pytest.mark.parametrize(("routers", "middlewares", "message"), [
    ({"r": {"rule": "PathPrefix(`/a`)", "service": "nope"}}, {}, "service nope"),
    ({"r": {"rule": "PathPrefix(`/a`)", "service": "a", "middlewares": ["m"]}}, {},
     "middleware m is not defined"),
    ({"r": {"rule": "PathPrefix(`/a`)", "service": "a", "middlewares": ["m"]}},
     {"m": {"headers": {"customResponseHeaders": {"X": "1"}}}}, "not supported"),
    ({"r": {"rule": "PathPrefix(`/a`)", "service": "a", "middlewares": ["m"]}},
     {"m": {"chain": {"middlewares": ["m"]}}}, "loops"),
    ({"r": {"rule": "PathPrefix(`/a`)", "service": "a", "middlewares": ["e"]}},
     {"e": {"errors": {"status": ["418"], "service": "a", "query": "/x"}}},
     "errors middleware only"),
    ({"r": {"rule": "Host(`x`)", "service": "a"}}, {}, "router r"),
    ({"r": {"service": "a"}}, {}, "needs a rule"),
    ({"r": {"rule": "PathPrefix(`/a`)", "service": "a", "middlewares": ["m"]}},
     {"m": {"replacePath": {}}}, "invalid options"),
])
def test_configuration_errors_are_refused_at_load(routers: dict[str, Any],
                                                  middlewares: dict[str, Any],
                                                  message: str) -> None:
    with pytest.raises(RouteConfigError, match=message):
        build_route_table(config(routers, middlewares))


def test_errors_middleware_is_accepted_on_the_noop_guard() -> None:
    table = build_route_table(config(
        {"guard": {"rule": "PathPrefix(`/internal`)", "service": "noop@internal",
                   "middlewares": ["e"]}},
        {"e": {"errors": {"status": ["418"], "statusRewrites": {"418": 404}, "service": "a",
                          "query": "/x"}}},
    ))
    assert table.routers[0].middlewares == (ErrorPage("a"),)


def test_services_need_load_balancer_servers() -> None:
    bad = {"http": {"routers": {}, "services": {"w": {"weighted": {"services": []}}}}}
    with pytest.raises(RouteConfigError, match="loadBalancer"):
        build_route_table(bad)

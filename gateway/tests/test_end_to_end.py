"""The real Traefik with production's ``dynamic.yml``, over HTTPS, as a browser or curl meets it.

Fixtures in conftest.py: fake services (each answers with its name and what it received),
the web app on small test builds, and Traefik started as ``make up`` starts it.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from mubayiro.gateway.traefik import routed_services

if TYPE_CHECKING:  # test modules cannot import conftest at run time (importlib mode)
    from conftest import FakeServices, RunningGateway

SERVICES = ("auth", "loyalty", "notifications", "referrals", "reports", "mcp", "chatbot")
LIVE = ("auth", "loyalty", "notifications", "reports", "mcp")

#: The public routes: a path, the service that must get it, and the path it must receive.
PUBLIC_ROUTES: list[tuple[str, str, str]] = [
    ("/auth/register_business", "auth", "/auth/register_business"),
    ("/auth/login_business", "auth", "/auth/login_business"),
    ("/auth/me", "auth", "/auth/me"),
    ("/auth/customer/otp/request", "auth", "/auth/customer/otp/request"),
    ("/auth/token", "auth", "/auth/token"),
    ("/auth/.well-known/jwks.json", "auth", "/auth/.well-known/jwks.json"),
    ("/businesses", "loyalty", "/businesses"),
    ("/businesses/1/rewards/2", "loyalty", "/businesses/1/rewards/2"),
    ("/businesses/1/customers/+263771234567", "loyalty", "/businesses/1/customers/+263771234567"),
    ("/transactions/add_points", "loyalty", "/transactions/add_points"),
    ("/transactions/redeem_points", "loyalty", "/transactions/redeem_points"),
    ("/customers/points/+263771234567", "loyalty", "/customers/points/+263771234567"),
    ("/customers/recommendations/+263771234567", "loyalty",
     "/customers/recommendations/+263771234567"),
    ("/reports/summary", "reports", "/reports/summary"),
    ("/reports/top_customers", "reports", "/reports/top_customers"),
    ("/sms/inbound", "notifications", "/sms/inbound"),
    ("/notifications/outbox", "notifications", "/notifications/outbox"),
    ("/mcp", "mcp", "/mcp"),
    ("/mcp/customer/points/+263771234567", "mcp", "/mcp/customer/points/+263771234567"),
    ("/mcp/business/1", "mcp", "/mcp/business/1"),
    ("/authx", "auth", "/authx"),  # PathPrefix is a plain string prefix
]
for _svc in LIVE:
    PUBLIC_ROUTES += [
        (f"/docs/{_svc}", _svc, f"/docs/{_svc}"),
        (f"/docs/{_svc}/oauth2-redirect", _svc, f"/docs/{_svc}/oauth2-redirect"),
        (f"/openapi/{_svc}.json", _svc, f"/openapi/{_svc}.json"),
        (f"/healthz/{_svc}", _svc, "/healthz"),
    ]

#: /internal in every spelling a client might try: Traefik must refuse each one.
INTERNAL_SPELLINGS = [
    "/internal", "/internal/events", "//internal/events", "/internal//events",
    "/%69nternal/events", "/%69%6e%74ernal/events", "/auth/../internal/events",
    "/auth/%2e%2e/internal/events", "/./internal/events", "/businesses/../../internal/events",
    "/internalx",
]


def raw_request(gateway: RunningGateway, target: str, method: str = "GET") -> tuple[int, bytes]:
    """Send a request line exactly as written (no client-side path cleaning); status, body."""
    context = gateway.ssl_context()
    with (socket.create_connection(("127.0.0.1", gateway.settings.https_port), timeout=5) as raw,
          context.wrap_socket(raw, server_hostname="localhost") as tls):
        tls.sendall(f"{method} {target} HTTP/1.1\r\nHost: localhost\r\n"
                    "Connection: close\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := tls.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def echo(response: httpx.Response) -> dict[str, Any]:
    """What the fake service received (fails with the body when Traefik answered itself)."""
    assert response.status_code == 200, response.text
    assert "service" in response.json(), response.text
    return response.json()


def header(seen: dict[str, Any], name: str) -> list[str]:
    """Every value the fake service received for header ``name``."""
    return [v for k, v in seen["headers"] if k == name]


def assert_json_error(response: httpx.Response, status: int, error: str) -> None:
    """Traefik's own errors carry the platform's JSON error shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == error and body["detail"], body


# --- routing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "service", "upstream_path"), PUBLIC_ROUTES)
def test_every_public_route_reaches_its_service(gw: httpx.Client, path: str, service: str,
                                                upstream_path: str) -> None:
    seen = echo(gw.get(path))
    assert (seen["service"], seen["path"]) == (service, upstream_path)


def test_method_query_body_and_headers_reach_the_service(gw: httpx.Client) -> None:
    seen = echo(gw.post("/transactions/add_points?x=1&y=%20z", json={"amount_spent": "12.50"},
                        headers={"Authorization": "Bearer t", "X-Custom": "kept"}))
    assert seen["method"] == "POST"
    assert seen["query"] == "x=1&y=%20z"
    assert seen["body_length"] == len(b'{"amount_spent":"12.50"}')
    assert header(seen, "authorization") == ["Bearer t"]
    assert header(seen, "x-custom") == ["kept"]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_method_reaches_the_service(gw: httpx.Client, method: str) -> None:
    assert echo(gw.request(method, "/businesses/1/rewards/2"))["method"] == method


def test_forwarded_headers_are_set_by_traefik_and_not_taken_from_the_client(
        gw: httpx.Client) -> None:
    seen = echo(gw.get("/businesses", headers={"X-Forwarded-For": "6.6.6.6",
                                               "X-Forwarded-Proto": "http"}))
    assert header(seen, "x-forwarded-proto") == ["https"]
    assert header(seen, "x-forwarded-for") == ["127.0.0.1"]


def test_header_aliases_of_forwarded_headers_are_dropped(gw: httpx.Client) -> None:
    seen = echo(gw.get("/businesses", headers={"X_Forwarded_For": "6.6.6.6"}))
    assert not header(seen, "x_forwarded_for")


def test_request_id_is_passed_through(gw: httpx.Client) -> None:
    seen = echo(gw.get("/businesses", headers={"X-Request-ID": "till-7-req-42"}))
    assert header(seen, "x-request-id") == ["till-7-req-42"]


# --- the /internal guard ------------------------------------------------------------------


@pytest.mark.parametrize("target", INTERNAL_SPELLINGS)
def test_internal_is_never_routed_in_any_spelling(gateway: RunningGateway, fakes: FakeServices,
                                                  target: str) -> None:
    status, body = raw_request(gateway, target)
    assert status == 404, body
    assert b'"error":"NotFound"' in body
    assert not fakes.saw("internal")


@pytest.mark.parametrize("target", ["/%2Finternal/events", "/auth/%2finternal",
                                    "/auth%5C..%5Cinternal", "/a%00b", "/auth/x%3B/y"])
def test_ambiguous_encoded_characters_are_refused(gateway: RunningGateway, fakes: FakeServices,
                                                  target: str) -> None:
    status, _ = raw_request(gateway, target)
    assert status == 400
    assert not fakes.saw("internal")


# --- errors Traefik makes itself, in the platform's JSON shape ----------------------------


def test_a_stopped_service_is_502(gw: httpx.Client) -> None:
    assert_json_error(gw.get("/referrals"), 502, "BadGateway")


def test_a_service_with_no_server_is_503(gw: httpx.Client) -> None:
    assert_json_error(gw.post("/chat/messages", json={"message": "hi"}), 503,
                      "ServiceUnavailable")


def test_a_slow_service_is_504(gw: httpx.Client) -> None:
    assert_json_error(gw.get("/reports/slow"), 504, "GatewayTimeout")


def test_a_body_over_the_limit_is_413_and_never_reaches_the_service(
        gw: httpx.Client, fakes: FakeServices) -> None:
    response = gw.post("/transactions/too-big", content=b"x" * (8 * 1024 * 1024 + 1),
                       headers={"Content-Type": "application/json"})
    assert_json_error(response, 413, "PayloadTooLarge")
    assert not fakes.saw("too-big")


def test_one_client_cannot_hold_more_than_256_requests_in_flight(
        gateway: RunningGateway) -> None:
    total = 264

    async def flood() -> list[int]:
        statuses: list[int] = []
        answered = asyncio.Event()
        release = asyncio.Event()
        limits = httpx.Limits(max_connections=total + 8)
        async with httpx.AsyncClient(base_url=gateway.base_url, verify=gateway.ssl_context(),
                                     trust_env=False, limits=limits, timeout=30) as client:

            async def one() -> None:
                async with client.stream("GET", "/mcp/hold") as response:
                    statuses.append(response.status_code)
                    if len(statuses) == total:
                        answered.set()
                    if response.status_code == 200:
                        await release.wait()  # keep this request in flight

            tasks = [asyncio.create_task(one()) for _ in range(total)]
            await asyncio.wait_for(answered.wait(), timeout=30)
            release.set()
            await asyncio.gather(*tasks)
        return statuses

    statuses = asyncio.run(flood())
    assert statuses.count(200) == 256
    assert statuses.count(429) == total - 256


def test_an_mcp_stream_is_not_buffered(gateway: RunningGateway) -> None:
    with gateway.client() as client, client.stream("GET", "/mcp/stream") as response:
        started = time.monotonic()
        lines = response.iter_lines()
        assert next(lines) == "first"
        assert time.monotonic() - started < 0.8  # before the service wrote the rest
        assert list(lines) == ["second"]


# --- HTTPS, redirects, headers -------------------------------------------------------------


def test_http_redirects_to_the_same_path_on_https(gateway: RunningGateway) -> None:
    port = gateway.settings.http_port
    response = httpx.get(f"http://localhost:{port}/businesses?q=mbare", trust_env=False)
    assert response.status_code in (301, 308)
    assert response.headers["location"] == (
        f"https://localhost:{gateway.settings.https_port}/businesses?q=mbare")


def test_tls_uses_the_local_ca_certificate(gateway: RunningGateway) -> None:
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{gateway.base_url}/healthz", verify=ssl.create_default_context(),
                  trust_env=False)
    assert httpx.get(f"{gateway.base_url}/healthz", verify=gateway.ssl_context(),
                     trust_env=False).text == "OK"


@pytest.mark.parametrize("path", ["/businesses", "/healthz", "/internal/x", "/referrals"])
def test_api_answers_carry_the_security_headers(gw: httpx.Client, path: str) -> None:
    headers = gw.get(path).headers
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize(("path", "title"), [("/admin/", b"admin"), ("/", b"portal")])
def test_each_web_app_has_its_own_content_security_policy(gw: httpx.Client, path: str,
                                                          title: bytes) -> None:
    response = gw.get(path)
    assert response.status_code == 200 and title in response.content
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_admin_redirect_never_copies_the_host_header(gw: httpx.Client) -> None:
    response = gw.get("/admin", headers={"Host": "evil.example"})
    assert response.status_code == 308
    assert response.headers["location"] == "/admin/"


def test_admin_deep_links_get_the_app(gw: httpx.Client) -> None:
    response = gw.get("/admin/customers/42")
    assert response.status_code == 200 and b"admin" in response.content
    assert response.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_compressed_and_cached_for_good(gateway: RunningGateway) -> None:
    with gateway.client(headers={"Accept-Encoding": "gzip"}) as client:
        response = client.get("/admin/main-GH3OYRSU.js")
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert int(response.headers["content-length"]) < len(gzip.compress(response.content)) + 64


def test_unknown_static_file_is_a_json_404(gw: httpx.Client) -> None:
    assert_json_error(gw.get("/admin/missing-ABCDEFGH.js"), 404, "NotFound")
    assert_json_error(gw.get("/nothing-here.css"), 404, "NotFound")


# --- health and readiness ------------------------------------------------------------------


def test_healthz_is_traefiks_own(gw: httpx.Client, fakes: FakeServices) -> None:
    before = len(fakes.seen)
    response = gw.get("/healthz")
    assert (response.status_code, response.text) == (200, "OK")
    assert len(fakes.seen) == before


def test_readyz_is_503_naming_the_service_that_is_down(gw: httpx.Client) -> None:
    response = gw.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["services"]["referrals"] == "unavailable"
    assert all(body["services"][name] == "ready" for name in LIVE)
    assert "chatbot" not in body["services"]  # not configured here: not asked


def test_every_routed_service_is_a_platform_service() -> None:
    from mubayiro.gateway.config import TRAEFIK_DIR

    assert routed_services(TRAEFIK_DIR / "dynamic.yml") == {*SERVICES, "web"}

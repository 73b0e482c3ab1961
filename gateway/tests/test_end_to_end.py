"""The gateway over real HTTPS, as a browser or curl meets it (fixtures in conftest.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from mubayiro.common.testing import free_port, wait_until
from mubayiro.gateway.config import GatewaySettings

if TYPE_CHECKING:  # test modules cannot import conftest at run time (importlib mode)
    from conftest import RunningGateway, ServerThread, Upstream

    StartGateway = Callable[[GatewaySettings], tuple[ServerThread, RunningGateway]]


def header(echo: dict, name: str) -> list[str]:
    """Every value the upstream received for header ``name``."""
    return [v for k, v in echo["headers"] if k == name]


# --- proxying ------------------------------------------------------------------------------


def test_proxies_method_path_query_body_and_headers(gateway: RunningGateway,
                                                    upstream: Upstream) -> None:
    with gateway.client() as client:
        response = client.post(
            "/businesses/7/rewards?active=true&q=caf%C3%A9",
            json={"name": "Free coffee", "points_cost": 50},
            headers={"X-Custom": "kept", "Authorization": "Bearer abc", "Keep-Alive": "5"},
        )
    assert response.status_code == 200
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["path"] == "/businesses/7/rewards"
    assert echo["query"] == "active=true&q=caf%C3%A9"
    assert echo["body"] == '{"name":"Free coffee","points_cost":50}'
    assert header(echo, "x-custom") == ["kept"]
    assert header(echo, "authorization") == ["Bearer abc"]
    assert header(echo, "content-type") == ["application/json"]
    # The upstream sees its own Host; hop-by-hop headers stop at the gateway.
    assert header(echo, "host") == [upstream.url.removeprefix("http://")]
    assert header(echo, "keep-alive") == []


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_passes_every_method(gateway: RunningGateway, method: str) -> None:
    with gateway.client() as client:
        response = client.request(method, "/transactions/1")
    assert response.json()["method"] == method


def test_head_gets_headers_without_body(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.head("/transactions/1")
    assert response.status_code == 200
    assert response.content == b""


def test_percent_encoded_path_reaches_the_service_as_sent(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        echo = client.get("/customers/points/%2B263771234567").json()
    assert echo["raw_path"] == "/customers/points/%2B263771234567"
    assert echo["path"] == "/customers/points/+263771234567"


def test_response_headers_come_back_without_hop_by_hop_ones(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/auth/me")
    assert response.headers["x-upstream"] == "yes"
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert "keep-alive" not in response.headers
    assert "server" not in response.headers


def test_request_id_is_passed_through(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/auth/me", headers={"X-Request-ID": "req-123"})
    assert header(response.json(), "x-request-id") == ["req-123"]
    assert response.headers.get_list("x-request-id") == ["req-123"]


def test_request_id_is_created_when_missing(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/auth/me")
    [made_up] = response.headers.get_list("x-request-id")
    assert len(made_up) >= 16
    assert header(response.json(), "x-request-id") == [made_up]


def test_forwarded_headers_are_set_and_not_spoofable(gateway: RunningGateway) -> None:
    port = gateway.settings.https_port
    with gateway.client() as client:
        echo = client.get("/auth/me", headers={"X-Forwarded-For": "6.6.6.6",
                                               "X-Forwarded-Host": "evil.example"}).json()
    assert header(echo, "x-forwarded-for") == ["127.0.0.1"]
    assert header(echo, "x-forwarded-proto") == ["https"]
    assert header(echo, "x-forwarded-host") == [f"localhost:{port}"]
    assert header(echo, "x-forwarded-port") == [str(port)]


def test_response_streams_before_the_upstream_finishes(gateway: RunningGateway,
                                                       upstream: Upstream) -> None:
    upstream.release_stream.clear()
    with gateway.client() as client, client.stream("GET", "/businesses/1/stream") as response:
        chunks = response.iter_raw()
        # The upstream holds the second chunk back until released: a buffering gateway
        # would not deliver the first one at all.
        assert next(chunks) == b"first\n"
        upstream.release_stream.set()
        assert b"".join(chunks) == b"second\n"
    wait_until(lambda: "stream closed" in upstream.seen)
    upstream.seen.remove("stream closed")


def test_request_body_streams_to_the_upstream(gateway: RunningGateway) -> None:
    block = bytes(range(256)) * 256  # 64 KiB
    count = 40

    def body() -> Iterator[bytes]:
        for _ in range(count):
            yield block

    with gateway.client() as client:
        echo = client.post("/transactions/upload", content=body()).json()
    assert header(echo, "transfer-encoding") == ["chunked"]
    assert echo["body_length"] == len(block) * count
    assert echo["body_sha256"] == hashlib.sha256(block * count).hexdigest()


# --- upstream failures ---------------------------------------------------------------------


def test_unreachable_service_is_502(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/referrals")
    assert response.status_code == 502
    assert response.json() == {"detail": "The referrals service is unavailable",
                               "error": "BadGateway"}


def test_service_without_upstream_is_502(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/reports/summary")
    assert response.status_code == 502
    assert response.json()["error"] == "BadGateway"


def test_slow_service_is_504(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/businesses/1/slow")
    assert response.status_code == 504
    assert response.json() == {"detail": "The loyalty service did not answer in time",
                               "error": "GatewayTimeout"}


# --- what is never routed ------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "/internal/x",
    "/internal",
    "/Internal/events",
    "/auth/../internal/x",
    "/auth/%2e%2e/internal/x",
    "/%69nternal/x",
    "//internal/x",
    "/./internal/x",
])
def test_internal_is_never_routed(gateway: RunningGateway, upstream: Upstream,
                                  target: str) -> None:
    before = len(upstream.seen)
    with gateway.client() as client:
        # The raw request target, exactly as written (httpx would normalise the URL).
        response = client.post("/", content=b"{}", extensions={"target": target.encode()})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "error": "NotFound"}
    assert len(upstream.seen) == before


@pytest.mark.parametrize("target", ["/auth/../businesses", "/businesses/1%2F2", "/auth/./me"])
def test_dot_segments_and_encoded_slashes_are_refused(gateway: RunningGateway,
                                                      target: str) -> None:
    with gateway.client() as client:
        response = client.get("/", extensions={"target": target.encode()})
    assert response.status_code == 400
    assert response.json()["error"] == "BadRequest"


# --- the gateway's own routes --------------------------------------------------------------


def test_healthz_is_the_gateways_own(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "gateway"}


def test_readyz_is_503_naming_the_service_that_is_down(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "services": {"auth": "ready", "loyalty": "ready", "notifications": "ready",
                     "referrals": "unavailable"},
    }


def test_service_healthz_reaches_that_services_healthz(gateway: RunningGateway,
                                                       upstream: Upstream) -> None:
    with gateway.client() as client:
        response = client.get("/healthz/loyalty")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "upstream",
                               "replaced_path": "/healthz/loyalty"}
    assert upstream.seen[-1] == "/healthz"


def test_http_port_redirects_to_https(gateway: RunningGateway) -> None:
    s = gateway.settings
    with httpx.Client(trust_env=False) as client:
        for method in ("GET", "POST"):
            response = client.request(method, f"http://127.0.0.1:{s.http_port}/auth/x?y=1%202")
            assert response.status_code == 308
            assert response.headers["location"] == (
                f"https://localhost:{s.https_port}/auth/x?y=1%202"
            )


# --- the admin UI and the portal -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/admin/", "/admin/customers/42"])
def test_placeholder_page_until_the_uis_are_built(gateway: RunningGateway, path: str) -> None:
    with gateway.client() as client:
        response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Mubayiro" in response.text
    assert 'href="/docs/auth"' in response.text


def test_admin_without_slash_redirects(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/admin?tab=rewards")
    assert response.status_code == 301
    assert response.headers["location"] == f"{gateway.base_url}/admin/?tab=rewards"


def test_unknown_portal_file_is_404_when_not_built(gateway: RunningGateway) -> None:
    with gateway.client() as client:
        response = client.get("/styles.css")
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


@pytest.fixture(scope="module")
def built_gateway(upstream: Upstream, gateway: RunningGateway, gateway_data: Path,
                  start_gateway: StartGateway,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    """A second gateway on the first one's data folder, with built UIs and live services."""
    dist = tmp_path_factory.mktemp("dist")
    admin = dist / "admin"
    portal = dist / "portal"
    (admin / "assets").mkdir(parents=True)
    portal.mkdir()
    (admin / "index.html").write_text("<html>admin app</html>")
    (admin / "main-abc123.js").write_text("console.log('admin')")
    (admin / "assets" / "logo.svg").write_text("<svg/>")
    (portal / "index.html").write_text("<html>portal home</html>")
    (portal / "styles.css").write_text("body{}")
    settings = GatewaySettings(
        https_port=free_port(), http_port=free_port(), data_dir=gateway_data,
        upstreams={"auth": upstream.url, "loyalty": upstream.url},
        admin_ui_dir=admin, portal_dir=portal,
    )
    thread, running = start_gateway(settings)
    with thread:
        yield running


@pytest.mark.parametrize(("path", "body", "content_type"), [
    ("/", "<html>portal home</html>", "text/html"),
    ("/styles.css", "body{}", "text/css"),
    ("/admin/", "<html>admin app</html>", "text/html"),
    ("/admin/main-abc123.js", "console.log('admin')", "text/javascript"),
    ("/admin/assets/logo.svg", "<svg/>", "image/svg+xml"),
    # Single-page app: a page path the server does not know is the app's to route.
    ("/admin/customers/42", "<html>admin app</html>", "text/html"),
])
def test_serves_built_files(built_gateway: RunningGateway, path: str, body: str,
                           content_type: str) -> None:
    with built_gateway.client() as client:
        response = client.get(path)
    assert response.status_code == 200
    assert response.text == body
    assert response.headers["content-type"].startswith(content_type)


@pytest.mark.parametrize("path", ["/admin/missing-123.js", "/missing.html", "/no/such/page"])
def test_missing_files_are_404(built_gateway: RunningGateway, path: str) -> None:
    with built_gateway.client() as client:
        response = client.get(path)
    assert response.status_code == 404


def test_static_sites_refuse_writes(built_gateway: RunningGateway) -> None:
    with built_gateway.client() as client:
        response = client.post("/admin/", content=b"x")
    assert response.status_code == 405
    assert response.json()["error"] == "MethodNotAllowed"


def test_client_leaving_a_stream_closes_the_upstream_stream(built_gateway: RunningGateway,
                                                            upstream: Upstream) -> None:
    # built_gateway has the default 30 s read timeout, so only noticing the client leave
    # can end the upstream stream within the wait below.
    upstream.release_stream.clear()
    with built_gateway.client() as client, client.stream("GET", "/businesses/2/stream") as response:
        assert next(response.iter_raw()) == b"first\n"
    # The client hung up with the upstream still holding its second chunk back: the
    # gateway must drop the upstream stream now, not when the upstream next writes.
    wait_until(lambda: "stream closed" in upstream.seen, timeout=3,
               message="the upstream stream to be closed")
    upstream.seen.remove("stream closed")


def test_readyz_is_200_when_every_service_is_ready(built_gateway: RunningGateway) -> None:
    with built_gateway.client() as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready",
                               "services": {"auth": "ready", "loyalty": "ready"}}


def test_certificates_are_reused_across_restarts(gateway: RunningGateway,
                                                 built_gateway: RunningGateway,
                                                 gateway_data: Path,
                                                 start_gateway: StartGateway) -> None:
    # The second gateway started on the first one's data folder: same files, and a client
    # that trusted the first run's CA trusts the restarted gateway too.
    assert built_gateway.ca == gateway.ca
    ca = gateway.ca.read_bytes()
    with httpx.Client(verify=gateway.ssl_context(), trust_env=False) as client:
        assert client.get(f"{built_gateway.base_url}/healthz").status_code == 200
    # A third start, after both: still the same CA.
    settings = GatewaySettings(https_port=free_port(), http_port=free_port(),
                               data_dir=gateway_data, upstreams={})
    thread, third = start_gateway(settings)
    with thread:
        wait_until(lambda: httpx.get(f"{third.base_url}/healthz", verify=gateway.ssl_context(),
                                     trust_env=False).status_code == 200)
    assert gateway.ca.read_bytes() == ca

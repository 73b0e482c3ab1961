"""The web app behind Traefik, over ASGI: static sites, caching, readiness, error pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mubayiro.common.testing import free_port
from mubayiro.gateway.config import GatewaySettings
from mubayiro.gateway.web import IMMUTABLE, REVALIDATE, cache_control, create_app


def _settings(sites: tuple[Path, Path], upstreams: dict[str, Any]) -> GatewaySettings:
    admin, portal = sites
    return GatewaySettings(_env_file=None, upstreams=upstreams,  # type: ignore[call-arg]
                           admin_ui_dir=admin, portal_dir=portal, readyz_timeout_seconds=1.0)


@pytest.fixture
def web(site_dirs: tuple[Path, Path]) -> Iterator[TestClient]:
    with TestClient(create_app(_settings(site_dirs, {}))) as client:
        yield client


@pytest.mark.parametrize(("name", "expected"), [
    ("main-GH3OYRSU.js", IMMUTABLE), ("chunk--oJPsS5L.js", IMMUTABLE),
    ("styles-G42TJ45N.css", IMMUTABLE), ("index.html", REVALIDATE), ("config.json", REVALIDATE),
    ("js/api.js", REVALIDATE), ("main.js", REVALIDATE),
])
def test_only_content_hashed_names_are_cached_for_good(name: str, expected: str) -> None:
    assert cache_control(name) == expected


def test_admin_files_deep_links_and_missing_assets(web: TestClient) -> None:
    asset = web.get("/admin/main-GH3OYRSU.js")
    assert asset.status_code == 200 and asset.headers["cache-control"] == IMMUTABLE
    page = web.get("/admin/customers/42?tab=history")
    assert page.status_code == 200 and "admin" in page.text
    assert page.headers["cache-control"] == REVALIDATE
    missing = web.get("/admin/chunk-MISSING1.js")
    assert missing.status_code == 404 and missing.json()["error"] == "NotFound"


def test_admin_without_slash_is_a_relative_redirect(web: TestClient) -> None:
    response = web.get("/admin?x=1", headers={"Host": "evil.example"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (308, "/admin/?x=1")


def test_portal_files_revalidate_with_an_etag(web: TestClient) -> None:
    first = web.get("/app.js")
    assert first.status_code == 200 and first.headers["cache-control"] == REVALIDATE
    again = web.get("/app.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert web.get("/").text == web.get("/index.html").text


def test_portal_has_no_app_fallback(web: TestClient) -> None:
    assert web.get("/customers/42").status_code == 404


def test_sites_refuse_writes(web: TestClient) -> None:
    response = web.post("/admin/")
    assert response.status_code == 405 and response.json()["error"] == "MethodNotAllowed"


def test_placeholder_until_built(tmp_path: Path) -> None:
    app = create_app(_settings((tmp_path / "a", tmp_path / "p"), {"auth": "http://127.0.0.1:1"}))
    with TestClient(app) as client:
        page = client.get("/admin/")
        assert page.status_code == 200 and "npm run build" in page.text
        assert "/docs/auth" in client.get("/").text
        assert client.get("/style.css").status_code == 404


@pytest.mark.parametrize(("status", "error"), [
    (404, "NotFound"), (413, "PayloadTooLarge"), (502, "BadGateway"),
    (503, "ServiceUnavailable"), (504, "GatewayTimeout")])
def test_gateway_error_pages_keep_the_status_in_the_platform_shape(
        web: TestClient, status: int, error: str) -> None:
    for method in ("GET", "POST", "DELETE"):
        response = web.request(method, f"/gateway-errors/{status}")
        assert response.status_code == status
        assert response.json()["error"] == error


def test_readyz_is_200_only_when_every_service_is_ready(
        site_dirs: tuple[Path, Path], fake_service: Callable[[str], str]) -> None:
    ready = {"auth": fake_service("auth")}
    with TestClient(create_app(_settings(site_dirs, ready))) as client:
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"status": "ready", "services": {"auth": "ready"}}
    down = ready | {"loyalty": f"http://127.0.0.1:{free_port()}"}
    with TestClient(create_app(_settings(site_dirs, down))) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["services"] == {"auth": "ready", "loyalty": "unavailable"}
    # A service with replicas is ready only when every replica is.
    replicas = {"auth": [ready["auth"], fake_service("auth")]}
    with TestClient(create_app(_settings(site_dirs, replicas))) as client:
        assert client.get("/readyz").status_code == 200
    replicas["auth"].append(f"http://127.0.0.1:{free_port()}")
    with TestClient(create_app(_settings(site_dirs, replicas))) as client:
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["services"]["auth"] == (
            "unavailable")

"""API docs from local files, on or off by environment; CORS for exactly the listed origins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from mubayiro.common.app import create_service_app
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.testing import TestKeys

KIOSK = "https://kiosk.example.co.zw"


def client_for(tmp_path: Path, **settings: Any) -> TestClient:
    router = APIRouter()

    @router.post("/things")
    def create_thing() -> dict[str, str]:
        return {"made": "yes"}

    values: dict[str, Any] = {"service_name": "demo", "data_dir": tmp_path,
                              "environment": "test"} | settings
    app = create_service_app(ServiceSettings(**values), title="demo", description="demo",
                             routers=[router], alembic_ini=None,
                             token_verifier=TestKeys().verifier())
    return TestClient(app)


def test_swagger_ui_loads_only_local_files(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        page = client.get("/docs/demo")
        assert page.status_code == 200
        assert "/docs/demo/static/swagger-ui-bundle.js" in page.text
        assert "/openapi/demo.json" in page.text
        assert "cdn" not in page.text.lower() and "https://" not in page.text
        script = client.get("/docs/demo/static/swagger-ui-bundle.js")
        assert script.status_code == 200 and "SwaggerUIBundle" in script.text
        assert client.get("/docs/demo/static/swagger-ui.css").status_code == 200
        assert client.get("/docs/demo/oauth2-redirect").status_code == 200
        assert client.get("/openapi/demo.json").json()["info"]["title"] == "demo"


@pytest.mark.parametrize(("environment", "enabled", "served"), [
    ("development", None, True), ("test", None, True), ("production", None, False),
    ("production", True, True), ("development", False, False)])
def test_docs_are_off_in_production_unless_enabled(
        tmp_path: Path, environment: str, enabled: bool | None, served: bool) -> None:
    extra: dict[str, Any] = {"environment": environment, "docs_enabled": enabled}
    if environment == "production":
        extra["service_client_secret"] = "a-real-secret-for-this-test-only-0123456789"
    with client_for(tmp_path, **extra) as client:
        for path in ("/docs/demo", "/openapi/demo.json", "/docs/demo/static/swagger-ui.css"):
            assert (client.get(path).status_code == 200) is served, path


def test_without_origins_no_cors_headers_are_sent(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        response = client.post("/things", headers={"Origin": KIOSK})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options("/things", headers={
            "Origin": KIOSK, "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in preflight.headers


def test_listed_origins_get_exactly_their_origin_and_no_credentials(tmp_path: Path) -> None:
    with client_for(tmp_path, cors_origins=[KIOSK]) as client:
        preflight = client.options("/things", headers={
            "Origin": KIOSK, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, idempotency-key"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == KIOSK
        assert "access-control-allow-credentials" not in preflight.headers
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "Idempotency-Key" in preflight.headers["access-control-allow-headers"]
        response = client.post("/things", headers={"Origin": KIOSK})
        assert response.headers["access-control-allow-origin"] == KIOSK
        assert "X-Request-ID" in response.headers["access-control-expose-headers"]


def test_other_origins_are_refused(tmp_path: Path) -> None:
    with client_for(tmp_path, cors_origins=[KIOSK]) as client:
        preflight = client.options("/things", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 400
        assert "access-control-allow-origin" not in preflight.headers
        response = client.post("/things", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in response.headers

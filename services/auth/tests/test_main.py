"""The app as a whole: health, OpenAPI, and the command line."""

from __future__ import annotations

import sqlite3

from fastapi.testclient import TestClient

from mubayiro.auth.__main__ import main


def test_health_and_readiness(client: TestClient):
    assert client.get("/healthz").json() == {"status": "ok", "service": "auth"}
    assert client.get("/readyz").status_code == 200


def test_openapi_documents_both_login_bodies_and_the_authorize_flow(client: TestClient):
    spec = client.get("/openapi/auth.json").json()
    login = spec["paths"]["/auth/login_business"]["post"]
    assert set(login["requestBody"]["content"]) == {
        "application/json", "application/x-www-form-urlencoded"}
    schemes = spec["components"]["securitySchemes"]
    assert schemes["BusinessLogin"]["flows"]["password"]["tokenUrl"] == "/auth/login_business"
    # Service-to-service routes have their own document, on the service only.
    assert not [path for path in spec["paths"] if path.startswith("/internal")]
    internal = client.get("/internal/openapi.json").json()
    assert "/internal/businesses/{business_id}" in internal["paths"]


def test_migrate_command_creates_the_schema(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    monkeypatch.setenv("AUTH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AUTH_ENVIRONMENT", "test")
    main(["migrate"])
    with sqlite3.connect(tmp_path / "auth.db") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"business", "customer_otp", "outbox_message", "alembic_version"} <= tables

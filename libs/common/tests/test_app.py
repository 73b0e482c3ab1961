"""The shared app skeleton: error shape, request ids, size limit, health routes."""

import subprocess
import sys

from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mubayiro.common.app import create_service_app
from mubayiro.common.errors import Conflict
from mubayiro.common.phone import PhoneNumber
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.testing import TestKeys


class InsufficientPoints(Conflict):
    default_detail = "Not enough points"


class Body(BaseModel):
    phone: PhoneNumber


def make_app(tmp_path):
    router = APIRouter()

    @router.post("/echo")
    def echo(body: Body) -> dict[str, str]:
        return {"phone": body.phone}

    @router.get("/conflict")
    def conflict() -> None:
        raise InsufficientPoints()

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    settings = ServiceSettings(service_name="demo", data_dir=tmp_path, environment="test",
                               max_request_bytes=1024)
    return create_service_app(settings, title="demo", description="demo", routers=[router],
                              alembic_ini=None, token_verifier=TestKeys().verifier())


def test_errors_have_one_shape(tmp_path):
    with TestClient(make_app(tmp_path), raise_server_exceptions=False) as client:
        r = client.get("/conflict")
        assert r.status_code == 409
        assert r.json() == {"detail": "Not enough points", "error": "InsufficientPoints"}
        r = client.post("/echo", json={"phone": "nope"})
        assert r.status_code == 422
        body = r.json()
        assert body["error"] == "ValidationError" and "phone" in body["detail"]
        assert body["errors"][0]["field"] == "phone"
        r = client.get("/nowhere")
        assert r.status_code == 404 and r.json()["error"] == "NotFound"
        r = client.get("/boom")
        assert r.status_code == 500 and "secret" not in r.text
        assert r.json() == {"detail": "Internal server error", "error": "InternalError"}


def test_request_id_is_kept_or_created(tmp_path):
    with TestClient(make_app(tmp_path)) as client:
        assert client.get("/healthz", headers={"X-Request-ID": "abc"}).headers["x-request-id"] == (
            "abc")
        assert len(client.get("/healthz").headers["x-request-id"]) == 32


def test_oversized_body_is_refused_before_the_app(tmp_path):
    with TestClient(make_app(tmp_path)) as client:
        r = client.post("/echo", content=b'{"phone": "' + b"1" * 2000 + b'"}',
                        headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.json()["error"] == "PayloadTooLarge"

        def chunks():
            yield b'{"phone": "'
            yield b"1" * 2000
            yield b'"}'

        r = client.post("/echo", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert client.post("/echo", json={"phone": "0771234567"}).json() == {
            "phone": "+263771234567"}


def test_health_and_readiness(tmp_path):
    with TestClient(make_app(tmp_path)) as client:
        assert client.get("/healthz").json() == {"status": "ok", "service": "demo"}
        r = client.get("/readyz")
        assert r.status_code == 200 and r.json()["database"] == "ok"


def test_a_value_the_database_refuses_is_a_422_not_a_500(tmp_path):
    from fastapi import APIRouter
    from sqlalchemy.exc import DataError

    router = APIRouter()

    @router.post("/store")
    def store() -> None:
        # What PostgreSQL's driver raises for a NUL character in a text value.
        raise DataError("INSERT ...", {}, ValueError("string contains NUL (0x00) characters"))

    settings = ServiceSettings(service_name="demo", data_dir=tmp_path, environment="test")
    app = create_service_app(settings, title="demo", description="demo", routers=[router],
                             alembic_ini=None, token_verifier=TestKeys().verifier())
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/store")
    assert r.status_code == 422
    assert r.json()["error"] == "UnstorableValue"
    assert "0x00" not in r.text and "INSERT" not in r.text  # nothing of the driver's text


def test_a_service_process_does_not_load_httpx_command_line_client():
    """httpx's CLI (click, rich, pygments: 6 MB resident) is not imported by a service
    (each starts from ``mubayiro.common.cli``), though the test tools installed beside it
    would let httpx import it."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, mubayiro.common.cli, httpx; "
         "print(sorted({'rich', 'pygments'} & set(sys.modules)))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"

"""The published API description matches what the service answers (mubayiro.common.openapi)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from mubayiro.common.app import create_service_app
from mubayiro.common.openapi import ErrorBody
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.testing import TestKeys


class Thing(BaseModel):
    name: str = Field(min_length=1, max_length=10)


def client_for(tmp_path: Path, **settings: Any) -> TestClient:
    public, internal = APIRouter(), APIRouter(prefix="/internal")

    @public.post("/things")
    def create_thing(thing: Thing) -> Thing:
        return thing

    @internal.post("/things")
    def create_internal_thing(thing: Thing) -> Thing:
        return thing

    values: dict[str, Any] = {"service_name": "demo", "data_dir": tmp_path,
                              "environment": "test"} | settings
    app = create_service_app(ServiceSettings(**values), title="demo", description="demo",
                             routers=[public, internal], alembic_ini=None,
                             token_verifier=TestKeys().verifier())
    return TestClient(app)


def _resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_the_public_document_has_no_internal_routes(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        public = client.get("/openapi/demo.json").json()
        assert "/things" in public["paths"]
        assert not [path for path in public["paths"] if path.startswith("/internal")]
        internal = client.get("/internal/openapi.json").json()
        assert list(internal["paths"]) == ["/internal/things"]


def test_a_422_answer_matches_the_documented_schema(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        document = client.get("/openapi/demo.json").json()
        documented = document["paths"]["/things"]["post"]["responses"]["422"]
        ref = documented["content"]["application/json"]["schema"]["$ref"]
        assert set(_resolve(document, ref)["required"]) == {"detail", "error"}
        assert "HTTPValidationError" not in document["components"]["schemas"]
        answer = client.post("/things", json={"name": ""})
        assert answer.status_code == 422
        body = ErrorBody.model_validate(answer.json(), strict=True)
        assert body.error == "ValidationError" and body.errors and body.errors[0].field == "name"


def test_published_constraints_are_the_validators(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        schema = client.get("/openapi/demo.json").json()["components"]["schemas"]["Thing"]
        assert schema["properties"]["name"]["minLength"] == 1
        assert schema["properties"]["name"]["maxLength"] == 10


@pytest.mark.parametrize("environment", ["production"])
def test_no_document_at_all_in_production_unless_enabled(tmp_path: Path, environment: str) -> None:
    with client_for(tmp_path, environment=environment,
                    service_client_secret="a-real-secret-for-production-use") as client:
        assert client.get("/openapi/demo.json").status_code == 404
        assert client.get("/internal/openapi.json").status_code == 404

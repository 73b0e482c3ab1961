"""``POST /internal/customer_tokens``: a short-lived customer token for a phone another
channel vouches for — only for the services named in ``customer_token_clients``."""

from __future__ import annotations

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

PHONE = "+263771234567"


def _service_headers(app: FastAPI, client_id: str) -> dict[str, str]:
    token = app.state.token_issuer.service_token(client_id).access_token
    return {"Authorization": f"Bearer {token}"}


def test_chatbot_gets_a_short_lived_customer_token(client: TestClient, app: FastAPI):
    resp = client.post("/internal/customer_tokens", json={"phone_number": "0771234567"},
                       headers=_service_headers(app, "chatbot"))

    assert resp.status_code == 200, resp.text
    assert resp.headers["cache-control"] == "no-store"
    body = resp.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 120
    principal = app.state.token_verifier.verify(body["access_token"], audience="mubayiro")
    assert principal.role == "customer"
    assert principal.phone_number == PHONE
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 120


@pytest.mark.parametrize("client_id", ["loyalty", "notifications", "mcp"])
def test_other_services_are_refused(client: TestClient, app: FastAPI, client_id: str):
    resp = client.post("/internal/customer_tokens", json={"phone_number": PHONE},
                       headers=_service_headers(app, client_id))

    assert resp.status_code == 403
    assert resp.json()["error"] == "CustomerTokensNotAllowed"


def test_api_tokens_and_no_token_are_refused(client: TestClient, app: FastAPI):
    customer = app.state.token_issuer.customer_token(PHONE).access_token
    business = app.state.token_issuer.business_token(1).access_token

    for headers in ({}, {"Authorization": f"Bearer {customer}"},
                    {"Authorization": f"Bearer {business}"}):
        resp = client.post("/internal/customer_tokens", json={"phone_number": PHONE},
                           headers=headers)
        assert resp.status_code == 401


@pytest.mark.parametrize("body", [{"phone_number": "12345"}, {}, {"phone_number": PHONE, "x": 1}])
def test_invalid_requests_are_422(client: TestClient, app: FastAPI, body):
    resp = client.post("/internal/customer_tokens", json=body,
                       headers=_service_headers(app, "chatbot"))

    assert resp.status_code == 422

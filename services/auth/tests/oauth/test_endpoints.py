"""``POST /auth/token`` (client credentials) and the JWKS."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from mubayiro.common.tokens import TokenVerifier


def _form(client_id: str = "loyalty", secret: str = "dev-secret-loyalty", **extra: str):
    return {"grant_type": "client_credentials", "client_id": client_id,
            "client_secret": secret, **extra}


def _basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def _verifier(client: TestClient) -> TokenVerifier:
    return TokenVerifier(issuer="mubayiro-auth",
                         jwks=client.get("/auth/.well-known/jwks.json").json())


def test_client_credentials_give_a_service_token(client: TestClient):
    resp = client.post("/auth/token", data=_form())
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert resp.headers["cache-control"] == "no-store"
    principal = _verifier(client).verify(body["access_token"], audience="mubayiro-internal")
    assert principal.role == "service"
    assert principal.client_id == "loyalty"
    assert principal.subject == "service:loyalty"


def test_devtools_client_gets_a_service_token_outside_production(client: TestClient):
    # Local tools (make demo) call /internal/* with it; production has no default clients.
    resp = client.post("/auth/token", data=_form("devtools", "dev-secret-devtools"))
    assert resp.status_code == 200, resp.text
    principal = _verifier(client).verify(resp.json()["access_token"],
                                         audience="mubayiro-internal")
    assert (principal.role, principal.client_id) == ("service", "devtools")


def test_client_credentials_by_http_basic(client: TestClient):
    resp = client.post("/auth/token", data={"grant_type": "client_credentials"},
                       headers=_basic("reports", "dev-secret-reports"))
    assert resp.status_code == 200, resp.text
    principal = _verifier(client).verify(resp.json()["access_token"],
                                         audience="mubayiro-internal")
    assert principal.client_id == "reports"


def test_basic_credentials_are_form_urlencoded(make_settings, loyalty):
    from mubayiro.auth.main import create_app

    secret = "p@ss:word with spaces+more"
    app = create_app(make_settings(service_clients={"mcp": secret}),
                     outbox_transport=loyalty.transport)
    from urllib.parse import quote_plus

    with TestClient(app) as client:
        resp = client.post("/auth/token", data={"grant_type": "client_credentials"},
                           headers=_basic("mcp", quote_plus(secret)))
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        (_form(secret="wrong"), {}),
        (_form(secret="dev-secret-loyalty "), {}),
        (_form(secret="dév-sécret"), {}),
        (_form(client_id="stranger", secret="dev-secret-stranger"), {}),
        (_form(client_id="", secret="x"), {}),
        ({"grant_type": "client_credentials", "client_id": "loyalty"}, {}),
        ({"grant_type": "client_credentials"}, {}),
        ({"grant_type": "client_credentials"}, _basic("loyalty", "wrong")),
        ({"grant_type": "client_credentials"}, {"Authorization": "Basic !!!"}),
        ({"grant_type": "client_credentials"},
         {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}),
    ],
)
def test_bad_client_credentials_are_401_invalid_client(client: TestClient, data, headers):
    resp = client.post("/auth/token", data=data, headers=headers)
    assert resp.status_code == 401, resp.text
    assert resp.json()["error"] == "InvalidClient"
    assert resp.json()["detail"].startswith("invalid_client")
    assert resp.headers["www-authenticate"].startswith("Basic")


def test_unknown_client_and_bad_secret_answer_alike(client: TestClient):
    unknown = client.post("/auth/token", data=_form(client_id="nobody"))
    wrong = client.post("/auth/token", data=_form(secret="wrong"))
    assert unknown.json() == wrong.json()


@pytest.mark.parametrize("grant_type", ["password", "authorization_code", ""])
def test_other_grant_types_are_400(client: TestClient, grant_type):
    resp = client.post("/auth/token", data=_form(grant_type=grant_type))
    assert resp.status_code == 400
    if grant_type:
        assert resp.json()["detail"].startswith("unsupported_grant_type")


@pytest.mark.parametrize(
    ("kwargs", "detail"),
    [
        ({"data": {"client_id": "loyalty", "client_secret": "dev-secret-loyalty"}},
         "invalid_request"),
        ({"json": _form()}, "invalid_request"),
        ({"data": _form(), "headers": _basic("loyalty", "dev-secret-loyalty")},
         "invalid_request"),
        ({"data": _form(client_id="x" * 600)}, "invalid_request"),
    ],
)
def test_malformed_token_requests_are_400(client: TestClient, kwargs, detail):
    resp = client.post("/auth/token", **kwargs)
    assert resp.status_code == 400, resp.text
    assert resp.json()["detail"].startswith(detail)


def test_configured_clients_replace_the_development_ones(make_settings, loyalty):
    from mubayiro.auth.main import create_app

    app = create_app(make_settings(service_clients={"loyalty": "a-real-long-secret-1"}),
                     outbox_transport=loyalty.transport)
    with TestClient(app) as client:
        assert client.post("/auth/token", data=_form()).status_code == 401
        ok = client.post("/auth/token", data=_form(secret="a-real-long-secret-1"))
        assert ok.status_code == 200
        reports = client.post("/auth/token",
                              data=_form(client_id="reports", secret="dev-secret-reports"))
        assert reports.status_code == 401


def test_a_service_token_cannot_call_auth_me(client: TestClient, register):
    register()
    token = client.post("/auth/token", data=_form()).json()["access_token"]
    resp = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json()["detail"] == "Token audience not accepted"


def test_a_business_token_cannot_call_internal_routes(client: TestClient, register, login):
    business = register()
    resp = client.get(f"/internal/businesses/{business['id']}",
                      headers={"Authorization": f"Bearer {login()}"})
    assert resp.status_code == 401


# --- JWKS ---------------------------------------------------------------------------------


def test_jwks_publishes_the_public_key_and_is_cacheable(client: TestClient, app):
    resp = client.get("/auth/.well-known/jwks.json")
    assert resp.status_code == 200
    assert resp.headers["cache-control"] == "public, max-age=300"
    keys = resp.json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kid"] == app.state.key_set.kid
    assert {key["kty"], key["alg"], key["use"]} == {"RSA", "RS256", "sig"}
    assert set(key) == {"kty", "kid", "use", "alg", "n", "e"}  # nothing private


def test_jwks_needs_no_token(client: TestClient):
    assert client.get("/auth/.well-known/jwks.json",
                      headers={"Authorization": "Bearer junk"}).status_code == 200

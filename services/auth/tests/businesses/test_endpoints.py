"""Businesses routes: sign-up, login (JSON and form), /auth/me, the internal lookup."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.auth.models import Business, Staff, outbox
from mubayiro.auth.tokens import TokenIssuer
from mubayiro.common.tokens import TokenVerifier

PASSWORD = "correct horse 42"
VALID = {
    "name": "Mbare Groceries",
    "contact_person": "Tendai Moyo",
    "email": "owner@example.com",
    "password": PASSWORD,
}


def _outbox_rows(app: Any) -> list[Any]:
    with app.state.database.session(write=False) as s:
        return list(s.execute(select(outbox).order_by(outbox.c.id)))


def _verifier_from_jwks(client: TestClient) -> TokenVerifier:
    jwks = client.get("/auth/.well-known/jwks.json").json()
    return TokenVerifier(issuer="mubayiro-auth", jwks=jwks)


# --- registration -------------------------------------------------------------------------


def test_register_returns_the_business_without_its_password(client: TestClient, counts):
    body = {**VALID, "name": "  Mbare Groceries  ", "email": "Owner@Example.COM"}
    resp = client.post("/auth/register_business", json=body)
    assert resp.status_code == 201
    data = resp.json()
    assert set(data) == {"id", "name", "contact_person", "email", "status", "created_at"}
    assert data["status"] == "active"  # tests approve new businesses automatically
    assert data["name"] == "Mbare Groceries"
    assert data["email"] == "owner@example.com"
    assert data["created_at"].endswith("Z")
    assert counts() == (1, 1)


def test_register_stores_a_hash_not_the_password(client: TestClient, app):
    client.post("/auth/register_business", json=VALID)
    with app.state.database.session(write=False) as s:
        business = s.scalars(select(Business)).one()
        owner = s.scalars(select(Staff)).one()
    # The password is the first owner's: the registering person signs in as a member.
    assert (owner.business_id, owner.role, owner.email) == (business.id, "owner", VALID["email"])
    assert owner.name == VALID["contact_person"]
    assert owner.password_hash.startswith("$argon2id$")
    assert PASSWORD not in owner.password_hash


def test_register_echoes_the_loyalty_rate_when_given(client: TestClient):
    resp = client.post("/auth/register_business", json={**VALID, "loyalty_rate": "1e1"})
    assert resp.status_code == 201
    assert resp.json()["loyalty_rate"] == "10"


def test_register_writes_business_registered_to_the_outbox(client: TestClient, app):
    resp = client.post("/auth/register_business", json={**VALID, "loyalty_rate": 0.125})
    business_id = resp.json()["id"]
    rows = _outbox_rows(app)
    assert len(rows) == 1
    row = rows[0]
    assert row.event_type == "business.registered"
    assert row.destination == "loyalty"
    envelope = json.loads(row.envelope)
    assert envelope["type"] == "business.registered"
    assert envelope["source"] == "auth"
    assert envelope["data"] == {
        "business_id": business_id,
        "name": "Mbare Groceries",
        "contact_person": "Tendai Moyo",
        "email": "owner@example.com",
        "status": "active",
        "loyalty_rate": "0.125",
    }


def test_register_without_rate_sends_null_rate(client: TestClient, app):
    client.post("/auth/register_business", json=VALID)
    envelope = json.loads(_outbox_rows(app)[0].envelope)
    assert envelope["data"]["loyalty_rate"] is None


@pytest.mark.parametrize("email", ["owner@example.com", "OWNER@example.com", " Owner@EXAMPLE.com "])
def test_register_refuses_a_taken_email_in_any_case(client: TestClient, counts, email):
    assert client.post("/auth/register_business", json=VALID).status_code == 201
    resp = client.post("/auth/register_business", json={**VALID, "email": email})
    assert resp.status_code == 409
    assert resp.json()["error"] == "EmailAlreadyRegistered"
    assert counts() == (1, 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": 42}, "name"),
        ({"name": "Acme\nInc"}, "name"),
        ({"contact_person": None}, "contact_person"),
        ({"contact_person": "\t"}, "contact_person"),
        ({"contact_person": "y" * 121}, "contact_person"),
        ({"contact_person": ["Tendai"]}, "contact_person"),
        ({"email": None}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "owner@localhost"}, "email"),
        ({"email": "Owner <owner@example.com>"}, "email"),
        ({"email": "a" * 250 + "@example.com"}, "email"),
        ({"email": 7}, "email"),
        ({"password": None}, "password"),
        ({"password": "short1"}, "password"),
        ({"password": "a1" * 64 + "x"}, "password"),
        ({"password": "onlyletters"}, "password"),
        ({"password": "1234567890"}, "password"),
        ({"password": 12345678}, "password"),
        ({"loyalty_rate": -1}, "loyalty_rate"),
        ({"loyalty_rate": "-0.0001"}, "loyalty_rate"),
        ({"loyalty_rate": 1000.0001}, "loyalty_rate"),
        ({"loyalty_rate": "0.12345"}, "loyalty_rate"),
        ({"loyalty_rate": "lots"}, "loyalty_rate"),
        ({"loyalty_rate": True}, "loyalty_rate"),
        ({"loyalty_rate": "NaN"}, "loyalty_rate"),
        ({"loyalty_rate": "Infinity"}, "loyalty_rate"),
        ({"is_admin": True}, "is_admin"),
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(client: TestClient, counts, change, field):
    body = {**VALID, **change}
    body = {k: v for k, v in body.items() if v is not None}
    resp = client.post("/auth/register_business", json=body)
    assert resp.status_code == 422, resp.text
    data = resp.json()
    assert data["error"] == "ValidationError"
    assert field in [e["field"] for e in data["errors"]]
    assert counts() == (0, 0)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b"[]", "application/json"),
        (b"name=x", "application/x-www-form-urlencoded"),
    ],
)
def test_register_refuses_a_malformed_body(client: TestClient, counts, content, content_type):
    resp = client.post(
        "/auth/register_business", content=content, headers={"Content-Type": content_type}
    )
    assert resp.status_code == 422
    assert counts() == (0, 0)


def test_register_refuses_an_oversized_body(client: TestClient, counts):
    resp = client.post("/auth/register_business", json={**VALID, "name": "x" * 100_000})
    assert resp.status_code == 413
    assert resp.json()["error"] == "PayloadTooLarge"
    assert counts() == (0, 0)


def test_register_accepts_boundary_values(client: TestClient):
    body = {**VALID, "name": "x" * 120, "contact_person": "Z", "password": "a1" * 64,
            "loyalty_rate": "1000"}
    resp = client.post("/auth/register_business", json=body)
    assert resp.status_code == 201, resp.text
    assert resp.json()["loyalty_rate"] == "1000"


# --- login --------------------------------------------------------------------------------


def test_login_with_json_returns_a_business_token(client: TestClient, register):
    business = register()
    resp = client.post("/auth/login_business", json={"email": VALID["email"],
                                                     "password": PASSWORD})
    assert resp.status_code == 200
    body = resp.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert resp.headers["cache-control"] == "no-store"
    principal = _verifier_from_jwks(client).verify(body["access_token"], audience="mubayiro")
    assert principal.role == "business"
    assert principal.business_id == business["id"]
    assert principal.subject == f"business:{business['id']}"
    # The registering person is the business's owner.
    assert principal.staff_role == "owner" and principal.staff_id is not None


@pytest.mark.parametrize("extra", [{}, {"grant_type": "password", "scope": ""}])
def test_login_with_the_oauth2_form_returns_a_token(client: TestClient, register, extra):
    business = register()
    resp = client.post(
        "/auth/login_business",
        data={"username": "OWNER@example.com", "password": PASSWORD, **extra},
    )
    assert resp.status_code == 200, resp.text
    principal = _verifier_from_jwks(client).verify(resp.json()["access_token"],
                                                   audience="mubayiro")
    assert principal.business_id == business["id"]


def test_login_ignores_the_case_of_the_email(client: TestClient, register, login):
    register()
    assert login("Owner@EXAMPLE.com")


def test_wrong_password_and_unknown_email_get_the_same_401(client: TestClient, register):
    register()
    wrong = client.post("/auth/login_business",
                        json={"email": VALID["email"], "password": "wrong password 1"})
    unknown = client.post("/auth/login_business",
                          json={"email": "nobody@example.com", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {
        "detail": "Incorrect email or password", "error": "InvalidCredentials"}
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_wrong_password_by_form_is_401(client: TestClient, register):
    register()
    resp = client.post("/auth/login_business",
                       data={"username": VALID["email"], "password": "nope nope 1"})
    assert resp.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "email"),
        ({"email": "owner@example.com"}, "password"),
        ({"email": "owner", "password": PASSWORD}, "email"),
        ({"email": 5, "password": PASSWORD}, "email"),
        ({"email": "owner@example.com", "password": ""}, "password"),
        ({"email": "owner@example.com", "password": "p1" * 65}, "password"),
        ({"email": "owner@example.com", "password": 12345678}, "password"),
        ({"email": "owner@example.com", "password": PASSWORD, "remember": True}, "remember"),
    ],
)
def test_login_refuses_bad_json(client: TestClient, register, counts, body, field):
    register()
    resp = client.post("/auth/login_business", json=body)
    assert resp.status_code == 422, resp.text
    assert field in [e["field"] for e in resp.json()["errors"]]
    assert counts() == (1, 1)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "owner@example.com"}, "password"),
        ({"username": "not an email", "password": PASSWORD}, "username"),
        ({"username": "owner@example.com", "password": ""}, "password"),
    ],
)
def test_login_refuses_bad_forms(client: TestClient, register, counts, form, field):
    register()
    resp = client.post("/auth/login_business", data=form)
    assert resp.status_code == 422, resp.text
    assert field in [e["field"] for e in resp.json()["errors"]]
    assert counts() == (1, 1)


@pytest.mark.parametrize("content", [b"", b"{", b"[1]", b'"owner@example.com"'])
def test_login_refuses_a_malformed_json_body(client: TestClient, content):
    resp = client.post("/auth/login_business", content=content,
                       headers={"Content-Type": "application/json"})
    assert resp.status_code == 422
    assert resp.json()["error"] == "ValidationError"


def test_login_form_with_another_grant_type_is_400(client: TestClient, register):
    register()
    resp = client.post("/auth/login_business", data={
        "grant_type": "client_credentials", "username": VALID["email"], "password": PASSWORD})
    assert resp.status_code == 400
    assert resp.json()["error"] == "UnsupportedGrantType"


def test_login_in_another_media_type_is_415(client: TestClient):
    resp = client.post("/auth/login_business", content=b"owner@example.com",
                       headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415
    assert resp.json()["error"] == "UnsupportedMediaType"


# --- /auth/me -----------------------------------------------------------------------------


def test_me_returns_the_signed_in_business(client: TestClient, register, login, auth_header):
    business = register()
    resp = client.get("/auth/me", headers=auth_header(login()))
    assert resp.status_code == 200
    assert resp.json() == {k: business[k] for k in
                           ("id", "name", "contact_person", "email", "status", "created_at")}


def test_patch_me_changes_name_and_emits_business_updated(
    client: TestClient, app, register, login, auth_header
):
    business = register(loyalty_rate="2")
    resp = client.patch("/auth/me", headers=auth_header(login()),
                        json={"name": " Mbare Fresh ", "contact_person": "Rudo"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["name"] == "Mbare Fresh"
    assert resp.json()["contact_person"] == "Rudo"
    assert client.get("/auth/me", headers=auth_header(login())).json()["name"] == "Mbare Fresh"
    rows = _outbox_rows(app)
    assert [r.event_type for r in rows] == ["business.registered", "business.updated"]
    assert json.loads(rows[1].envelope)["data"] == {
        "business_id": business["id"], "name": "Mbare Fresh", "contact_person": "Rudo",
        "email": "owner@example.com", "status": "active", "loyalty_rate": None,
    }


def test_patch_me_without_a_change_emits_nothing(client: TestClient, register, login,
                                                  auth_header, counts):
    register()
    resp = client.patch("/auth/me", headers=auth_header(login()),
                        json={"name": "Mbare Groceries"})
    assert resp.status_code == 200
    assert counts() == (1, 1)


@pytest.mark.parametrize(
    "body",
    [{}, {"name": None}, {"name": ""}, {"name": " "}, {"contact_person": "x" * 121},
     {"email": "new@example.com"}, {"password": "new password 1"}, {"id": 9}],
)
def test_patch_me_refuses_bad_input_and_changes_nothing(
    client: TestClient, register, login, auth_header, counts, body
):
    business = register()
    token = login()
    resp = client.patch("/auth/me", headers=auth_header(token), json=body)
    assert resp.status_code == 422, resp.text
    assert counts() == (1, 1)
    me = client.get("/auth/me", headers=auth_header(token)).json()
    assert me["name"] == business["name"] and me["email"] == business["email"]


def test_patch_me_changes_only_the_callers_business(
    client: TestClient, register, login, auth_header
):
    register("a@example.com")
    b = register("b@example.com")
    client.patch("/auth/me", headers=auth_header(login("a@example.com")), json={"name": "A"})
    assert client.get("/auth/me", headers=auth_header(login("b@example.com"))).json() == {
        k: b[k] for k in ("id", "name", "contact_person", "email", "status", "created_at")}


# --- tokens the businesses routes refuse ------------------------------------------------


def _alg_none(b64, kid: str, business_id: int) -> str:
    header = b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    now = int(time.time())
    payload = b64(json.dumps({"iss": "mubayiro-auth", "aud": "mubayiro", "iat": now,
                              "exp": now + 600, "sub": f"business:{business_id}",
                              "role": "business", "business_id": business_id}).encode())
    return f"{header}.{payload}."


def _hs256_with_public_key(b64, app, business_id: int) -> str:
    # The RS/HS confusion attack: the public key (which anyone can fetch) as an HMAC secret.
    from cryptography.hazmat.primitives import serialization

    public_pem = app.state.key_set.signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT",
                             "kid": app.state.key_set.kid}).encode())
    now = int(time.time())
    payload = b64(json.dumps({"iss": "mubayiro-auth", "aud": "mubayiro", "iat": now,
                              "exp": now + 600, "sub": f"business:{business_id}",
                              "role": "business", "business_id": business_id}).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


@pytest.mark.parametrize("method", ["GET", "PATCH"])
@pytest.mark.parametrize(
    "kind",
    ["missing", "garbage", "forged", "expired", "wrong_audience", "wrong_issuer", "alg_none",
     "hs256", "service_token", "unknown_business", "no_kid"],
)
def test_me_refuses_bad_tokens_with_401(
    client: TestClient, app, make_settings, register, sign, b64, counts, stranger_keys, method,
    kind,
):
    business_id = register()["id"]
    claims = {"sub": f"business:{business_id}", "role": "business", "business_id": business_id}
    tokens = {
        "missing": None,
        "garbage": "not.a.token",
        "forged": stranger_keys.business_token(business_id),
        "expired": TokenIssuer(app.state.key_set, make_settings(),
                               clock=lambda: time.time() - 7200).business_token(business_id)
        .access_token,
        "wrong_audience": sign(claims, audience="someone-else"),
        "wrong_issuer": jwt_with_issuer(app, claims, "evil-auth"),
        "alg_none": _alg_none(b64, app.state.key_set.kid, business_id),
        "hs256": _hs256_with_public_key(b64, app, business_id),
        "service_token": app.state.token_issuer.service_token("loyalty").access_token,
        "unknown_business": app.state.token_issuer.business_token(999).access_token,
        "no_kid": jwt_without_kid(app, claims),
    }
    token = tokens[kind]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    resp = client.request(method, "/auth/me", headers=headers, json={"name": "Hacked"})
    assert resp.status_code == 401, resp.text
    assert resp.json()["error"] in {"InvalidToken", "Unauthorized", "UnknownBusiness"}
    assert counts() == (1, 1)


def jwt_with_issuer(app: Any, claims: dict[str, Any], issuer: str) -> str:
    """A token signed by auth's key but naming another issuer."""
    import jwt

    now = int(time.time())
    return jwt.encode({"iss": issuer, "aud": "mubayiro", "iat": now, "exp": now + 600, **claims},
                      app.state.key_set.signing_key, algorithm="RS256",
                      headers={"kid": app.state.key_set.kid})


def jwt_without_kid(app: Any, claims: dict[str, Any]) -> str:
    """A token signed by auth's key with no ``kid`` header."""
    import jwt

    now = int(time.time())
    return jwt.encode({"iss": "mubayiro-auth", "aud": "mubayiro", "iat": now, "exp": now + 600,
                       **claims}, app.state.key_set.signing_key, algorithm="RS256")


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_me_refuses_customer_tokens_with_403(client: TestClient, app, register, method):
    register()
    token = app.state.token_issuer.customer_token("+263771234567").access_token
    resp = client.request(method, "/auth/me", headers={"Authorization": f"Bearer {token}"},
                          json={"name": "Hacked"})
    assert resp.status_code == 403


def test_me_refuses_a_service_role_on_the_api_audience_with_403(client: TestClient, register,
                                                                 sign):
    register()
    token = sign({"sub": "service:loyalty", "role": "service", "client_id": "loyalty"})
    resp = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 403


# --- internal lookup ----------------------------------------------------------------------


def _service_token(client: TestClient) -> str:
    resp = client.post("/auth/token", data={"grant_type": "client_credentials",
                                            "client_id": "loyalty",
                                            "client_secret": "dev-secret-loyalty"})
    return resp.json()["access_token"]


def test_internal_business_lookup_with_a_service_token(client: TestClient, register):
    business = register()
    resp = client.get(f"/internal/businesses/{business['id']}",
                      headers={"Authorization": f"Bearer {_service_token(client)}"})
    assert resp.status_code == 200
    assert resp.json() == {**{k: business[k] for k in ("id", "name", "contact_person", "email",
                                                        "status")},
                           "loyalty_rate": None}


def test_internal_business_lookup_tells_the_rate_given_at_registration(
    client: TestClient, register
):
    """What ``business.registered`` carries, for a service that asks before it arrives."""
    business = register(loyalty_rate="2.5")
    resp = client.get(f"/internal/businesses/{business['id']}",
                      headers={"Authorization": f"Bearer {_service_token(client)}"})
    assert resp.status_code == 200
    assert Decimal(resp.json()["loyalty_rate"]) == Decimal("2.5")
    assert resp.json()["name"] == business["name"]


@pytest.mark.parametrize(("business_id", "status"),
                         [("999", 404), ("0", 422), ("-1", 422), ("abc", 422),
                          (str(2**70), 422)])
def test_internal_business_lookup_refuses_unknown_or_bad_ids(client: TestClient, register,
                                                             business_id, status):
    register()
    resp = client.get(f"/internal/businesses/{business_id}",
                      headers={"Authorization": f"Bearer {_service_token(client)}"})
    assert resp.status_code == status


@pytest.mark.parametrize("kind", ["missing", "business", "customer", "forged_service"])
def test_internal_business_lookup_refuses_non_service_callers(client: TestClient, app, register,
                                                              login, stranger_keys, kind):
    business = register()
    tokens = {
        "missing": None,
        "business": login(),
        "customer": app.state.token_issuer.customer_token("+263771234567").access_token,
        "forged_service": stranger_keys.service_token("loyalty"),
    }
    headers = {"Authorization": f"Bearer {tokens[kind]}"} if tokens[kind] else {}
    resp = client.get(f"/internal/businesses/{business['id']}", headers=headers)
    # The API audience is never accepted on /internal, whatever the role.
    assert resp.status_code == 401


def test_unknown_business_ids_are_not_revealed_without_a_service_token(client: TestClient):
    resp = client.get("/internal/businesses/999")
    assert resp.status_code == 401


async def test_internal_lookup_works_over_asgi_transport(app):
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://auth") as c:
            token = app.state.token_issuer.service_token("mcp").access_token
            resp = await c.get("/internal/businesses/1",
                               headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 404
    assert resp.json()["error"] == "BusinessNotFound"


# --- names: unique, no hidden characters ------------------------------------------------


@pytest.mark.parametrize("name", ["MBARE groceries", "  Mbare   Groceries ", "mbare GROCERIES"])
def test_a_business_name_is_unique_whatever_its_case_and_spacing(
    client: TestClient, counts, name: str,
):
    assert client.post("/auth/register_business", json=VALID).status_code == 201
    resp = client.post("/auth/register_business",
                       json={**VALID, "name": name, "email": "copycat@example.com"})
    assert resp.status_code == 409, resp.text
    assert resp.json()["error"] == "BusinessNameTaken"
    assert counts() == (1, 1)


def test_renaming_to_another_business_name_is_refused(client: TestClient, register, login):
    register()
    other = register("other@example.com")
    token = login("other@example.com")
    resp = client.patch("/auth/me", json={"name": "mbare groceries"},
                        headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 409, resp.text
    assert other["name"] == "Shop other@example.com"
    # Its own name in another case is fine.
    resp = client.patch("/auth/me", json={"name": "SHOP other@example.com"},
                        headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize("name", ["Mbare\u202eseirecorG", "Mbare\x00", "MUBAYIRO\u200bSECURITY"])
def test_hidden_characters_in_a_business_name_are_refused(client: TestClient, counts, name):
    resp = client.post("/auth/register_business", json={**VALID, "name": name})
    assert resp.status_code == 422, resp.text
    assert counts() == (0, 0)

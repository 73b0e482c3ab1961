"""Staff routes: owners add, list and remove members; cashiers sign in with their own
password and cannot manage staff or change the business."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.auth.models import RefreshToken, Staff
from mubayiro.common.tokens import TokenVerifier

PASSWORD = "correct horse 42"
CASHIER = {"name": "Rudo Chikore", "email": "rudo@example.com", "password": "till pass 7",
           "role": "cashier"}


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _verify(client: TestClient, token: str) -> Any:
    jwks = client.get("/auth/.well-known/jwks.json").json()
    return TokenVerifier(issuer="mubayiro-auth", jwks=jwks).verify(token, audience="mubayiro")


@pytest.fixture
def owner(register, login) -> dict[str, Any]:
    """A registered business and its owner's access token."""
    business = register()
    return {"business": business, "token": login()}


def _add(client: TestClient, token: str, **overrides: Any) -> Any:
    return client.post("/auth/staff", headers=_headers(token), json={**CASHIER, **overrides})


def test_owner_adds_a_cashier_who_signs_in_with_their_own_password(client: TestClient, owner):
    resp = _add(client, owner["token"])
    assert resp.status_code == 201, resp.text
    member = resp.json()
    assert set(member) == {"id", "business_id", "name", "email", "role", "created_at"}
    assert (member["business_id"], member["role"], member["email"]) == (
        owner["business"]["id"], "cashier", "rudo@example.com")

    login = client.post("/auth/login_business",
                        json={"email": "RUDO@example.com", "password": "till pass 7"})
    assert login.status_code == 200, login.text
    principal = _verify(client, login.json()["access_token"])
    assert principal.role == "business"
    assert principal.business_id == owner["business"]["id"]
    assert (principal.staff_id, principal.staff_role) == (member["id"], "cashier")
    assert not principal.is_owner
    assert principal.claims["staff_role"] == "cashier"
    assert principal.claims["staff_id"] == member["id"]


def test_staff_list_shows_every_member_oldest_first(client: TestClient, owner):
    _add(client, owner["token"])
    _add(client, owner["token"], email="second@example.com", name="Second", role="owner")
    resp = client.get("/auth/staff", headers=_headers(owner["token"]))
    assert resp.status_code == 200
    assert [(m["email"], m["role"]) for m in resp.json()] == [
        ("owner@example.com", "owner"), ("rudo@example.com", "cashier"),
        ("second@example.com", "owner")]
    assert all("password" not in key for m in resp.json() for key in m)


def test_staff_me_tells_who_is_signed_in(client: TestClient, owner, login):
    _add(client, owner["token"])
    me = client.get("/auth/staff/me", headers=_headers(login("rudo@example.com", "till pass 7")))
    assert me.status_code == 200
    assert (me.json()["name"], me.json()["role"]) == ("Rudo Chikore", "cashier")


def test_a_cashier_cannot_manage_staff_or_change_the_business(client: TestClient, owner, login,
                                                              app):
    member_id = _add(client, owner["token"]).json()["id"]
    cashier = login("rudo@example.com", "till pass 7")
    attempts = [
        ("POST", "/auth/staff", {**CASHIER, "email": "evil@example.com", "role": "owner"}),
        ("GET", "/auth/staff", None),
        ("DELETE", f"/auth/staff/{member_id}", None),
        ("DELETE", "/auth/staff/1", None),
        ("PATCH", "/auth/me", {"name": "Hacked"}),
    ]
    for method, path, body in attempts:
        resp = client.request(method, path, headers=_headers(cashier), json=body)
        assert (resp.status_code, resp.json()["error"]) == (403, "OwnerOnly"), (method, path)
    with app.state.database.session(write=False) as s:
        assert [m.email for m in s.scalars(select(Staff)).all()] == [
            "owner@example.com", "rudo@example.com"]
        assert all(m.removed_at is None for m in s.scalars(select(Staff)))
    # A cashier still reads the business and who they are.
    assert client.get("/auth/me", headers=_headers(cashier)).json()["name"] == "Mbare Groceries"


def test_an_email_signs_in_one_member_only(client: TestClient, owner, register):
    assert _add(client, owner["token"]).status_code == 201
    again = _add(client, owner["token"], email="Rudo@Example.com")
    assert (again.status_code, again.json()["error"]) == (409, "EmailAlreadyRegistered")
    taken = _add(client, owner["token"], email="owner@example.com")
    assert taken.status_code == 409
    # Nor can someone register a business with a member's email.
    resp = client.post("/auth/register_business", json={
        "name": "Other", "contact_person": "X", "email": "rudo@example.com",
        "password": PASSWORD})
    assert (resp.status_code, resp.json()["error"]) == (409, "EmailAlreadyRegistered")


@pytest.mark.parametrize(
    "body",
    [{**CASHIER, "role": "manager"}, {**CASHIER, "role": None}, {**CASHIER, "password": "short1"},
     {**CASHIER, "password": "no digits here"}, {**CASHIER, "email": "not-an-email"},
     {**CASHIER, "name": ""}, {**CASHIER, "business_id": 2},
     {k: v for k, v in CASHIER.items() if k != "role"}],
)
def test_adding_a_member_validates_the_body(client: TestClient, owner, body):
    resp = client.post("/auth/staff", headers=_headers(owner["token"]), json=body)
    assert resp.status_code == 422, resp.text
    assert len(client.get("/auth/staff", headers=_headers(owner["token"])).json()) == 1


def test_removing_a_member_stops_their_sign_in_and_ends_their_sessions(client: TestClient, owner,
                                                                       app):
    member_id = _add(client, owner["token"]).json()["id"]
    session = client.post("/auth/login_business",
                          json={"email": "rudo@example.com", "password": "till pass 7"}).json()
    resp = client.delete(f"/auth/staff/{member_id}", headers=_headers(owner["token"]))
    assert resp.status_code == 204 and resp.content == b""

    login = client.post("/auth/login_business",
                        json={"email": "rudo@example.com", "password": "till pass 7"})
    assert (login.status_code, login.json()["error"]) == (401, "InvalidCredentials")
    refresh = client.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert (refresh.status_code, refresh.json()["error"]) == (401, "InvalidRefreshToken")
    # Their still-valid access token no longer works at auth's staff routes.
    me = client.get("/auth/staff/me", headers=_headers(session["access_token"]))
    assert (me.status_code, me.json()["error"]) == (401, "UnknownStaff")
    assert [m["email"] for m in client.get(
        "/auth/staff", headers=_headers(owner["token"])).json()] == ["owner@example.com"]
    with app.state.database.session(write=False) as s:
        removed = s.get(Staff, member_id)
        assert removed is not None and removed.removed_at is not None  # kept for audit trails
        assert all(t.revoked_at is not None for t in s.scalars(
            select(RefreshToken).where(RefreshToken.staff_id == member_id)))


def test_a_removed_members_email_can_be_given_to_someone_new(client: TestClient, owner, login):
    member_id = _add(client, owner["token"]).json()["id"]
    client.delete(f"/auth/staff/{member_id}", headers=_headers(owner["token"]))
    again = _add(client, owner["token"], password="new till 8")
    assert again.status_code == 201 and again.json()["id"] != member_id
    assert login("rudo@example.com", "new till 8")


def test_an_owner_cannot_remove_themselves_or_the_last_owner(client: TestClient, owner, login,
                                                             app):
    own_id = client.get("/auth/staff/me", headers=_headers(owner["token"])).json()["id"]
    resp = client.delete(f"/auth/staff/{own_id}", headers=_headers(owner["token"]))
    assert (resp.status_code, resp.json()["error"]) == (409, "CannotRemoveYourself")

    second_id = _add(client, owner["token"], email="second@example.com", role="owner").json()["id"]
    second = login("second@example.com", "till pass 7")
    # Two owners: one may remove the other …
    assert client.delete(f"/auth/staff/{own_id}", headers=_headers(second)).status_code == 204
    # … and the removed owner's token can no longer act, so the last owner stays.
    resp = client.delete(f"/auth/staff/{second_id}", headers=_headers(owner["token"]))
    assert (resp.status_code, resp.json()["error"]) == (401, "UnknownStaff")
    resp = client.delete(f"/auth/staff/{second_id}", headers=_headers(second))
    assert (resp.status_code, resp.json()["error"]) == (409, "CannotRemoveYourself")


def test_the_last_owner_rule_holds_for_a_token_from_before_staff_accounts(client: TestClient,
                                                                         owner, app):
    """A legacy owner token names no member: auth's staff routes ask it to sign in again."""
    legacy = app.state.token_issuer.business_token(owner["business"]["id"]).access_token
    resp = client.get("/auth/staff", headers=_headers(legacy))
    assert (resp.status_code, resp.json()["error"]) == (401, "UnknownStaff")


def test_an_owner_cannot_touch_another_business_staff(client: TestClient, owner, register,
                                                      login):
    register("other@example.com")
    other = login("other@example.com")
    other_member = _add(client, other, email="theirs@example.com").json()["id"]
    resp = client.delete(f"/auth/staff/{other_member}", headers=_headers(owner["token"]))
    assert (resp.status_code, resp.json()["error"]) == (404, "StaffNotFound")
    assert [m["email"] for m in client.get("/auth/staff", headers=_headers(other)).json()] == [
        "other@example.com", "theirs@example.com"]
    assert client.delete("/auth/staff/999999", headers=_headers(owner["token"])).status_code == 404
    assert client.delete("/auth/staff/0", headers=_headers(owner["token"])).status_code == 422


def test_staff_routes_need_a_business_token(client: TestClient, owner, app):
    customer = app.state.token_issuer.customer_token("+263771234567").access_token
    for method, path in (("GET", "/auth/staff"), ("POST", "/auth/staff"),
                         ("DELETE", "/auth/staff/1"), ("GET", "/auth/staff/me")):
        assert client.request(method, path, json=CASHIER).status_code == 401
        assert client.request(method, path, headers=_headers(customer),
                              json=CASHIER).status_code == 403


def test_internal_staff_list_names_removed_members_too(client: TestClient, owner):
    member_id = _add(client, owner["token"]).json()["id"]
    client.delete(f"/auth/staff/{member_id}", headers=_headers(owner["token"]))
    token = client.post("/auth/token", data={
        "grant_type": "client_credentials", "client_id": "loyalty",
        "client_secret": "dev-secret-loyalty"}).json()["access_token"]
    resp = client.get(f"/internal/businesses/{owner['business']['id']}/staff",
                      headers=_headers(token))
    assert resp.status_code == 200
    rows = resp.json()
    assert [(m["email"], m["role"], m["removed_at"] is None) for m in rows] == [
        ("owner@example.com", "owner", True), ("rudo@example.com", "cashier", False)]
    assert client.get(f"/internal/businesses/{owner['business']['id']}/staff",
                      headers=_headers(owner["token"])).status_code == 401
    assert client.get("/internal/businesses/999/staff",
                      headers=_headers(token)).status_code == 404

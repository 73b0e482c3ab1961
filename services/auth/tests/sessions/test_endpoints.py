"""Sessions for a shift: login gives a refresh token; refresh rotates it; a reused one
ends the whole session; logout ends it; sessions end after a shift."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.auth.models import RefreshToken
from mubayiro.auth.secret_tokens import token_hash
from mubayiro.common.tokens import TokenVerifier

PASSWORD = "correct horse 42"


def _login(client: TestClient, email: str = "owner@example.com",
           password: str = PASSWORD) -> dict[str, Any]:
    resp = client.post("/auth/login_business", json={"email": email, "password": password})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _refresh(client: TestClient, token: str) -> Any:
    return client.post("/auth/refresh", json={"refresh_token": token})


def _verify(client: TestClient, token: str) -> Any:
    jwks = client.get("/auth/.well-known/jwks.json").json()
    return TokenVerifier(issuer="mubayiro-auth", jwks=jwks).verify(token, audience="mubayiro")


def test_login_answers_an_access_token_and_a_refresh_token_for_a_shift(client: TestClient,
                                                                       register, app):
    business = register()
    resp = client.post("/auth/login_business",
                       json={"email": "owner@example.com", "password": PASSWORD})
    assert resp.headers["cache-control"] == "no-store"
    body = resp.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token",
                         "refresh_expires_in"}
    assert (body["token_type"], body["expires_in"], body["refresh_expires_in"]) == (
        "bearer", 900, 12 * 3600)
    assert len(body["refresh_token"]) >= 43
    assert _verify(client, body["access_token"]).business_id == business["id"]
    with app.state.database.session(write=False) as s:
        row = s.scalars(select(RefreshToken)).one()
    assert row.token_hash == token_hash(body["refresh_token"])  # stored hashed, never plain
    assert body["refresh_token"] not in (row.token_hash, row.family_id)


def test_refresh_rotates_the_pair(client: TestClient, register):
    register()
    first = _login(client)
    resp = _refresh(client, first["refresh_token"])
    assert resp.status_code == 200, resp.text
    assert resp.headers["cache-control"] == "no-store"
    second = resp.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    principal = _verify(client, second["access_token"])
    assert principal.staff_role == "owner"
    assert principal.staff_id == _verify(client, first["access_token"]).staff_id
    # The new one works in turn.
    assert _refresh(client, second["refresh_token"]).status_code == 200


def test_reusing_a_refresh_token_revokes_the_whole_family(client: TestClient, register, app):
    register()
    first = _login(client)
    other_session = _login(client)  # another till: a separate family
    second = _refresh(client, first["refresh_token"]).json()

    reuse = _refresh(client, first["refresh_token"])
    assert reuse.status_code == 401
    assert reuse.json()["error"] == "InvalidRefreshToken"
    assert "already used" in reuse.json()["detail"]
    # The thief's replay killed the session for its rightful holder too …
    killed = _refresh(client, second["refresh_token"])
    assert (killed.status_code, killed.json()["error"]) == (401, "InvalidRefreshToken")
    with app.state.database.session(write=False) as s:
        family = s.scalars(select(RefreshToken).where(
            RefreshToken.token_hash == token_hash(second["refresh_token"]))).one().family_id
        rows = s.scalars(select(RefreshToken).where(RefreshToken.family_id == family)).all()
    assert len(rows) == 2 and all(r.revoked_at is not None for r in rows)
    # … and nothing else: the other session goes on.
    assert _refresh(client, other_session["refresh_token"]).status_code == 200


def test_logout_ends_the_session(client: TestClient, register):
    register()
    first = _login(client)
    second = _refresh(client, first["refresh_token"]).json()
    resp = client.post("/auth/logout", json={"refresh_token": second["refresh_token"]})
    assert resp.status_code == 204 and resp.content == b""
    assert _refresh(client, second["refresh_token"]).status_code == 401
    # Signing out twice, or with a token nobody knows, is not an error.
    assert client.post("/auth/logout",
                       json={"refresh_token": second["refresh_token"]}).status_code == 204
    assert client.post("/auth/logout", json={"refresh_token": "nonsense"}).status_code == 204


def test_a_session_ends_after_a_shift_however_often_it_is_refreshed(client: TestClient,
                                                                    register, clock):
    register()
    pair = _login(client)
    for _ in range(11):
        clock.advance(3600)
        resp = _refresh(client, pair["refresh_token"])
        assert resp.status_code == 200, resp.text
        pair = resp.json()
    assert pair["refresh_expires_in"] == 3600  # 12 h from the login, not from the refresh
    clock.advance(3600)
    expired = _refresh(client, pair["refresh_token"])
    assert (expired.status_code, expired.json()["error"]) == (401, "InvalidRefreshToken")


def test_the_shift_length_is_a_setting(make_settings, loyalty, clock, register):
    from mubayiro.auth.main import create_app

    app = create_app(make_settings(refresh_token_seconds=600),
                     outbox_transport=loyalty.transport, clock=clock)
    with TestClient(app) as c:
        c.post("/auth/register_business", json={
            "name": "Shop", "contact_person": "Me", "email": "owner@example.com",
            "password": PASSWORD})
        pair = _login(c)
        assert pair["refresh_expires_in"] == 600
        clock.advance(601)
        assert _refresh(c, pair["refresh_token"]).status_code == 401


@pytest.mark.parametrize("body", [{}, {"refresh_token": ""}, {"refresh_token": "x" * 129},
                                  {"refresh_token": 5}, {"refresh_token": "a", "extra": 1}])
def test_refresh_and_logout_validate_the_body(client: TestClient, body):
    assert client.post("/auth/refresh", json=body).status_code == 422
    assert client.post("/auth/logout", json=body).status_code == 422


def test_an_unknown_refresh_token_is_401(client: TestClient):
    resp = _refresh(client, "not-a-token-anyone-was-given")
    assert (resp.status_code, resp.json()["error"]) == (401, "InvalidRefreshToken")


def test_concurrent_refreshes_with_one_token_give_one_pair(client: TestClient, register):
    """Two requests racing with one token: at most one gets a pair (the conditional
    UPDATE), and a loser is treated as reuse, which ends the session (clients refresh
    one at a time)."""
    register()
    token = _login(client)["refresh_token"]
    statuses: list[int] = []
    lock = threading.Lock()

    def go() -> None:
        status = _refresh(client, token).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 401, 401, 401]


def test_a_cashiers_refresh_keeps_the_cashier_role(client: TestClient, register, login):
    register()
    client.post("/auth/staff", headers={"Authorization": f"Bearer {login()}"}, json={
        "name": "Rudo", "email": "rudo@example.com", "password": "till pass 7",
        "role": "cashier"})
    pair = _login(client, "rudo@example.com", "till pass 7")
    renewed = _refresh(client, pair["refresh_token"]).json()
    assert _verify(client, renewed["access_token"]).staff_role == "cashier"

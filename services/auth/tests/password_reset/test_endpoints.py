"""Password reset end to end with the console mail provider: the link works once, for
30 minutes, ends every session, and the request never tells whether an account exists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mubayiro.auth.main import create_app
from mubayiro.auth.models import PasswordResetToken
from mubayiro.auth.secret_tokens import token_hash

PASSWORD = "correct horse 42"
NEW_PASSWORD = "brand new 99"


def _request(client: TestClient, email: str) -> Any:
    return client.post("/auth/password_reset/request", json={"email": email})


def _mail(client: TestClient, to: str) -> list[dict[str, Any]]:
    resp = client.get("/auth/dev/mail", params={"to": to})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _token_from(mail: dict[str, Any]) -> str:
    match = re.search(r"https://localhost:8443/admin/reset-password#token=([\w-]+)", mail["body"])
    assert match, mail["body"]
    return match.group(1)


def _confirm(client: TestClient, token: str, password: str = NEW_PASSWORD) -> Any:
    return client.post("/auth/password_reset/confirm", json={"token": token, "password": password})


def _login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/auth/login_business", json={"email": email, "password": password})


def test_password_reset_end_to_end(client: TestClient, register, app):
    register()
    session = _login(client, "owner@example.com", PASSWORD).json()

    resp = _request(client, "Owner@Example.com")
    assert resp.status_code == 202
    assert resp.json() == {"detail": "If an account uses this address, a reset link is on its way.",
                           "expires_in": 1800}
    [mail] = _mail(client, "owner@example.com")
    assert mail["subject"] == "Reset your Mubayiro password"
    assert "Tendai Moyo" in mail["body"] and "30 minutes" in mail["body"]
    assert "If you did not ask, ignore this mail" in mail["body"]
    token = _token_from(mail)
    with app.state.database.session(write=False) as s:
        row = s.scalars(select(PasswordResetToken)).one()
    assert row.token_hash == token_hash(token)  # stored hashed

    assert _confirm(client, token).status_code == 204
    assert _login(client, "owner@example.com", NEW_PASSWORD).status_code == 200
    assert _login(client, "owner@example.com", PASSWORD).status_code == 401
    # Every session of the account ended.
    refresh = client.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert (refresh.status_code, refresh.json()["error"]) == (401, "InvalidRefreshToken")
    # The link works once.
    again = _confirm(client, token, "yet another 5")
    assert (again.status_code, again.json()["error"]) == (400, "InvalidResetToken")
    assert _login(client, "owner@example.com", NEW_PASSWORD).status_code == 200


def test_no_enumeration_on_reset_request(client: TestClient, register):
    register()
    known = _request(client, "owner@example.com")
    unknown = _request(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert known.headers.keys() - {"x-request-id", "content-length"} == (
        unknown.headers.keys() - {"x-request-id", "content-length"})
    assert len(_mail(client, "owner@example.com")) == 1
    assert _mail(client, "nobody@example.com") == []


def test_a_reset_link_expires_after_30_minutes(client: TestClient, register, clock):
    register()
    _request(client, "owner@example.com")
    token = _token_from(_mail(client, "owner@example.com")[0])
    clock.advance(30 * 60 + 1)
    resp = _confirm(client, token)
    assert (resp.status_code, resp.json()["error"]) == (400, "InvalidResetToken")
    assert _login(client, "owner@example.com", PASSWORD).status_code == 200


def test_a_reset_spends_every_other_link_of_the_account(client: TestClient, register):
    register()
    _request(client, "owner@example.com")
    _request(client, "owner@example.com")
    newer, older = (_token_from(m) for m in _mail(client, "owner@example.com"))
    assert _confirm(client, older).status_code == 204
    assert _confirm(client, newer, "another one 3").status_code == 400


def test_reset_links_are_limited_per_account(client: TestClient, register, clock):
    register()
    for _ in range(5):
        assert _request(client, "owner@example.com").status_code == 202
    assert len(_mail(client, "owner@example.com")) == 3  # AUTH_PASSWORD_RESET_MAX_REQUESTS
    clock.advance(3601)
    _request(client, "owner@example.com")
    assert len(_mail(client, "owner@example.com")) == 4


def test_a_cashier_resets_their_own_password_only(client: TestClient, register, login):
    register()
    client.post("/auth/staff", headers={"Authorization": f"Bearer {login()}"}, json={
        "name": "Rudo", "email": "rudo@example.com", "password": "till pass 7",
        "role": "cashier"})
    _request(client, "rudo@example.com")
    assert _confirm(client, _token_from(_mail(client, "rudo@example.com")[0])).status_code == 204
    assert _login(client, "rudo@example.com", NEW_PASSWORD).status_code == 200
    assert _login(client, "owner@example.com", PASSWORD).status_code == 200


def test_a_removed_member_gets_no_link_and_old_links_die(client: TestClient, register, login):
    register()
    owner = {"Authorization": f"Bearer {login()}"}
    member = client.post("/auth/staff", headers=owner, json={
        "name": "Rudo", "email": "rudo@example.com", "password": "till pass 7",
        "role": "cashier"}).json()
    _request(client, "rudo@example.com")
    token = _token_from(_mail(client, "rudo@example.com")[0])
    client.delete(f"/auth/staff/{member['id']}", headers=owner)
    assert _confirm(client, token).status_code == 400
    _request(client, "rudo@example.com")
    assert len(_mail(client, "rudo@example.com")) == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"token": "x"}, {"password": NEW_PASSWORD}, {"token": "", "password": NEW_PASSWORD},
     {"token": "x", "password": "short1"}, {"token": "x", "password": "nodigitsatall"},
     {"token": "x" * 129, "password": NEW_PASSWORD},
     {"token": "x", "password": NEW_PASSWORD, "email": "a@b.co"}],
)
def test_confirm_validates_the_body(client: TestClient, body):
    assert client.post("/auth/password_reset/confirm", json=body).status_code == 422


def test_a_weak_new_password_is_refused_and_the_link_still_works(client: TestClient, register):
    register()
    _request(client, "owner@example.com")
    token = _token_from(_mail(client, "owner@example.com")[0])
    assert _confirm(client, token, "weak").status_code == 422
    assert _confirm(client, token).status_code == 204


@pytest.mark.parametrize("body", [{}, {"email": "not-an-email"}, {"email": 5},
                                  {"email": "a@example.com", "x": 1}])
def test_reset_request_validates_the_body(client: TestClient, body, app):
    assert client.post("/auth/password_reset/request", json=body).status_code == 422
    with app.state.database.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(PasswordResetToken)) == 0


def test_the_dev_mailbox_exists_only_with_the_console_provider_outside_production(
    make_settings, signing_pem
):
    smtp = create_app(make_settings(mail_provider="smtp", smtp_host="127.0.0.1", smtp_port=1))
    with TestClient(smtp) as c:
        resp = c.get("/auth/dev/mail")
        assert (resp.status_code, resp.json()["error"]) == (404, "DevMailNotAvailable")
        # The request still answers 202 when the mail server is unreachable (it is sent
        # after the answer, and a failure is logged).
        c.post("/auth/register_business", json={
            "name": "Shop", "contact_person": "Me", "email": "owner@example.com",
            "password": PASSWORD})
        assert _request(c, "owner@example.com").status_code == 202

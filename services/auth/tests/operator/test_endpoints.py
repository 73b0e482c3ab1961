"""Business status: pending until approved (outside development), changed only by the
operator (route and command line), announced to loyalty in ``business.updated``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.auth.__main__ import main
from mubayiro.auth.main import create_app
from mubayiro.auth.models import RefreshToken, outbox

PASSWORD = "correct horse 42"
BODY = {"name": "Mbare Groceries", "contact_person": "Tendai Moyo",
        "email": "owner@example.com", "password": PASSWORD}


def _service_token(client: TestClient, client_id: str) -> str:
    resp = client.post("/auth/token", data={"grant_type": "client_credentials",
                                            "client_id": client_id,
                                            "client_secret": f"dev-secret-{client_id}"})
    assert resp.status_code == 200, resp.text
    return resp.json()["access_token"]


def _events(app: Any) -> list[dict[str, Any]]:
    with app.state.database.session(write=False) as s:
        rows = s.execute(select(outbox).order_by(outbox.c.id)).all()
    return [{"type": r.event_type, **json.loads(r.envelope)["data"]} for r in rows
            if r.event_type.startswith("business.")]


@pytest.fixture
def approval_app(make_settings, loyalty, clock):
    """The auth app as in production: new businesses wait for the operator."""
    return create_app(make_settings(auto_approve_businesses=False),
                      outbox_transport=loyalty.transport, clock=clock)


def test_a_new_business_is_pending_until_the_operator_approves_it(approval_app):
    with TestClient(approval_app) as client:
        resp = client.post("/auth/register_business", json=BODY)
        assert resp.status_code == 201
        business = resp.json()
        assert business["status"] == "pending"
        # A pending business signs in and configures; its token carries no status.
        login = client.post("/auth/login_business",
                            json={"email": BODY["email"], "password": PASSWORD})
        assert login.status_code == 200
        token = login.json()["access_token"]
        assert client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).json()[
            "status"] == "pending"
        assert "status" not in approval_app.state.token_verifier.verify(
            token, audience="mubayiro").claims

        operator = {"Authorization": f"Bearer {_service_token(client, 'operator')}"}
        pending = client.get("/internal/operator/businesses", params={"status": "pending"},
                             headers=operator)
        assert [b["id"] for b in pending.json()] == [business["id"]]
        resp = client.post(f"/internal/operator/businesses/{business['id']}/status",
                           json={"status": "active"}, headers=operator)
        assert resp.status_code == 200, resp.text
        assert resp.json()["status"] == "active"
        assert client.get("/internal/operator/businesses", params={"status": "pending"},
                          headers=operator).json() == []
        internal = client.get(f"/internal/businesses/{business['id']}", headers={
            "Authorization": f"Bearer {_service_token(client, 'loyalty')}"}).json()
        assert internal["status"] == "active"

    assert _events(approval_app) == [
        {"type": "business.registered", "business_id": business["id"], "name": BODY["name"],
         "contact_person": BODY["contact_person"], "email": BODY["email"], "status": "pending",
         "loyalty_rate": None},
        {"type": "business.updated", "business_id": business["id"], "name": BODY["name"],
         "contact_person": BODY["contact_person"], "email": BODY["email"], "status": "active",
         "loyalty_rate": None},
    ]


def test_suspending_ends_the_staff_sessions_and_tells_loyalty(client: TestClient, register, app):
    business = register()
    session = client.post("/auth/login_business",
                          json={"email": BODY["email"], "password": PASSWORD}).json()
    operator = {"Authorization": f"Bearer {_service_token(client, 'operator')}"}
    resp = client.post(f"/internal/operator/businesses/{business['id']}/status",
                       json={"status": "suspended"}, headers=operator)
    assert resp.json()["status"] == "suspended"
    refresh = client.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert refresh.status_code == 401
    with app.state.database.session(write=False) as s:
        assert all(t.revoked_at is not None for t in s.scalars(select(RefreshToken)))
    assert [(e["type"], e["status"]) for e in _events(app)] == [
        ("business.registered", "active"), ("business.updated", "suspended")]
    # The same status again changes nothing and tells nobody.
    client.post(f"/internal/operator/businesses/{business['id']}/status",
                json={"status": "suspended"}, headers=operator)
    assert len(_events(app)) == 2
    # A suspended business still signs in (and sees its data); loyalty refuses its sales.
    assert client.post("/auth/login_business",
                       json={"email": BODY["email"], "password": PASSWORD}).status_code == 200


def test_only_the_operator_client_changes_a_status(client: TestClient, register, login):
    business = register()
    path = f"/internal/operator/businesses/{business['id']}/status"
    loyalty = {"Authorization": f"Bearer {_service_token(client, 'loyalty')}"}
    resp = client.post(path, json={"status": "suspended"}, headers=loyalty)
    assert (resp.status_code, resp.json()["error"]) == (403, "OperatorOnly")
    assert client.get("/internal/operator/businesses", headers=loyalty).status_code == 403
    owner = {"Authorization": f"Bearer {login()}"}
    assert client.post(path, json={"status": "active"}, headers=owner).status_code == 401
    assert client.post(path, json={"status": "active"}).status_code == 401
    me = client.get("/auth/me", headers=owner).json()
    assert me["status"] == "active"


def test_operator_route_validates_its_input(client: TestClient, register):
    business = register()
    operator = {"Authorization": f"Bearer {_service_token(client, 'operator')}"}
    for body in ({"status": "deleted"}, {}, {"status": "active", "x": 1}):
        resp = client.post(f"/internal/operator/businesses/{business['id']}/status",
                           json=body, headers=operator)
        assert resp.status_code == 422, body
    resp = client.post("/internal/operator/businesses/999/status", json={"status": "active"},
                       headers=operator)
    assert (resp.status_code, resp.json()["error"]) == (404, "BusinessNotFound")
    assert client.get("/internal/operator/businesses", params={"status": "gone"},
                      headers=operator).status_code == 422


def test_the_operator_command_line_approves_suspends_and_lists(
    approval_app, monkeypatch, tmp_path, capsys
):
    with TestClient(approval_app) as client:
        business = client.post("/auth/register_business", json=BODY).json()
    monkeypatch.setenv("AUTH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AUTH_ENVIRONMENT", "test")

    assert main(["businesses", "--status", "pending"]) == 0
    out = capsys.readouterr().out
    assert f"{business['id']}\tpending\tMbare Groceries\towner@example.com" in out
    assert out.endswith("1 business(es)\n")

    assert main(["approve", str(business["id"])]) == 0
    assert capsys.readouterr().out == f"business {business['id']} (Mbare Groceries) is active\n"
    assert main(["businesses", "--status", "pending"]) == 0
    assert capsys.readouterr().out == "0 business(es)\n"

    assert main(["suspend", str(business["id"])]) == 0
    assert main(["businesses"]) == 0
    assert "\tsuspended\t" in capsys.readouterr().out

    assert main(["approve", "999"]) == 1
    assert "no business with id 999" in capsys.readouterr().err
    assert [(e["type"], e["status"]) for e in _events(approval_app)] == [
        ("business.registered", "pending"), ("business.updated", "active"),
        ("business.updated", "suspended")]

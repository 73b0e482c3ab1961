"""``GET /notifications/outbox``: development-only list of the SMS, newest first."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mubayiro.notifications.sms.service import sms_service

OUTBOX = "/notifications/outbox"


def _queue(client: TestClient, to: str, body: str) -> int:
    with client.app.state.database.session() as session:
        stored = sms_service.enqueue(session, countries=["ZW"], to=to, body=body, kind="test",
                                     provider="console")
    assert stored is not None
    return stored.id


@pytest.fixture
def filled(client: TestClient) -> TestClient:
    """The outbox holding three SMS to +263771234567 and two to +263772222333."""
    for i in range(3):
        _queue(client, "+263771234567", f"mine {i}")
        if i < 2:
            _queue(client, "0772222333", f"other {i}")
    return client


def test_outbox_lists_newest_first_with_the_contract_fields(filled):
    resp = filled.get(OUTBOX)

    assert resp.status_code == 200
    items = resp.json()
    assert [m["body"] for m in items] == ["mine 2", "other 1", "mine 1", "other 0", "mine 0"]
    assert set(items[0]) == {"id", "to", "body", "status", "created_at"}
    assert items[0]["to"] == "+263771234567"
    assert items[0]["status"] in {"queued", "sent"}
    ids = [m["id"] for m in items]
    assert ids == sorted(ids, reverse=True)
    stamps = [m["created_at"] for m in items]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize("spelling", ["+263771234567", "0771234567", "077 123 4567",
                                      "+263 77 123 4567"])
def test_outbox_filters_by_any_spelling_of_the_number(filled, spelling):
    resp = filled.get(OUTBOX, params={"to": spelling})

    assert resp.status_code == 200
    assert [m["body"] for m in resp.json()] == ["mine 2", "mine 1", "mine 0"]
    assert {m["to"] for m in resp.json()} == {"+263771234567"}


def test_outbox_limit_keeps_the_newest(filled):
    resp = filled.get(OUTBOX, params={"limit": 2})

    assert [m["body"] for m in resp.json()] == ["mine 2", "other 1"]


def test_outbox_limit_defaults_to_50(client):
    for i in range(55):
        _queue(client, "+263771234567", f"m{i}")

    resp = client.get(OUTBOX)

    assert len(resp.json()) == 50
    assert resp.json()[0]["body"] == "m54"


def test_outbox_of_a_number_without_sms_is_empty(filled):
    assert filled.get(OUTBOX, params={"to": "+263773333444"}).json() == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": -1},
        {"limit": 201},
        {"limit": "ten"},
        {"limit": 2.5},
        {"to": "12345"},
        {"to": "not a phone"},
        {"to": ""},
        {"to": "+2637" + "1" * 40},
    ],
)
def test_outbox_refuses_bad_query_with_422(filled, params):
    resp = filled.get(OUTBOX, params=params)

    assert resp.status_code == 422
    body = resp.json()
    assert body["error"] == "ValidationError"
    assert next(iter(params)) in body["detail"]


def test_outbox_accepts_the_maximum_limit(filled):
    assert filled.get(OUTBOX, params={"limit": 200}).status_code == 200


def test_outbox_is_404_when_twilio_is_configured(app_factory):
    app = app_factory(
        sms_provider="auto", twilio_account_sid="AC" + "1" * 32,
        twilio_auth_token="real-looking-token", twilio_from_number="+15005550006",
    )
    with TestClient(app) as client:
        resp = client.get(OUTBOX)

    assert resp.status_code == 404
    assert resp.json()["error"] == "OutboxNotAvailable"


def test_outbox_is_404_in_production_even_with_the_console(app_factory):
    app = app_factory(environment="production", sms_provider="console",
                      service_client_secret="a-real-production-secret")
    with TestClient(app) as client:
        resp = client.get(OUTBOX)

    assert resp.status_code == 404

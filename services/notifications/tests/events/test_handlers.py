"""``POST /internal/events``: points.earned queues exactly one SMS, and nothing else gets in."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mubayiro.common.testing import TestKeys, wait_until
from mubayiro.notifications.models import SMS_SENT, processed_event

EVENTS = "/internal/events"


def _processed_count(client: TestClient) -> int:
    with client.app.state.database.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(processed_event)) or 0)


def test_points_earned_queues_one_sms_with_the_exact_text(
    client, service_headers, points_event, sms_rows
):
    event = points_event(points=25, total_points=140, business_name="Mbare Fresh Grocers")

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.status_code == 200
    assert resp.json() == {"status": "processed"}
    [sms] = sms_rows(client.app)
    assert sms.to_number == "+263771234567"
    assert sms.body == "You earned 25 points at Mbare Fresh Grocers. Balance: 140."
    assert sms.kind == "points_earned"
    assert sms.event_id == event["id"]
    assert sms.provider == "console"


def test_redelivered_event_queues_no_second_sms(client, service_headers, points_event, sms_rows):
    event = points_event()

    first = client.post(EVENTS, json=event, headers=service_headers)
    again = client.post(EVENTS, json=event, headers=service_headers)

    assert first.json() == {"status": "processed"}
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    assert len(sms_rows(client.app)) == 1


def test_points_earned_sms_is_sent_once_through_the_console(
    client, service_headers, points_event, sms_rows
):
    client.post(EVENTS, json=points_event(), headers=service_headers)

    [sms] = wait_until(
        lambda: [m for m in sms_rows(client.app) if m.status == SMS_SENT], message="sms sent"
    )
    assert sms.attempts == 1
    assert sms.provider_message_id.startswith("console-")
    assert sms.sent_at is not None


def test_local_phone_spelling_in_event_is_stored_in_e164(
    client, service_headers, points_event, sms_rows
):
    client.post(EVENTS, json=points_event(customer_phone_number="077 123 4567"),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert sms.to_number == "+263771234567"


def test_long_business_name_is_shortened_to_fit_one_sms(
    client, service_headers, points_event, sms_rows
):
    name = "The Very Long Name Of A Business " * 8
    client.post(EVENTS, json=points_event(business_name=name, points=1234, total_points=98765),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert len(sms.body) <= 160
    assert sms.body.startswith("You earned 1234 points at The Very Long Name")
    assert sms.body.endswith("... Balance: 98765.")


def test_zero_points_event_sends_no_sms(client, service_headers, points_event, sms_rows):
    resp = client.post(EVENTS, json=points_event(points=0), headers=service_headers)

    assert resp.json() == {"status": "processed"}
    assert sms_rows(client.app) == []


def test_unknown_event_type_is_acknowledged_without_sms(
    client, service_headers, points_event, sms_rows
):
    event = {**points_event(), "type": "points.redeemed"}

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.json() == {"status": "ignored"}
    assert sms_rows(client.app) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("customer_phone_number", "12345"),
        ("customer_phone_number", None),
        ("business_name", ""),
        ("business_name", None),
        ("points", -5),
        ("points", "ten"),
        ("points", 2.5),
        ("total_points", -1),
        ("business_id", "three"),
    ],
)
def test_points_earned_with_bad_data_is_422_and_records_nothing(
    client, service_headers, points_event, sms_rows, field, value
):
    event = points_event(**{field: value})

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.status_code == 422
    assert resp.json()["error"] == "InvalidEventPayload"
    assert field in resp.json()["detail"]
    assert sms_rows(client.app) == []
    # The event id is not recorded either, so a corrected redelivery is processed.
    assert _processed_count(client) == 0


def test_event_refused_for_bad_data_is_processed_when_redelivered_fixed(
    client, service_headers, points_event, sms_rows
):
    event_id = str(uuid.uuid4())
    client.post(EVENTS, json=points_event(event_id, points=-1), headers=service_headers)

    resp = client.post(EVENTS, json=points_event(event_id), headers=service_headers)

    assert resp.json() == {"status": "processed"}
    assert len(sms_rows(client.app)) == 1


@pytest.mark.parametrize(
    "mutate",
    [
        lambda e: e.pop("id"),
        lambda e: e.pop("type"),
        lambda e: e.pop("data"),
        lambda e: e.update(id=""),
        lambda e: e.update(id="x" * 65),
        lambda e: e.update(occurred_at="yesterday"),
        lambda e: e.update(data="not an object"),
    ],
    ids=["no-id", "no-type", "no-data", "empty-id", "long-id", "bad-time", "data-not-object"],
)
def test_malformed_envelope_is_422_and_records_nothing(
    client, service_headers, points_event, sms_rows, mutate
):
    event = points_event()
    mutate(event)

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.status_code == 422
    assert resp.json()["error"] == "ValidationError"
    assert sms_rows(client.app) == []
    assert _processed_count(client) == 0


def test_oversized_event_is_413(client, service_headers, points_event, sms_rows):
    event = points_event(business_name="x" * 70_000)

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.status_code == 413
    assert sms_rows(client.app) == []


def _alg_none_token(keys: TestKeys) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    claims = json.loads(
        base64.urlsafe_b64decode(keys.service_token().split(".")[1] + "==")
    )
    return f"{part({'alg': 'none', 'typ': 'JWT', 'kid': keys.kid})}.{part(claims)}."


@pytest.mark.parametrize(
    ("make_token", "status"),
    [
        (lambda keys: None, 401),
        (lambda keys: "not-a-jwt", 401),
        (lambda keys: TestKeys(kid=keys.kid).service_token(), 401),  # forged: other key
        (lambda keys: keys.service_token(expires_in=-60), 401),
        (lambda keys: keys.service_token(audience="mubayiro"), 401),  # API audience
        (_alg_none_token, 401),
        (lambda keys: keys.business_token(3), 401),  # API audience, not internal
        (lambda keys: keys.customer_token("+263771234567"), 401),
        (lambda keys: keys.business_token(3, audience="mubayiro-internal"), 403),
        (lambda keys: keys.customer_token("+263771234567", audience="mubayiro-internal"), 403),
    ],
    ids=["missing", "garbage", "forged", "expired", "wrong-audience", "alg-none",
         "business", "customer", "business-internal-aud", "customer-internal-aud"],
)
def test_events_route_refuses_anything_but_a_service_token(
    client, keys, points_event, sms_rows, make_token, status
):
    token = make_token(keys)
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    resp = client.post(EVENTS, json=points_event(), headers=headers)

    assert resp.status_code == status
    assert resp.json()["error"] in {"InvalidToken", "Unauthorized", "Forbidden"}
    assert sms_rows(client.app) == []
    assert _processed_count(client) == 0

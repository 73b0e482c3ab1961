"""``POST /internal/events``: each event queues exactly one SMS, and nothing else gets in.

points.earned, points.redeemed, points.referral_bonus, points.reversed and
points.expiring (loyalty), and customer.otp_requested (auth). Opt-outs are in ``optouts/``.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

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


def test_imported_purchase_sends_no_sms(client, service_headers, points_event, sms_rows):
    event = points_event(points=25, imported=True, timestamp="2026-10-02T08:15:00+00:00")

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.json() == {"status": "processed"}
    assert sms_rows(client.app) == []
    assert _processed_count(client) == 1


def test_unknown_event_type_is_acknowledged_without_sms(
    client, service_headers, points_event, sms_rows
):
    event = {**points_event(), "type": "business.updated"}

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.json() == {"status": "ignored"}
    assert sms_rows(client.app) == []


def _assert_refused_recording_nothing(client, service_headers, sms_rows, event, field):
    """Posting ``event`` is 422 ``InvalidEventPayload`` naming ``field``, and stores nothing."""
    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.status_code == 422
    assert resp.json()["error"] == "InvalidEventPayload"
    assert field in resp.json()["detail"]
    assert sms_rows(client.app) == []
    # The event id is not recorded either, so a corrected redelivery is processed.
    assert _processed_count(client) == 0


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
    _assert_refused_recording_nothing(
        client, service_headers, sms_rows, points_event(**{field: value}), field)


def test_points_are_accepted_up_to_the_bound_loyalty_awards_with(
    client, service_headers, points_event, sms_rows
):
    """Loyalty never awards more than ``MAX_POINTS`` in one transaction (issue 11), and
    this consumer accepts every award up to that same constant: they agree by construction.
    """
    from mubayiro.common.money import MAX_POINTS

    largest = client.post(EVENTS, json=points_event(points=MAX_POINTS, total_points=MAX_POINTS),
                          headers=service_headers)
    beyond = client.post(EVENTS, json=points_event(points=MAX_POINTS + 1), headers=service_headers)

    assert largest.status_code == 200 and largest.json() == {"status": "processed"}
    assert len(sms_rows(client.app)) == 1
    assert beyond.status_code == 422 and "points" in beyond.json()["detail"]


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


# --- points.redeemed, points.referral_bonus, customer.otp_requested ---------------


def test_points_redeemed_queues_the_exact_text(client, service_headers, redeemed_event, sms_rows):
    event = redeemed_event(points=100, business_name="Mbare Coffee",
                           reward_description="Free coffee", total_points=40)

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.json() == {"status": "processed"}
    [sms] = sms_rows(client.app)
    assert sms.body == "You redeemed 100 points at Mbare Coffee for Free coffee. Balance: 40."
    assert (sms.to_number, sms.kind, sms.event_id) == (
        "+263771234567", "points_redeemed", event["id"])
    assert sms.essential is False


def test_points_redeemed_to_zero_balance(client, service_headers, redeemed_event, sms_rows):
    client.post(EVENTS, json=redeemed_event(points=40, total_points=0), headers=service_headers)

    [sms] = sms_rows(client.app)
    assert sms.body.endswith("Balance: 0.")


def test_points_redeemed_without_description_still_tells_the_balance(
    client, service_headers, redeemed_event, sms_rows
):
    for description in (None, "", "   "):
        client.post(EVENTS, json=redeemed_event(reward_description=description),
                    headers=service_headers)

    assert {m.body for m in sms_rows(client.app)} == {
        "You redeemed 100 points at Mbare Coffee. Balance: 40."}


def test_points_redeemed_long_reward_is_shortened_before_the_business_name(
    client, service_headers, redeemed_event, sms_rows
):
    reward = "Family platter with chips, grilled chicken, coleslaw and four cold drinks " * 3
    client.post(EVENTS, json=redeemed_event(reward_description=reward,
                                            business_name="Mbare Fresh Grocers"),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert len(sms.body) == 160
    assert sms.body.startswith(
        "You redeemed 100 points at Mbare Fresh Grocers for Family platter with chips")
    assert sms.body.endswith("... Balance: 40.")


def test_points_redeemed_long_names_both_shortened_to_one_sms(
    client, service_headers, redeemed_event, sms_rows
):
    client.post(EVENTS, json=redeemed_event(reward_description="R" * 400,
                                            business_name="B" * 400, total_points=9_999_999),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert len(sms.body) <= 160
    assert "RRRRRRRRRRRRR" in sms.body  # the reward keeps a readable start
    assert sms.body.startswith("You redeemed 100 points at BBBB")
    assert sms.body.endswith(".. Balance: 9999999.")


def test_referral_bonus_queues_the_exact_text(
    client, service_headers, referral_bonus_event, sms_rows
):
    event = referral_bonus_event(points=50, total_points=190)

    client.post(EVENTS, json=event, headers=service_headers)

    [sms] = sms_rows(client.app)
    assert sms.body == ("You earned 50 bonus points for referring a friend to "
                        "Mbare Fresh Grocers. Balance: 190.")
    assert (sms.kind, sms.event_id, sms.essential) == ("referral_bonus", event["id"], False)


def test_otp_requested_queues_the_exact_essential_text(
    client, service_headers, otp_event, sms_rows
):
    event = otp_event(code="482913", lifetime_seconds=300)

    resp = client.post(EVENTS, json=event, headers=service_headers)

    assert resp.json() == {"status": "processed"}
    [sms] = sms_rows(client.app)
    assert sms.body == "Your Mubayiro code is 482913. It expires in 5 minutes. Never share it."
    assert (sms.to_number, sms.kind, sms.essential) == ("+263771234567", "otp_code", True)


@pytest.mark.parametrize(
    ("lifetime_seconds", "words"),
    [(300, "5 minutes"), (290, "5 minutes"), (629, "10 minutes"), (60, "1 minute"),
     (10, "1 minute"), (-30, "1 minute")],
)
def test_otp_lifetime_is_counted_from_when_the_code_was_requested(
    client, service_headers, otp_event, sms_rows, lifetime_seconds, words
):
    # Delivered late (the event is an hour old): the lifetime is still the one issued.
    requested = datetime.now(UTC) - timedelta(hours=1)
    client.post(EVENTS, json=otp_event(lifetime_seconds=lifetime_seconds,
                                       occurred_at=requested),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert f"It expires in {words}." in sms.body


@pytest.mark.parametrize("make_event", ["redeemed_event", "referral_bonus_event", "otp_event",
                                        "reversed_event", "expiring_event"])
def test_new_events_queue_one_sms_per_event_id(
    client, service_headers, sms_rows, request, make_event
):
    event = request.getfixturevalue(make_event)()

    first = client.post(EVENTS, json=event, headers=service_headers)
    again = client.post(EVENTS, json=event, headers=service_headers)

    assert (first.json(), again.json()) == ({"status": "processed"}, {"status": "duplicate"})
    assert len(sms_rows(client.app)) == 1


@pytest.mark.parametrize(
    ("make_event", "field", "value"),
    [
        ("redeemed_event", "points", 0),
        ("redeemed_event", "points", -100),
        ("redeemed_event", "customer_phone_number", "12345"),
        ("redeemed_event", "business_name", ""),
        ("redeemed_event", "total_points", -1),
        ("redeemed_event", "reward_description", "x" * 1001),
        ("referral_bonus_event", "points", 0),
        ("referral_bonus_event", "customer_phone_number", None),
        ("referral_bonus_event", "total_points", "lots"),
        ("otp_event", "code", "12ab56"),
        ("otp_event", "code", ""),
        ("otp_event", "code", "1" * 11),
        ("otp_event", "phone_number", "not a phone"),
        ("otp_event", "expires_at", "soon"),
        ("otp_event", "expires_at", None),
        ("reversed_event", "reversed_type", "expire"),
        ("reversed_event", "points", "some"),
        ("reversed_event", "total_points", -1),
        ("reversed_event", "business_name", None),
        ("expiring_event", "points", 0),
        ("expiring_event", "date", "12 Jan"),
        ("expiring_event", "customer_phone_number", "12345"),
    ],
)
def test_new_events_with_bad_data_are_422_and_record_nothing(
    client, service_headers, sms_rows, request, make_event, field, value
):
    _assert_refused_recording_nothing(
        client, service_headers, sms_rows, request.getfixturevalue(make_event)(**{field: value}),
        field)


def test_otp_code_is_sent_through_the_console(client, service_headers, otp_event, sms_rows):
    client.post(EVENTS, json=otp_event(), headers=service_headers)

    [sms] = wait_until(
        lambda: [m for m in sms_rows(client.app) if m.status == SMS_SENT], message="otp sent"
    )
    assert sms.kind == "otp_code"


# --- redemption_code.requested ---------------------------------------------------------


def _code_event(business_name="Mbare Coffee", code="042917"):
    return {"id": str(uuid.uuid4()), "type": "redemption_code.requested", "source": "loyalty",
            "occurred_at": datetime.now(UTC).isoformat(),
            "data": {"business_id": 3, "business_name": business_name,
                     "customer_phone_number": "+263771234567", "code": code,
                     "expires_at": (datetime.now(UTC) + timedelta(minutes=10)).isoformat()}}


def test_a_redemption_code_names_the_shop_and_says_what_to_do_if_it_was_not_you(
    client, service_headers, sms_rows
):
    resp = client.post(EVENTS, json=_code_event(), headers=service_headers)

    assert resp.json() == {"status": "processed"}
    [sms] = sms_rows(client.app)
    assert sms.body == ("Mbare Coffee asks to use your points. Give the cashier this code: "
                        "042917. Not you? Ignore this.")
    assert (sms.to_number, sms.kind, sms.essential) == (
        "+263771234567", "redemption_code", True)


def test_a_long_shop_name_is_shortened_never_the_code(client, service_headers, sms_rows):
    client.post(EVENTS, json=_code_event(business_name="Zvikomborero " * 30),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert len(sms.body) <= 160
    assert sms.body.endswith("Give the cashier this code: 042917. Not you? Ignore this.")


def test_a_malformed_redemption_code_is_refused(client, service_headers, sms_rows):
    resp = client.post(EVENTS, json=_code_event(code="12"), headers=service_headers)

    assert resp.status_code == 422
    assert sms_rows(client.app) == []


@pytest.mark.parametrize("phone", ["+12025550123", "+881631234567", "+447911123456"])
def test_an_sms_to_a_country_not_served_is_stored_skipped_not_sent(
    client, service_headers, points_event, sms_rows, phone
):
    event = points_event(customer_phone_number=phone)
    resp = client.post(EVENTS, json=event, headers=service_headers)
    assert resp.status_code == 200
    assert resp.json() == {"status": "processed"}  # not a refusal: nothing to retry
    [sms] = sms_rows(client.app)
    assert (sms.to_number, sms.status) == (phone, "skipped")


@pytest.mark.parametrize("name,shown", [
    ("MUBAYIRO SECURITY: locked. Call +263 77 123 4567", "MUBAYIRO SECURITY: locked. Call"),
    ("Verify at http://mubayiro-login.example/x", "Verify at"),
    ("Win big www.prize.co.zw", "Win big"),
])
def test_a_business_name_brings_no_link_or_phone_number_into_an_sms(
    client, service_headers, points_event, sms_rows, name, shown
):
    event = points_event(points=5, total_points=5, business_name=name)
    assert client.post(EVENTS, json=event, headers=service_headers).status_code == 200
    [sms] = sms_rows(client.app)
    assert sms.body == f"You earned 5 points at {shown}. Balance: 5."


def test_a_refund_tells_the_customer_the_points_taken_back(
    client, service_headers, reversed_event, sms_rows
):
    client.post(EVENTS, json=reversed_event(), headers=service_headers)

    [sms] = sms_rows(client.app)
    assert sms.body == ("12 points were taken back after a refund at Mbare Fresh Grocers. "
                        "Balance: 128.")
    assert (sms.kind, sms.essential) == ("points_reversed", False)


def test_a_cancelled_redemption_tells_the_customer_the_points_are_back(
    client, service_headers, reversed_event, sms_rows
):
    client.post(EVENTS, json=reversed_event(reversed_type="redeem", points=1, amount=None,
                                            business_name="Mbare Coffee", total_points=41),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert sms.body == ("Your redemption at Mbare Coffee was cancelled: 1 point is back. "
                        "Balance: 41.")


def test_a_refund_that_took_nothing_back_sends_no_sms(
    client, service_headers, reversed_event, sms_rows
):
    resp = client.post(EVENTS, json=reversed_event(points=0, shortfall=12, total_points=0),
                       headers=service_headers)

    assert resp.json() == {"status": "processed"}
    assert sms_rows(client.app) == []


def test_a_refund_sms_shortens_a_long_shop_name_to_one_sms(
    client, service_headers, reversed_event, sms_rows
):
    client.post(EVENTS, json=reversed_event(points=-1_000_000, total_points=9_000_000,
                                            business_name="Very Long Shop Name " * 20),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert len(sms.body) <= 160
    assert sms.body.startswith("1000000 points were taken back after a refund at Very Long")
    assert sms.body.endswith("... Balance: 9000000.")


def test_points_expiring_sends_the_reminder(client, service_headers, expiring_event,
                                            sms_rows):
    client.post(EVENTS, json=expiring_event(), headers=service_headers)

    [sms] = sms_rows(client.app)
    assert sms.body == ("Mubayiro: 40 points expire on 12 Jan. Use them at any Mubayiro "
                        "business before then. Reply STOP to stop these SMS.")
    assert (sms.kind, sms.essential) == ("expiry_reminder", False)


def test_a_reminder_for_lots_expiring_over_several_days_names_the_span(
    client, service_headers, expiring_event, sms_rows,
):
    client.post(EVENTS, json=expiring_event(points=60, last_date="2027-01-18"),
                headers=service_headers)

    [sms] = sms_rows(client.app)
    assert sms.body.startswith("Mubayiro: 60 points expire from 12 Jan to 18 Jan.")


def test_an_import_of_balances_texts_nobody(client, service_headers, envelope, sms_rows):
    resp = client.post(EVENTS, json=envelope("points.imported", {
        "business_id": 3, "business_name": "Mbare Fresh Grocers", "file_sha256": "0" * 64,
        "rows": [{"transaction_id": 30, "customer_phone_number": "+263771234567",
                  "points": 250, "total_points": 250}],
        "timestamp": datetime.now(UTC).isoformat()}), headers=service_headers)

    assert resp.json() == {"status": "ignored"}
    assert sms_rows(client.app) == []

"""``POST /internal/transactions/referral_bonus``: referrals pays a referrer, exactly once."""

from __future__ import annotations

import json

import pytest

from .internal_checks import NON_SERVICES, non_service_headers, refused_without_a_trace

PHONE = "+263771234567"
PATH = "/internal/transactions/referral_bonus"


@pytest.fixture
def cafe(loyalty):
    """Loyalty with business 1 registered (rate 1)."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    return loyalty


def _body(**changes):
    body = {"business_id": 1, "customer_phone_number": PHONE, "points": 50, "referral_id": 7}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def bonus(loyalty, body=None, *, key="referral-7", client_id="referrals", headers=None):
    """POST the bonus as the ``client_id`` service, with ``key`` (None: no key header)."""
    sent = {**loyalty.service_headers(client_id), **(headers or {})}
    if key is not None:
        sent["Idempotency-Key"] = key
    return loyalty.client.post(PATH, json=_body() if body is None else body, headers=sent)


# --- the happy path ------------------------------------------------------------------------


def test_bonus_creates_the_customer_and_records_a_referral_bonus_row(cafe):
    resp = bonus(cafe)

    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body == {"transaction_id": body["transaction_id"], "customer_phone_number": PHONE,
                    "points_awarded": 50, "total_points": 50}
    [row] = cafe.rows("point_transaction")
    assert (row.id, row.business_id, row.type, row.points, row.amount_spent) == (
        body["transaction_id"], 1, "referral_bonus", 50, None)
    assert row.reward_description == "Referral bonus"
    assert row.reward_id is None
    assert row.idempotency_key == "referral-7"
    [customer] = cafe.rows("customer")
    assert (customer.phone_number, customer.total_points) == (PHONE, 50)


def test_bonus_adds_to_an_existing_balance_and_shows_in_the_history(cafe):
    cafe.add_points(1, PHONE, "20.00")

    resp = bonus(cafe, _body(customer_phone_number="0771234567"))

    assert resp.status_code == 201
    assert resp.json()["customer_phone_number"] == PHONE
    assert resp.json()["total_points"] == 70
    assert cafe.count("customer") == 1
    history = cafe.client.get(f"/customers/{PHONE}/transactions",
                              headers=cafe.customer_headers(PHONE)).json()
    assert [(t["type"], t["points"], t["reward_description"]) for t in history] == [
        ("referral_bonus", 50, "Referral bonus"), ("earn", 20, None)]


def test_bonus_writes_points_referral_bonus_to_each_subscriber(cafe):
    result = bonus(cafe).json()

    rows = cafe.rows("outbox_message")
    assert sorted((r.event_type, r.destination) for r in rows) == [
        ("points.referral_bonus", "notifications"), ("points.referral_bonus", "reports")]
    envelopes = [json.loads(r.envelope) for r in rows]
    assert envelopes[0] == envelopes[1]  # the same event to both subscribers
    envelope = envelopes[0]
    assert (envelope["type"], envelope["source"]) == ("points.referral_bonus", "loyalty")
    data = envelope["data"]
    assert data == {
        "transaction_id": result["transaction_id"],
        "business_id": 1,
        "business_name": "Mazoe Cafe",
        "customer_phone_number": PHONE,
        "points": 50,
        "total_points": 50,
        "referral_id": 7,
        "timestamp": data["timestamp"],
    }
    assert data["timestamp"].endswith("+00:00")


# --- idempotency -------------------------------------------------------------------------


def test_same_key_and_body_pays_once_and_replays(cafe):
    first = bonus(cafe)
    again = bonus(cafe, _body(customer_phone_number="+263 77 123 4567"))

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert cafe.count("point_transaction") == 1
    assert cafe.count("outbox_message") == 2  # one event, two subscribers
    assert cafe.rows("customer")[0].total_points == 50


@pytest.mark.parametrize("change", [{"points": 51}, {"referral_id": 8},
                                    {"customer_phone_number": "+263712345678"}])
def test_same_key_with_another_body_is_422_and_pays_nothing(cafe, change):
    bonus(cafe)
    before = cafe.counts()

    resp = bonus(cafe, _body(**change))

    assert resp.status_code == 422
    assert resp.json()["error"] == "IdempotencyKeyReused"
    assert cafe.counts() == before
    assert cafe.rows("customer")[0].total_points == 50


def test_keys_are_scoped_to_the_calling_service(cafe):
    bonus(cafe, client_id="referrals")

    other = bonus(cafe, client_id="promotions")

    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert other.json()["total_points"] == 100


@pytest.mark.parametrize("key", [None, "", "x" * 256, "tab\there"],
                         ids=["missing", "empty", "too long", "control character"])
def test_a_missing_or_bad_key_is_422_and_nothing_written(cafe, key):
    refused_without_a_trace(cafe, lambda: bonus(cafe, key=key), 422)


def test_a_missing_key_names_the_header(cafe):
    resp = bonus(cafe, key=None)

    assert resp.json()["error"] == "ValidationError"
    assert [(e["field"], e["type"]) for e in resp.json()["errors"]] == [
        ("Idempotency-Key", "missing")]


# --- refusals ----------------------------------------------------------------------------


def test_unknown_business_is_404_without_asking_auth(cafe):
    cafe.auth.add_business(9, "Elsewhere")
    before = cafe.counts()

    resp = bonus(cafe, _body(business_id=9))

    assert resp.status_code == 404
    assert resp.json() == {"detail": "Business not found", "error": "BusinessNotFound"}
    assert cafe.counts() == before
    assert cafe.auth.lookups() == []


def test_a_404_keeps_no_idempotency_record_so_a_retry_can_pay(cafe):
    assert bonus(cafe, _body(business_id=9)).status_code == 404
    cafe.register_business(9, "Late Shop")

    resp = bonus(cafe, _body(business_id=9))

    assert resp.status_code == 201
    assert "Idempotent-Replayed" not in resp.headers


BAD_BODIES = {
    "invalid phone": _body(customer_phone_number="12345"),
    "empty phone": _body(customer_phone_number=""),
    "phone as number": _body(customer_phone_number=263771234567),
    "zero points": _body(points=0),
    "negative points": _body(points=-5),
    "huge points": _body(points=10_000_001),
    "fractional points": _body(points=1.5),
    "string points": _body(points="50"),
    "bool points": _body(points=True),
    "null points": _body(points=None),
    "zero referral": _body(referral_id=0),
    "negative referral": _body(referral_id=-1),
    "huge referral": _body(referral_id=2**63),
    "string referral": _body(referral_id="7"),
    "zero business": _body(business_id=0),
    "string business": _body(business_id="1"),
    "huge business": _body(business_id=2**31),
    "missing points": _body(points=...),
    "missing referral": _body(referral_id=...),
    "missing phone": _body(customer_phone_number=...),
    "missing business": _body(business_id=...),
    "extra field": _body(amount_spent="10.00"),
    "not an object": [1, 2, 3],
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bonus_refuses_bad_input_and_writes_nothing(cafe, body):
    refused_without_a_trace(cafe, lambda: bonus(cafe, body), 422, "ValidationError")


def test_oversized_body_is_413_and_nothing_written(cafe):
    oversized = _body(customer_phone_number=PHONE + " " * 70_000)
    refused_without_a_trace(cafe, lambda: bonus(cafe, oversized), 413)


@pytest.mark.parametrize("who", NON_SERVICES)
def test_bonus_needs_a_service_token(cafe, who):
    headers = {**non_service_headers(cafe, who, PHONE), "Idempotency-Key": "referral-7"}
    refused_without_a_trace(cafe, lambda: cafe.client.post(PATH, json=_body(), headers=headers),
                            403 if who == "business internal" else 401)

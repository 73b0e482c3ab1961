"""``POST /transactions/add_points``: the ledger write, its idempotency, its events."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from mubayiro.common.money import MAX_POINTS

PHONE = "+263771234567"


@pytest.fixture
def loyalty(start_loyalty):
    """Loyalty with award limits as high as the shared points bound: these tests are
    about the earning rule and that bound (the limits: ``test_award_limits``)."""
    return start_loyalty(award_limit_per_transaction=MAX_POINTS,
                         award_limit_per_day=10 * MAX_POINTS)


@pytest.fixture
def cafe(loyalty):
    """Loyalty with business 1 (rate 1.5) registered."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1.5")
    return loyalty


def test_add_points_awards_floor_of_amount_times_rate(cafe):
    resp = cafe.add_points(1, PHONE, "10.99")

    assert resp.status_code == 201
    body = resp.json()
    assert body == {"transaction_id": body["transaction_id"], "customer_phone_number": PHONE,
                    "points_earned": 16, "total_points": 16}


@pytest.mark.parametrize(
    ("rate", "amount", "points"),
    [("1", "0.99", 0), ("1", "1.00", 1), ("1.5", "10.99", 16), ("0.1", "9.99", 0),
     ("0.3333", "3.00", 0), ("0.3334", "3.00", 1), ("2.5", 10, 25), ("1000", "10000", 10**7),
     ("0", "500", 0)],
)
def test_points_are_floored_exactly(loyalty, rate, amount, points):
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate=rate)

    resp = loyalty.add_points(1, PHONE, amount)

    assert resp.status_code == 201, resp.text
    assert resp.json()["points_earned"] == points


def test_an_award_beyond_the_shared_points_bound_is_refused_and_changes_nothing(loyalty):
    """Issue 11: $1,000,000 at rate 1,000 earned 10⁹ points, which notifications refuses.

    Loyalty validates with the same ``MAX_POINTS`` its consumers do, so it refuses the
    award (422) instead of writing a ledger row and an event nobody downstream accepts.
    """
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1000")

    resp = loyalty.add_points(1, PHONE, "1000000", headers={"Idempotency-Key": "too-much"})

    assert resp.status_code == 422
    assert resp.json()["error"] == "TooManyPointsEarned"
    assert str(MAX_POINTS) in resp.json()["detail"]
    assert loyalty.count("point_transaction") == 0
    assert loyalty.count("outbox_message") == 0
    # The refusal stored no key: the same key with an allowed purchase is a new request.
    at_limit = loyalty.add_points(1, PHONE, "10000", headers={"Idempotency-Key": "too-much"})
    assert at_limit.status_code == 201 and at_limit.json()["points_earned"] == MAX_POINTS


def test_zero_points_are_recorded(cafe):
    resp = cafe.add_points(1, PHONE, "0.50")

    assert resp.status_code == 201
    assert resp.json()["points_earned"] == 0
    [row] = cafe.rows("point_transaction")
    assert row.points == 0 and row.amount_spent == Decimal("0.50")


def test_first_purchase_creates_the_customer_and_later_ones_add_up(cafe):
    first = cafe.add_points(1, PHONE, "20.00").json()
    second = cafe.add_points(1, PHONE, "10.00").json()

    assert first["total_points"] == 30
    assert second["total_points"] == 45
    assert second["transaction_id"] > first["transaction_id"]
    assert cafe.count("customer") == 1
    assert cafe.count("point_transaction") == 2


@pytest.mark.parametrize("spelling", ["0771234567", "+263 77 123 4567", "263771234567",
                                      "+263-77-123-4567", "(077) 123 4567"])
def test_local_and_spaced_forms_land_on_the_same_customer(cafe, spelling):
    cafe.add_points(1, PHONE, "10.00")

    resp = cafe.add_points(1, spelling, "10.00")

    assert resp.status_code == 201, resp.text
    assert resp.json()["customer_phone_number"] == PHONE
    assert resp.json()["total_points"] == 30
    assert cafe.count("customer") == 1


def test_ledger_row_records_the_purchase(cafe):
    resp = cafe.add_points(1, PHONE, "10.99", headers={"Idempotency-Key": "till-7-0001"})

    [row] = cafe.rows("point_transaction")
    assert row.id == resp.json()["transaction_id"]
    assert (row.business_id, row.type, row.amount_spent, row.points) == (
        1, "earn", Decimal("10.99"), 16)
    assert row.reward_description is None
    assert row.idempotency_key == "till-7-0001"
    [customer] = cafe.rows("customer")
    assert (customer.phone_number, customer.total_points) == (PHONE, 16)


def test_points_use_the_rate_in_force_at_the_time(cafe):
    cafe.add_points(1, PHONE, "10.00")
    cafe.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "3"},
                     headers=cafe.business_headers(1))

    resp = cafe.add_points(1, PHONE, "10.00")

    assert resp.json()["points_earned"] == 30
    assert resp.json()["total_points"] == 45


def test_unknown_own_business_is_fetched_from_auth_then_awarded(loyalty):
    loyalty.auth.add_business(8, "New Shop", loyalty_rate="2")

    resp = loyalty.add_points(8, PHONE, "5.00")

    assert resp.status_code == 201
    assert resp.json()["points_earned"] == 10
    assert loyalty.auth.lookups() == ["GET /internal/businesses/8"]


def test_business_unknown_to_auth_too_is_404_and_nothing_written(loyalty):
    before = loyalty.counts()

    resp = loyalty.add_points(8, PHONE, "5.00")

    assert resp.status_code == 404
    assert resp.json() == {"detail": "Business not found", "error": "BusinessNotFound"}
    assert loyalty.counts() == before


# --- idempotency -------------------------------------------------------------------------


def test_same_idempotency_key_and_body_awards_once_and_replays(cafe):
    headers = {"Idempotency-Key": "till-7-0001"}

    first = cafe.add_points(1, PHONE, "10.00", headers=headers)
    again = cafe.add_points(1, PHONE, "10.00", headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert cafe.count("point_transaction") == 1
    assert cafe.count("outbox_message") == 2  # one event, two subscribers
    assert cafe.rows("customer")[0].total_points == 15


def test_idempotency_compares_the_normalised_body(cafe):
    headers = {"Idempotency-Key": "k"}
    first = cafe.add_points(1, PHONE, "10.00", headers=headers)

    again = cafe.add_points(1, "0771234567", "10", headers=headers)

    assert again.status_code == 201
    assert again.json() == first.json()
    assert cafe.count("point_transaction") == 1


def test_same_idempotency_key_with_another_body_is_422(cafe):
    headers = {"Idempotency-Key": "till-7-0001"}
    cafe.add_points(1, PHONE, "10.00", headers=headers)

    resp = cafe.add_points(1, PHONE, "11.00", headers=headers)

    assert resp.status_code == 422
    assert resp.json()["error"] == "IdempotencyKeyReused"
    assert cafe.count("point_transaction") == 1
    assert cafe.rows("customer")[0].total_points == 15


def test_idempotency_keys_are_per_business(loyalty):
    loyalty.register_business(1, "One")
    loyalty.register_business(2, "Two")
    headers = {"Idempotency-Key": "same-key"}

    a = loyalty.add_points(1, PHONE, "10.00", headers=headers)
    b = loyalty.add_points(2, PHONE, "10.00", headers=headers)

    assert a.status_code == b.status_code == 201
    assert "Idempotent-Replayed" not in b.headers
    assert loyalty.count("point_transaction") == 2


def test_without_a_key_each_request_awards(cafe):
    cafe.add_points(1, PHONE, "10.00")
    cafe.add_points(1, PHONE, "10.00")

    assert cafe.count("point_transaction") == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "na\xefve".encode("latin-1"), "tab\there"])
def test_bad_idempotency_keys_are_refused(cafe, key):
    resp = cafe.add_points(1, PHONE, "10.00", headers={"Idempotency-Key": key})

    assert resp.status_code == 422
    assert cafe.count("point_transaction") == 0


# --- events ------------------------------------------------------------------------------


def test_each_earn_writes_one_points_earned_row_per_subscriber(cafe):
    results = [cafe.add_points(1, PHONE, amount).json() for amount in ("10.99", "4.00")]

    rows = cafe.rows("outbox_message")
    assert sorted((r.event_type, r.destination) for r in rows) == [
        ("points.earned", "notifications"), ("points.earned", "notifications"),
        ("points.earned", "reports"), ("points.earned", "reports")]
    for result in results:
        mine = [json.loads(r.envelope) for r in rows
                if json.loads(r.envelope)["data"]["transaction_id"] == result["transaction_id"]]
        assert len(mine) == 2
        assert mine[0]["id"] == mine[1]["id"]  # the same event to both subscribers
        envelope = mine[0]
        assert envelope["type"] == "points.earned"
        assert envelope["source"] == "loyalty"
        data = envelope["data"]
        assert data == {
            "transaction_id": result["transaction_id"],
            "business_id": 1,
            "business_name": "Mazoe Cafe",
            "customer_phone_number": PHONE,
            "amount_spent": data["amount_spent"],
            "points": result["points_earned"],
            "total_points": result["total_points"],
            "timestamp": data["timestamp"],
        }
    first = json.loads(rows[0].envelope)["data"]
    assert first["amount_spent"] == "10.99"
    assert first["timestamp"].endswith("+00:00")


def test_no_outbox_rows_for_subscribers_that_are_not_deployed(start_loyalty):
    loyalty = start_loyalty(reports_url=None)
    loyalty.register_business(1, "Mazoe Cafe")

    loyalty.add_points(1, PHONE, "10.00")

    assert [r.destination for r in loyalty.rows("outbox_message")] == ["notifications"]


# --- refusals ----------------------------------------------------------------------------


def test_add_points_for_another_business_is_403_and_nothing_written(loyalty):
    loyalty.register_business(1, "One")
    loyalty.register_business(2, "Two")
    before = loyalty.counts()

    resp = loyalty.client.post(
        "/transactions/add_points",
        json={"business_id": 2, "customer_phone_number": PHONE, "amount_spent": "10.00"},
        headers=loyalty.business_headers(1),
    )

    assert resp.status_code == 403
    assert resp.json()["error"] == "Forbidden"
    assert loyalty.counts() == before


def test_add_points_with_a_customer_token_is_403(cafe):
    resp = cafe.client.post(
        "/transactions/add_points",
        json={"business_id": 1, "customer_phone_number": PHONE, "amount_spent": "10.00"},
        headers=cafe.customer_headers(PHONE),
    )

    assert resp.status_code == 403
    assert cafe.count("point_transaction") == 0


def _body(**changes):
    body = {"business_id": 1, "customer_phone_number": PHONE, "amount_spent": "10.00"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


BAD_BODIES = {
    "invalid phone": _body(customer_phone_number="12345"),
    "letters for phone": _body(customer_phone_number="not-a-phone"),
    "empty phone": _body(customer_phone_number=""),
    "overlong phone": _body(customer_phone_number="+2637712345678901234567890123456789"),
    "phone as number": _body(customer_phone_number=263771234567),
    "negative amount": _body(amount_spent="-10.00"),
    "zero amount": _body(amount_spent="0"),
    "huge amount": _body(amount_spent="1000000.01"),
    "huge number": _body(amount_spent=10**20),
    "non-numeric amount": _body(amount_spent="ten"),
    "1e400 string": _body(amount_spent="1e400"),
    "3-decimal amount": _body(amount_spent="10.999"),
    "float 3 decimals": _body(amount_spent=10.999),
    "NaN amount": _body(amount_spent="NaN"),
    "Infinity amount": _body(amount_spent="Infinity"),
    "bool amount": _body(amount_spent=True),
    "null amount": _body(amount_spent=None),
    "list amount": _body(amount_spent=["10"]),
    "missing amount": _body(amount_spent=...),
    "missing phone": _body(customer_phone_number=...),
    "missing business": _body(business_id=...),
    "bool business": _body(business_id=True),
    "string business": _body(business_id="1"),
    "zero business": _body(business_id=0),
    "huge business": _body(business_id=2**63),
    "extra field": _body(points=1000),
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_add_points_refuses_bad_input_and_writes_nothing(cafe, body):
    before = cafe.counts()

    resp = cafe.client.post("/transactions/add_points", json=body,
                            headers=cafe.business_headers(1))

    assert resp.status_code == 422, resp.text
    assert resp.json()["error"] == "ValidationError"
    assert resp.json()["detail"]
    assert cafe.counts() == before


def test_add_points_names_the_bad_field(cafe):
    resp = cafe.client.post("/transactions/add_points",
                            json=_body(customer_phone_number="12345"),
                            headers=cafe.business_headers(1))

    assert [e["field"] for e in resp.json()["errors"]] == ["customer_phone_number"]


def test_json_number_1e400_is_refused(cafe):
    raw = '{"business_id": 1, "customer_phone_number": "+263771234567", "amount_spent": 1e400}'

    resp = cafe.client.post("/transactions/add_points", content=raw,
                            headers={**cafe.business_headers(1),
                                     "Content-Type": "application/json"})

    assert resp.status_code == 422
    assert cafe.count("point_transaction") == 0


def test_malformed_json_is_422(cafe):
    resp = cafe.client.post("/transactions/add_points", content="{not json",
                            headers={**cafe.business_headers(1),
                                     "Content-Type": "application/json"})

    assert resp.status_code == 422
    assert cafe.count("point_transaction") == 0


def test_extra_large_body_is_413_and_nothing_written(cafe):
    before = cafe.counts()
    body = _body(customer_phone_number="+263771234567" + " " * 70_000)

    resp = cafe.client.post("/transactions/add_points", json=body,
                            headers=cafe.business_headers(1))

    assert resp.status_code == 413
    assert resp.json()["error"] == "PayloadTooLarge"
    assert cafe.counts() == before


def test_amount_cap_follows_the_setting(start_loyalty):
    loyalty = start_loyalty(max_amount_spent="500")
    loyalty.register_business(1, "Mazoe Cafe")

    over = loyalty.add_points(1, PHONE, "500.01")
    at = loyalty.add_points(1, PHONE, "500.00")

    assert over.status_code == 422
    assert at.status_code == 201


def test_amount_above_the_setting_is_refused_by_name_and_writes_nothing(start_loyalty):
    loyalty = start_loyalty(max_amount_spent="500")
    loyalty.register_business(1, "Mazoe Cafe")
    before = loyalty.counts()

    over = loyalty.add_points(1, PHONE, "500.01")

    assert over.json() == {"detail": "amount_spent must not exceed 500",
                           "error": "AmountTooLarge"}
    assert loyalty.counts() == before


def test_max_amount_spent_cannot_exceed_the_platform_ceiling(make_settings):
    with pytest.raises(ValueError, match="max_amount_spent"):
        make_settings(max_amount_spent="1000000.01")


def test_validation_comes_before_ownership(loyalty):
    resp = loyalty.client.post("/transactions/add_points",
                               json=_body(business_id=2, amount_spent="-1"),
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 422


def test_ownership_comes_before_existence(loyalty):
    resp = loyalty.client.post("/transactions/add_points", json=_body(business_id=99),
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 403
    assert loyalty.auth.lookups() == []

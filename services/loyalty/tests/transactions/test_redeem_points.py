"""``POST /transactions/redeem_points``: the atomic deduction, its refusals, its events."""

from __future__ import annotations

import json

import pytest

PHONE = "+263771234567"
OTHER_PHONE = "+263712345678"


@pytest.fixture
def cafe(loyalty):
    """Business 1 (rate 1) with a customer holding 100 points, and business 2."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="1")
    assert loyalty.add_points(1, PHONE, "100.00").json()["total_points"] == 100
    return loyalty


def code_for(loyalty, business_id=1, phone=PHONE):
    """The customer's redemption code for ``business_id``, or None when it may not ask."""
    resp = loyalty.client.post("/transactions/redemption_codes", json={
        "business_id": business_id, "customer_phone_number": phone},
        headers=loyalty.business_headers(business_id))
    return loyalty.redemption_code(business_id, phone) if resp.status_code == 202 else None


def redeem(loyalty, business_id=1, phone=PHONE, points=30, description="Free coffee", *,
           caller=None, headers=None, code=..., **extra):
    """POST /transactions/redeem_points as ``caller`` (default: ``business_id``), with the
    customer's code (a fresh one unless ``code`` is given; None: without a code)."""
    if code is ...:
        code = code_for(loyalty, business_id, phone) if caller in (None, business_id) else None
    body = {"business_id": business_id, "customer_phone_number": phone,
            "points_to_redeem": points, "reward_description": description, **extra}
    if code is not None:
        body["customer_code"] = code
    return loyalty.client.post(
        "/transactions/redeem_points", json=body,
        headers={**loyalty.business_headers(caller or business_id), **(headers or {})})


def add_reward(loyalty, business_id, name="Free coffee", cost=30, **extra):
    """Create a reward as its business; return its JSON."""
    resp = loyalty.client.post(f"/businesses/{business_id}/rewards",
                               json={"name": name, "points_cost": cost, **extra},
                               headers=loyalty.business_headers(business_id))
    assert resp.status_code == 201, resp.text
    return resp.json()


def balance(loyalty, phone=PHONE):
    """The customer's balance in the database."""
    return next(c.total_points for c in loyalty.rows("customer") if c.phone_number == phone)


def ledger_sum(loyalty):
    """The sum of every ledger row's points."""
    return sum(t.points for t in loyalty.rows("point_transaction"))


# --- the happy path ------------------------------------------------------------------------


def test_redeem_deducts_and_records_a_negative_transaction(cafe):
    resp = redeem(cafe, points=30, headers={"Idempotency-Key": "till-1"})

    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body == {"transaction_id": body["transaction_id"], "points_redeemed": 30,
                    "total_points": 70}
    row = next(t for t in cafe.rows("point_transaction") if t.id == body["transaction_id"])
    assert (row.type, row.points, row.business_id, row.amount_spent) == ("redeem", -30, 1, None)
    assert (row.reward_description, row.reward_id, row.idempotency_key) == (
        "Free coffee", None, "till-1")
    assert balance(cafe) == ledger_sum(cafe) == 70


def test_points_earned_anywhere_can_be_redeemed_anywhere(cafe):
    resp = redeem(cafe, business_id=2, points=100, description="Braai pack")

    assert resp.status_code == 201
    assert resp.json()["total_points"] == 0
    assert balance(cafe) == 0


def test_redeem_accepts_the_local_form_and_trims_the_description(cafe):
    resp = redeem(cafe, phone="077 123 4567", description="  Free coffee  ")

    assert resp.status_code == 201
    assert cafe.rows("point_transaction")[-1].reward_description == "Free coffee"


def test_redeem_emits_points_redeemed_to_notifications_and_reports(cafe):
    reward = add_reward(cafe, 1, cost=30)
    result = redeem(cafe, points=30, reward_id=reward["id"]).json()

    rows = [r for r in cafe.rows("outbox_message") if r.event_type == "points.redeemed"]
    assert sorted(r.destination for r in rows) == ["notifications", "reports"]
    assert rows[0].event_id == rows[1].event_id
    envelope = json.loads(rows[0].envelope)
    assert envelope["source"] == "loyalty"
    assert envelope["data"] == {
        "transaction_id": result["transaction_id"], "business_id": 1,
        "business_name": "Mazoe Cafe", "customer_phone_number": PHONE, "points": 30,
        "reward_description": "Free coffee", "reward_id": reward["id"], "total_points": 70,
        "timestamp": envelope["data"]["timestamp"],
    }
    assert envelope["data"]["timestamp"].endswith("+00:00")


def test_redeeming_the_whole_balance_leaves_zero(cafe):
    assert redeem(cafe, points=100).json()["total_points"] == 0
    assert redeem(cafe, points=1).status_code == 409


# --- idempotency ---------------------------------------------------------------------------


def test_replay_with_the_same_key_redeems_once(cafe):
    headers = {"Idempotency-Key": "till-7-0042"}
    code = code_for(cafe)

    first = redeem(cafe, points=30, headers=headers, code=code)
    again = redeem(cafe, points=30, phone="0771234567", headers=headers, code=code)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert balance(cafe) == 70
    assert len([t for t in cafe.rows("point_transaction") if t.type == "redeem"]) == 1
    assert len([r for r in cafe.rows("outbox_message")
                if r.event_type == "points.redeemed"]) == 2


def test_same_key_with_another_body_is_422(cafe):
    headers = {"Idempotency-Key": "k"}
    redeem(cafe, points=30, headers=headers)

    resp = redeem(cafe, points=31, headers=headers)

    assert resp.status_code == 422
    assert resp.json()["error"] == "IdempotencyKeyReused"
    assert balance(cafe) == 70


def test_keys_are_scoped_per_business_and_route(cafe):
    headers = {"Idempotency-Key": "same"}
    cafe.add_points(1, PHONE, "10.00", headers=headers)

    at_1 = redeem(cafe, points=10, headers=headers)
    at_2 = redeem(cafe, business_id=2, points=10, headers=headers)

    assert at_1.status_code == at_2.status_code == 201
    assert "Idempotent-Replayed" not in at_1.headers
    assert "Idempotent-Replayed" not in at_2.headers
    assert balance(cafe) == 90


def test_a_refused_redemption_keeps_no_key_so_a_later_retry_can_succeed(cafe):
    headers = {"Idempotency-Key": "retry-me"}

    refused = redeem(cafe, points=150, headers=headers)
    cafe.add_points(1, PHONE, "50.00")
    retried = redeem(cafe, points=150, headers=headers)

    assert refused.status_code == 409
    assert retried.status_code == 201
    assert retried.json()["total_points"] == 0


# --- not enough points ---------------------------------------------------------------------


def test_overdraft_is_409_and_changes_nothing(cafe):
    code = code_for(cafe)
    before = cafe.counts()

    resp = redeem(cafe, points=101, headers={"Idempotency-Key": "k-409"}, code=code)

    assert resp.status_code == 409
    assert resp.json() == {"detail": "The customer has 100 points and needs 101 points",
                           "error": "InsufficientPoints"}
    assert cafe.counts() == before
    assert balance(cafe) == ledger_sum(cafe) == 100


def test_unknown_customer_has_zero_points_and_is_not_created(cafe):
    code = code_for(cafe, phone=OTHER_PHONE)
    before = cafe.counts()

    resp = redeem(cafe, phone=OTHER_PHONE, points=1, code=code)

    assert resp.status_code == 409
    assert resp.json() == {"detail": "The customer has 0 points and needs 1 point",
                           "error": "InsufficientPoints"}
    assert cafe.counts() == before


# --- catalog rewards -----------------------------------------------------------------------


def test_redeeming_a_catalog_reward_records_its_id(cafe):
    reward = add_reward(cafe, 1, name="Free muffin", cost=40)

    resp = redeem(cafe, points=40, description="Free muffin", reward_id=reward["id"])

    assert resp.status_code == 201
    assert cafe.rows("point_transaction")[-1].reward_id == reward["id"]


def test_reward_cost_must_match_points_to_redeem(cafe):
    reward = add_reward(cafe, 1, cost=40)
    code = code_for(cafe)
    before = cafe.counts()

    resp = redeem(cafe, points=30, reward_id=reward["id"], code=code)

    assert resp.status_code == 422
    assert resp.json() == {"detail": "points_to_redeem is 30 but this reward costs 40 points",
                           "error": "RewardCostMismatch"}
    assert cafe.counts() == before


def test_another_business_reward_is_404(cafe):
    theirs = add_reward(cafe, 2, cost=30)
    code = code_for(cafe)
    before = cafe.counts()

    resp = redeem(cafe, points=30, reward_id=theirs["id"], code=code)

    assert resp.status_code == 404
    assert resp.json()["error"] == "RewardNotFound"
    assert cafe.counts() == before


def test_unknown_reward_is_404(cafe):
    resp = redeem(cafe, points=30, reward_id=999)

    assert resp.status_code == 404
    assert resp.json()["error"] == "RewardNotFound"


def test_deactivated_reward_cannot_be_redeemed(cafe):
    reward = add_reward(cafe, 1, cost=30)
    cafe.client.delete(f"/businesses/1/rewards/{reward['id']}",
                       headers=cafe.business_headers(1))
    code = code_for(cafe)
    before = cafe.counts()

    resp = redeem(cafe, points=30, reward_id=reward["id"], code=code)

    assert resp.status_code == 422
    assert resp.json()["error"] == "RewardInactive"
    assert cafe.counts() == before


def test_reward_checks_come_before_the_balance(cafe):
    reward = add_reward(cafe, 1, cost=500)

    mismatch = redeem(cafe, points=400, reward_id=reward["id"])
    too_poor = redeem(cafe, points=500, reward_id=reward["id"])

    assert mismatch.status_code == 422
    assert too_poor.status_code == 409


# --- who may redeem ------------------------------------------------------------------------


def test_redeem_for_another_business_is_403_and_changes_nothing(cafe):
    before = cafe.counts()

    resp = redeem(cafe, business_id=2, caller=1)

    assert resp.status_code == 403
    assert resp.json() == {"detail": "You can only act on your own business",
                           "error": "Forbidden"}
    assert cafe.counts() == before


def test_redeem_with_a_customer_token_is_403(cafe):
    resp = cafe.client.post("/transactions/redeem_points", json={
        "business_id": 1, "customer_phone_number": PHONE, "points_to_redeem": 10,
        "reward_description": "x"}, headers=cafe.customer_headers(PHONE))

    assert resp.status_code == 403
    assert balance(cafe) == 100


def test_redeem_at_an_unknown_own_business_is_404(cafe):
    resp = redeem(cafe, business_id=9)

    assert resp.status_code == 404
    assert resp.json()["error"] == "BusinessNotFound"


def _body(**changes):
    body = {"business_id": 1, "customer_phone_number": PHONE, "points_to_redeem": 10,
            "reward_description": "Free coffee"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


BAD_BODIES = {
    "zero points": _body(points_to_redeem=0),
    "negative points": _body(points_to_redeem=-10),
    "fractional points": _body(points_to_redeem=10.5),
    "string points": _body(points_to_redeem="10"),
    "bool points": _body(points_to_redeem=True),
    "huge points": _body(points_to_redeem=10**12),
    "null points": _body(points_to_redeem=None),
    "missing points": _body(points_to_redeem=...),
    "empty description": _body(reward_description=""),
    "blank description": _body(reward_description="   "),
    "long description": _body(reward_description="x" * 201),
    "missing description": _body(reward_description=...),
    "numeric description": _body(reward_description=5),
    "invalid phone": _body(customer_phone_number="12345"),
    "missing phone": _body(customer_phone_number=...),
    "string business": _body(business_id="1"),
    "missing business": _body(business_id=...),
    "zero reward id": _body(reward_id=0),
    "string reward id": _body(reward_id="1"),
    "huge reward id": _body(reward_id=2**40),
    "extra field": _body(total_points=1000),
    "short code": _body(customer_code="12345"),
    "long code": _body(customer_code="1234567"),
    "letters in the code": _body(customer_code="12a456"),
    "numeric code": _body(customer_code=123456),
}


def test_redeem_refuses_bad_input_and_changes_nothing(cafe, subtests):
    before = cafe.counts()

    for case, body in BAD_BODIES.items():
        with subtests.test(case=case):
            resp = cafe.client.post("/transactions/redeem_points", json=body,
                                    headers=cafe.business_headers(1))

            assert resp.status_code == 422, resp.text
            assert resp.json()["error"] == "ValidationError"
            assert cafe.counts() == before
    assert balance(cafe) == 100


def test_two_hundred_character_description_is_accepted(cafe):
    assert redeem(cafe, description="x" * 200).status_code == 201

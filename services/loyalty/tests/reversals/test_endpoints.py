"""``POST /transactions/{transaction_id}/reverse``: refunds that take points back, never
more than the original, never below a zero balance."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from mubayiro.loyalty.models import outbox

PHONE = "+263771234567"


@pytest.fixture
def cafe(loyalty):
    """Loyalty with business 1 (rate 1.5) and business 2 (rate 1) registered."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1.5")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="1")
    return loyalty


def _earn(loyalty, amount, business_id=1):
    resp = loyalty.add_points(business_id, PHONE, amount)
    assert resp.status_code == 201, resp.text
    return resp.json()["transaction_id"]


def _events(loyalty, event_type):
    with loyalty.app.state.database.session(write=False) as s:
        return [json.loads(e)["data"] for e in s.scalars(
            select(outbox.c.envelope).where(outbox.c.event_type == event_type,
                                            outbox.c.destination == "reports")
            .order_by(outbox.c.id))]


def test_buy_redeem_then_refund_takes_what_is_left_and_records_the_shortfall(cafe):
    earn = _earn(cafe, "100.00")  # 150 points
    assert cafe.redeem(1, PHONE, 120).status_code == 201

    resp = cafe.reverse(1, earn, reason="Returned the shoes")

    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body == {"transaction_id": body["transaction_id"], "reversed_transaction_id": earn,
                    "points": -30, "shortfall": 120, "amount": "100.00", "total_points": 0}
    row = cafe.rows("point_transaction")[-1]
    assert (row.type, row.points, row.shortfall, row.reversed_transaction_id,
            row.amount_spent, row.reward_description) == (
        "reversal", -30, 120, earn, 100, "Returned the shoes")
    original = cafe.rows("point_transaction")[0]
    assert (original.type, original.points, original.amount_spent) == ("earn", 150, 100)
    assert cafe.balances_match_ledger() == {PHONE: 0}
    # The shortfall counts as reversed: the purchase is reversed in full.
    again = cafe.reverse(1, earn)
    assert again.status_code == 409 and again.json()["error"] == "AlreadyReversed"


def test_partial_refunds_take_back_points_by_the_rate_of_the_purchase(cafe):
    earn = _earn(cafe, "10.99")  # floor(10.99 × 1.5) = 16
    cafe.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "3"},
                     headers=cafe.business_headers(1))

    first = cafe.reverse(1, earn, amount="5.00")
    second = cafe.reverse(1, earn, amount="5.99")

    # 5.00 × 1.5 = 7.5 → 7; then all 10.99 refunded: 16 in all, so 9 more.
    assert (first.json()["points"], second.json()["points"]) == (-7, -9)
    assert second.json()["total_points"] == 0
    assert cafe.reverse(1, earn, amount="0.01").json()["error"] == "AlreadyReversed"
    assert cafe.balances_match_ledger() == {PHONE: 0}


def test_partial_refunds_adding_up_to_more_than_the_purchase_are_refused(cafe):
    earn = _earn(cafe, "20.00")  # 30 points
    assert cafe.reverse(1, earn, amount="12.00").status_code == 201
    before = cafe.counts()

    refused = cafe.reverse(1, earn, amount="8.01")
    refused_whole = cafe.reverse(1, earn, amount="20.00")

    assert refused.status_code == 409
    assert refused.json() == {"detail": "Only 8.00 of this purchase of 20.00 is left to refund",
                              "error": "ReversalTooLarge"}
    assert refused_whole.json()["error"] == "ReversalTooLarge"
    assert cafe.counts() == before
    rest = cafe.reverse(1, earn)  # no amount: the rest of the purchase
    assert (rest.json()["amount"], rest.json()["points"]) == ("8.00", -12)
    assert cafe.balances_match_ledger() == {PHONE: 0}


def test_reversing_a_redemption_gives_the_points_back_once(cafe):
    _earn(cafe, "100.00")
    redemption = cafe.redeem(1, PHONE, 50).json()["transaction_id"]

    resp = cafe.reverse(1, redemption)
    second = cafe.reverse(1, redemption)

    assert resp.status_code == 201
    assert (resp.json()["points"], resp.json()["shortfall"], resp.json()["amount"],
            resp.json()["total_points"]) == (50, 0, None, 150)
    assert second.status_code == 409 and second.json()["error"] == "AlreadyReversed"
    assert cafe.balances_match_ledger() == {PHONE: 150}


def test_a_second_full_reversal_is_refused_and_changes_nothing(cafe):
    earn = _earn(cafe, "10.00")
    assert cafe.reverse(1, earn).status_code == 201
    before = cafe.counts()

    second = cafe.reverse(1, earn)

    assert second.status_code == 409
    assert second.json() == {"detail": "This transaction has already been reversed in full",
                             "error": "AlreadyReversed"}
    assert cafe.counts() == before


def test_a_redemption_or_bonus_is_reversed_whole_only(cafe):
    _earn(cafe, "100.00")
    redemption = cafe.redeem(1, PHONE, 50).json()["transaction_id"]

    resp = cafe.reverse(1, redemption, amount="5.00")

    assert resp.status_code == 422 and resp.json()["error"] == "AmountNotApplicable"


def test_a_referral_bonus_is_taken_back_by_the_business_that_paid_it(cafe):
    bonus = cafe.client.post(
        "/internal/transactions/referral_bonus",
        json={"business_id": 2, "customer_phone_number": PHONE, "points": 40, "referral_id": 1},
        headers={**cafe.service_headers("referrals"), "Idempotency-Key": "referral-1"},
    ).json()["transaction_id"]

    by_other = cafe.reverse(1, bonus)
    by_payer = cafe.reverse(2, bonus, reason="Referral was a duplicate")

    assert by_other.status_code == 404 and by_other.json()["error"] == "TransactionNotFound"
    assert by_payer.status_code == 201
    assert (by_payer.json()["points"], by_payer.json()["total_points"]) == (-40, 0)


def test_another_business_cannot_reverse_or_see_a_transaction(cafe):
    earn = _earn(cafe, "10.00")
    before = cafe.counts()

    other = cafe.reverse(2, earn)
    unknown = cafe.reverse(1, 999_999)

    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json() == {"detail": "Transaction not found",
                                              "error": "TransactionNotFound"}
    assert cafe.counts() == before


def test_only_earns_redemptions_and_bonuses_can_be_reversed(cafe):
    earn = _earn(cafe, "10.00")
    reversal = cafe.reverse(1, earn, amount="1.00").json()["transaction_id"]

    resp = cafe.reverse(1, reversal)

    assert resp.status_code == 409 and resp.json()["error"] == "NotReversible"


@pytest.mark.parametrize("body", [{"amount": "0"}, {"amount": "-1.00"}, {"amount": "1.001"},
                                  {"amount": "1e400"}, {"reason": ""}, {"reason": "x" * 201},
                                  {"reason": "refund\u202e"},
                                  {"points": 5}])
def test_bad_bodies_are_422(cafe, body):
    earn = _earn(cafe, "10.00")

    resp = cafe.reverse(1, earn, **body)

    assert resp.status_code == 422, resp.text


@pytest.mark.parametrize("path", ["/transactions/0/reverse", "/transactions/abc/reverse",
                                  f"/transactions/{2**63}/reverse"])
def test_bad_transaction_ids_are_422(cafe, path):
    assert cafe.client.post(path, json={}, headers=cafe.business_headers(1)).status_code == 422


def test_no_body_reverses_it_all_and_tokens_are_checked(cafe):
    earn = _earn(cafe, "10.00")

    unauthenticated = cafe.client.post(f"/transactions/{earn}/reverse")
    as_customer = cafe.client.post(f"/transactions/{earn}/reverse",
                                   headers=cafe.customer_headers(PHONE))
    no_body = cafe.client.post(f"/transactions/{earn}/reverse",
                               headers=cafe.business_headers(1, staff_id=9,
                                                             staff_role="cashier"))

    assert unauthenticated.status_code == 401
    assert as_customer.status_code == 403
    assert no_body.status_code == 201 and no_body.json()["points"] == -15
    assert cafe.rows("point_transaction")[-1].staff_id == 9


def test_a_suspended_business_cannot_reverse(cafe):
    earn = _earn(cafe, "10.00")
    cafe.send_event("business.updated", {"business_id": 1, "name": "Mazoe Cafe",
                                         "status": "suspended"})

    resp = cafe.reverse(1, earn)

    assert resp.status_code == 403 and resp.json()["error"] == "BusinessNotActive"


def test_idempotency_key_replays_the_first_reversal(cafe):
    earn = _earn(cafe, "10.00")
    key = {"Idempotency-Key": "refund-1"}

    first = cafe.reverse(1, earn, headers=key, amount="2.00")
    replay = cafe.reverse(1, earn, headers=key, amount="2.00")
    reused = cafe.reverse(1, earn, headers=key, amount="3.00")

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert reused.status_code == 422 and reused.json()["error"] == "IdempotencyKeyReused"
    assert cafe.count("point_transaction") == 2
    assert cafe.rows("point_transaction")[-1].idempotency_key == "refund-1"


def test_the_reversal_event_goes_to_notifications_and_reports_with_the_row(cafe):
    earn = _earn(cafe, "10.00")
    cafe.redeem(1, PHONE, 10)

    reversal = cafe.reverse(1, earn, amount="10.00", reason="Refund at the till").json()

    [data] = _events(cafe, "points.reversed")
    assert data == {
        "transaction_id": reversal["transaction_id"], "reversed_transaction_id": earn,
        "reversed_type": "earn", "business_id": 1, "business_name": "Mazoe Cafe",
        "customer_phone_number": PHONE, "amount": "10.00", "points": -5, "shortfall": 10,
        "reason": "Refund at the till", "total_points": 0, "timestamp": data["timestamp"],
    }
    with cafe.app.state.database.session(write=False) as s:
        destinations = set(s.scalars(select(outbox.c.destination)
                                     .where(outbox.c.event_type == "points.reversed")))
    assert destinations == {"notifications", "reports"}


def test_the_reversal_shows_in_both_histories_linked_to_its_original(cafe):
    earn = _earn(cafe, "10.00")
    cafe.redeem(1, PHONE, 10)
    cafe.reverse(1, earn)

    mine = cafe.client.get(f"/customers/{PHONE}/transactions",
                           headers=cafe.customer_headers(PHONE)).json()
    theirs = cafe.client.get(f"/businesses/1/customers/{PHONE}",
                             headers=cafe.business_headers(1)).json()["transactions"]

    assert [(r["type"], r["points"], r["reversed_transaction_id"], r["shortfall"])
            for r in mine] == [("reversal", -5, earn, 10), ("redeem", -10, None, None),
                               ("earn", 15, None, None)]
    assert theirs == mine


def test_50_concurrent_reversals_never_exceed_the_original(loyalty, reversal_race):
    reversal_race(loyalty)

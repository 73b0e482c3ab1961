"""Issue 11 in loyalty: who may create and spend value, and what a shop may see.

- only an active business awards, redeems or asks for codes (403 ``BusinessNotActive``);
- awards stay within the business's limits per transaction and per day;
- a redemption needs the customer's code (428 without, 403 when wrong, nothing changes);
- a shop cannot tell another shop's customer from a stranger;
- every ledger row names the staff member who made it; cashiers cannot configure.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from mubayiro.common.db import utcnow
from mubayiro.loyalty.models import RedemptionCode

PHONE = "+263771234567"
STRANGER = "+263719999999"


@pytest.fixture
def shops(loyalty):
    """Business 1 (rate 1) where the customer earned 100 points, and business 2."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="1")
    assert loyalty.add_points(1, PHONE, "100.00").status_code == 201
    return loyalty


def set_status(loyalty, business_id, status, *, at="2026-11-25T10:00:00Z"):
    """Deliver auth's ``business.updated`` carrying ``status``."""
    loyalty._event_seq += 1
    resp = loyalty.client.post("/internal/events", headers=loyalty.service_headers(), json={
        "id": f"status-{loyalty._event_seq}", "type": "business.updated", "source": "auth",
        "occurred_at": at, "data": {"business_id": business_id, "name": "Mazoe Cafe",
                                    "status": status}})
    assert resp.status_code == 200, resp.text


def ask_code(loyalty, business_id, phone, **headers):
    return loyalty.client.post("/transactions/redemption_codes", json={
        "business_id": business_id, "customer_phone_number": phone},
        headers={**loyalty.business_headers(business_id), **headers})


def redeem_body(business_id=1, phone=PHONE, points=10, **extra):
    return {"business_id": business_id, "customer_phone_number": phone,
            "points_to_redeem": points, "reward_description": "Free coffee", **extra}


def balance(loyalty, phone=PHONE):
    return next(c.total_points for c in loyalty.rows("customer") if c.phone_number == phone)


# --- business status -------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_an_unapproved_business_cannot_award_redeem_or_ask_for_codes(shops, status):
    code = shops.redemption_code(1, PHONE)
    set_status(shops, 1, status)
    before = shops.counts()

    award = shops.add_points(1, PHONE, "10.00")
    spend = shops.redeem(1, PHONE, 10, code=code)
    ask = ask_code(shops, 1, PHONE)

    for resp in (award, spend, ask):
        assert resp.status_code == 403, resp.text
        assert resp.json()["error"] == "BusinessNotActive"
    assert shops.counts() == before
    assert balance(shops) == 100


def test_a_pending_business_still_configures_its_program(shops):
    set_status(shops, 1, "pending")

    rate = shops.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "2"},
                             headers=shops.business_headers(1))
    reward = shops.client.post("/businesses/1/rewards", json={"name": "Tea", "points_cost": 5},
                               headers=shops.business_headers(1))

    assert rate.status_code == 200 and reward.status_code == 201


def test_an_approved_business_awards_again_and_an_older_event_cannot_undo_it(shops):
    set_status(shops, 1, "pending", at="2026-11-25T10:00:00Z")
    set_status(shops, 1, "active", at="2026-11-25T11:00:00Z")
    set_status(shops, 1, "pending", at="2026-11-25T10:30:00Z")  # redelivered late

    assert shops.add_points(1, PHONE, "5.00").status_code == 201


def test_an_event_without_a_status_keeps_the_copy_s_status(shops):
    set_status(shops, 1, "suspended")
    shops.send_event("business.updated", {"business_id": 1, "name": "Mazoe Cafe Ltd"})

    assert shops.add_points(1, PHONE, "5.00").json()["error"] == "BusinessNotActive"


def test_a_referral_bonus_of_an_unapproved_business_is_refused(shops):
    set_status(shops, 2, "suspended")

    resp = shops.client.post(
        "/internal/transactions/referral_bonus",
        headers={**shops.service_headers("referrals"), "Idempotency-Key": "referral-1"},
        json={"business_id": 2, "customer_phone_number": PHONE, "points": 10,
              "referral_id": 1})

    assert resp.status_code == 403
    assert resp.json()["error"] == "BusinessNotActive"
    assert shops.count("idempotency_record") == 0


def test_the_status_comes_from_auth_for_a_business_loyalty_has_not_heard_of(loyalty):
    loyalty.auth.add_business(7, "New Shop")
    with loyalty.auth.peers.client(loyalty.auth.HOST).app.state.database.session() as s:
        from mubayiro.auth.models import Business as AuthBusiness
        s.get(AuthBusiness, 7).status = "pending"

    resp = loyalty.add_points(7, PHONE, "5.00")

    assert resp.status_code == 403
    assert resp.json()["error"] == "BusinessNotActive"


# --- award limits ----------------------------------------------------------------------


def test_an_award_over_the_limit_per_transaction_is_refused(start_loyalty):
    loyalty = start_loyalty(award_limit_per_transaction=1000, award_limit_per_day=5000)
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="10")

    over = loyalty.add_points(1, PHONE, "100.10", headers={"Idempotency-Key": "big"})
    at = loyalty.add_points(1, PHONE, "100.00")

    assert over.status_code == 422
    assert over.json()["error"] == "AwardLimitExceeded"
    assert "1000 points" in over.json()["detail"]
    assert at.status_code == 201 and at.json()["points_earned"] == 1000
    assert loyalty.count("point_transaction") == 1


def test_awards_beyond_the_daily_limit_are_refused_until_midnight(start_loyalty):
    loyalty = start_loyalty(award_limit_per_transaction=1000, award_limit_per_day=2500)
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="1")
    for _ in range(2):
        assert loyalty.add_points(1, PHONE, "1000.00").status_code == 201
    before = loyalty.counts()

    over = loyalty.add_points(1, PHONE, "501.00")

    assert over.status_code == 429
    assert over.json()["error"] == "DailyAwardLimitReached"
    assert "2000 points today" in over.json()["detail"]
    assert 0 < int(over.headers["Retry-After"]) <= 86400
    assert loyalty.counts() == before
    assert loyalty.add_points(1, PHONE, "500.00").status_code == 201  # exactly the limit
    assert loyalty.add_points(2, PHONE, "1000.00").status_code == 201  # another business


def test_the_operator_s_limits_replace_the_defaults(loyalty):
    from mubayiro.loyalty.__main__ import main

    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    settings = loyalty.app.state.settings
    env_url = settings.sqlalchemy_url

    assert main(["limits", "1", "--per-transaction", "50", "--per-day", "60"],
                settings=settings) == 0
    assert loyalty.add_points(1, PHONE, "51.00").json()["error"] == "AwardLimitExceeded"
    assert loyalty.add_points(1, PHONE, "50.00").status_code == 201
    assert loyalty.add_points(1, PHONE, "11.00").json()["error"] == "DailyAwardLimitReached"
    assert main(["limits", "1", "--per-transaction", "80"], settings=settings) == 1  # > per day
    assert main(["limits", "1", "--reset"], settings=settings) == 0
    assert loyalty.add_points(1, PHONE, "11.00").status_code == 201
    assert env_url == loyalty.app.state.settings.sqlalchemy_url


# --- consent to spend ------------------------------------------------------------------


def test_a_redemption_without_the_customer_s_code_changes_nothing(shops):
    before = shops.counts()

    resp = shops.client.post("/transactions/redeem_points", json=redeem_body(2, points=100),
                             headers={**shops.business_headers(2), "Idempotency-Key": "k"})

    assert resp.status_code == 428
    assert resp.json()["error"] == "CustomerCodeRequired"
    assert shops.counts() == before
    assert balance(shops) == 100


def test_asking_for_a_code_texts_the_customer_through_notifications(shops):
    resp = ask_code(shops, 2, "0771234567")

    assert resp.status_code == 202
    assert resp.json()["customer_phone_number"] == PHONE
    [row] = [r for r in shops.rows("outbox_message")
             if r.event_type == "redemption_code.requested"]
    assert row.destination == "notifications"
    data = json.loads(row.envelope)["data"]
    assert data["business_name"] == "Harare Butchery"
    assert len(data["code"]) == 6 and data["code"].isdigit()
    [stored] = shops.rows("redemption_code")
    assert data["code"] not in (stored.code_hash, stored.salt)


def test_asking_for_a_code_looks_the_same_for_a_stranger(shops):
    known, stranger = ask_code(shops, 2, PHONE), ask_code(shops, 2, STRANGER)

    assert known.status_code == stranger.status_code == 202
    assert set(known.json()) == set(stranger.json()) == {"customer_phone_number", "expires_at"}


def test_the_right_code_works_for_a_whole_visit(shops):
    code = shops.redemption_code(2, PHONE)

    first = shops.redeem(2, PHONE, 30, code=code)
    second = shops.redeem(2, PHONE, 20, code=code)

    assert first.status_code == second.status_code == 201
    assert second.json()["total_points"] == 50


def test_a_wrong_code_spends_a_try_changes_nothing_else_and_keeps_no_key(shops):
    code = shops.redemption_code(2, PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    before = shops.counts()

    resp = shops.redeem(2, PHONE, 10, code=wrong, headers={"Idempotency-Key": "till-1"})

    assert resp.status_code == 403
    assert resp.json()["error"] == "InvalidCustomerCode"
    assert "4 tries left" in resp.json()["detail"]
    assert shops.counts() == before
    assert [r.attempts for r in shops.rows("redemption_code")] == [1]
    retried = shops.redeem(2, PHONE, 10, code=code, headers={"Idempotency-Key": "till-1"})
    assert retried.status_code == 201


def test_five_wrong_tries_kill_the_code(shops):
    code = shops.redemption_code(2, PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert shops.redeem(2, PHONE, 10, code=wrong).status_code == 403

    resp = shops.redeem(2, PHONE, 10, code=code)

    assert resp.status_code == 403
    assert resp.json()["error"] == "InvalidCustomerCode"
    assert balance(shops) == 100


def test_an_expired_superseded_or_other_shop_s_code_is_refused(shops):
    old = shops.redemption_code(2, PHONE)
    new = shops.redemption_code(2, PHONE)
    mine = shops.redemption_code(1, PHONE)

    superseded = shops.redeem(2, PHONE, 10, code=old) if old != new else None
    other_shops = shops.redeem(2, PHONE, 10, code=mine) if mine != new else None
    with shops.app.state.database.session() as s:
        s.execute(update(RedemptionCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    expired = shops.redeem(2, PHONE, 10, code=new)

    for resp in (superseded, other_shops, expired):
        if resp is not None:
            assert resp.status_code == 403
            assert resp.json()["error"] == "InvalidCustomerCode"
    assert balance(shops) == 100


def test_codes_for_one_phone_are_rate_limited(start_loyalty):
    loyalty = start_loyalty(redemption_code_max_requests_per_hour=2)
    loyalty.register_business(1, "Mazoe Cafe")

    answers = [ask_code(loyalty, 1, PHONE).status_code for _ in range(3)]

    assert answers == [202, 202, 429]
    assert ask_code(loyalty, 1, STRANGER).status_code == 202


# --- no membership leaks ---------------------------------------------------------------


def test_a_shop_cannot_tell_another_shop_s_customer_from_a_stranger(start_loyalty):
    loyalty = start_loyalty(require_customer_code=False)
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="1")
    loyalty.add_points(1, PHONE, "100.00")

    def answers(phone):
        look = loyalty.client.get(f"/businesses/2/customers/{phone}",
                                  headers=loyalty.business_headers(2))
        spend = loyalty.client.post("/transactions/redeem_points",
                                    json=redeem_body(2, phone, points=500),
                                    headers=loyalty.business_headers(2))
        internal = loyalty.client.get(f"/internal/businesses/2/customers/{phone}",
                                      headers=loyalty.service_headers("mcp"))
        return [(r.status_code, r.json()) for r in (look, spend, internal)]

    assert answers(PHONE) == answers(STRANGER) == [
        (404, {"detail": "Customer not found", "error": "CustomerNotFound"})] * 3
    loyalty.add_points(2, PHONE, "1.00")  # now a customer of business 2 as well
    spend = loyalty.client.post("/transactions/redeem_points", json=redeem_body(2, points=500),
                                headers=loyalty.business_headers(2))
    assert spend.status_code == 409 and "101 points" in spend.json()["detail"]


# --- staff -----------------------------------------------------------------------------


def test_every_row_names_the_staff_member_and_the_owner_can_filter_by_it(shops):
    cashier = shops.business_headers(1, staff_id=5, staff_role="cashier")
    owner = shops.business_headers(1, staff_id=1, staff_role="owner")
    earned = shops.add_points(1, PHONE, "7.00", headers=cashier).json()
    code = shops.redemption_code(1, PHONE, headers=cashier)
    spent = shops.redeem(1, PHONE, 3, code=code, headers=cashier).json()

    mine = shops.client.get("/businesses/1/transactions?staff_id=5", headers=owner).json()
    everyone = shops.client.get("/businesses/1/transactions", headers=owner).json()

    assert [(r["id"], r["staff_id"]) for r in mine] == [
        (spent["transaction_id"], 5), (earned["transaction_id"], 5)]
    assert [r["staff_id"] for r in everyone] == [5, 5, None]


OWNER_ONLY = [
    ("POST", "/businesses/1/loyalty_rules", {"loyalty_rate": "5"}),
    ("POST", "/businesses/1/rewards", {"name": "Tea", "points_cost": 5}),
    ("GET", "/businesses/1/cross_promotions", None),
    ("PUT", "/businesses/1/cross_promotions", {"partner_business_ids": [2]}),
    ("GET", "/businesses/1/transactions", None),
]


def test_a_cashier_cannot_change_the_rate_or_the_catalog_or_read_the_ledger(shops):
    cashier = shops.business_headers(1, staff_id=5, staff_role="cashier")
    before = shops.counts()

    for method, path, body in OWNER_ONLY:
        resp = shops.client.request(method, path, json=body, headers=cashier)
        assert resp.status_code == 403, (path, resp.text)
        assert resp.json()["error"] == "OwnerOnly"
    assert shops.counts() == before


def test_a_cashier_awards_redeems_and_looks_customers_up(shops):
    cashier = shops.business_headers(1, staff_id=5, staff_role="cashier")

    assert shops.add_points(1, PHONE, "1.00", headers=cashier).status_code == 201
    assert shops.client.get(f"/businesses/1/customers/{PHONE}",
                            headers=cashier).status_code == 200
    assert shops.client.get("/businesses/1/rewards", headers=cashier).status_code == 200

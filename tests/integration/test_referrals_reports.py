"""Referrals and reports end to end: real processes, real HTTP, through the gateway."""

import random
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from mubayiro.common.testing import wait_until
from tests.helpers import earn, new_phone, register_business, track_referral, unique
from tests.integration.consent import redemption_code


def balance(gw, business_id, headers, phone) -> int:
    r = gw.get(f"/businesses/{business_id}/customers/{phone}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["total_points"]


def test_track_complete_pays_the_referrer_once(gw, business):
    business_id, headers, _ = business
    referrer, friend = new_phone(), new_phone()
    earn(gw, business_id, headers, referrer, 10)
    r = track_referral(gw, business_id, headers, friend, referrer)
    assert r.status_code == 201, r.text
    referral = r.json()
    assert referral["status"] == "pending"
    earn(gw, business_id, headers, friend, 1)  # a referral is completed once the friend buys
    done = gw.post("/referrals/complete", headers=headers, json={
        "referral_id": referral["id"], "points_to_award_referrer": 50})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    again = gw.post("/referrals/complete", headers=headers, json={
        "referral_id": referral["id"], "points_to_award_referrer": 50})
    assert again.status_code == 409
    assert balance(gw, business_id, headers, referrer) == 60
    listed = gw.get("/referrals", params={"status": "completed"}, headers=headers).json()
    assert referral["id"] in [item["id"] for item in listed["items"]]


def test_complete_retried_after_loyalty_was_down_pays_once(gw, business, platform):
    business_id, headers, _ = business
    referrer, friend = new_phone(), new_phone()
    earn(gw, business_id, headers, referrer, 5)
    referral = track_referral(gw, business_id, headers, friend, referrer).json()
    earn(gw, business_id, headers, friend, 1)
    platform.stop("loyalty")
    try:
        failed = gw.post("/referrals/complete", headers=headers, json={
            "referral_id": referral["id"], "points_to_award_referrer": 25})
        assert failed.status_code in (502, 503, 504), failed.text
    finally:
        platform.start("loyalty")
    pending = gw.get("/referrals", params={"status": "pending"}, headers=headers).json()
    assert referral["id"] in [item["id"] for item in pending["items"]]
    retried = gw.post("/referrals/complete", headers=headers, json={
        "referral_id": referral["id"], "points_to_award_referrer": 25})
    assert retried.status_code == 200, retried.text
    assert balance(gw, business_id, headers, referrer) == 30


def test_referrals_are_private_to_their_business(gw, business):
    business_id, headers, _ = business
    other_id, other_headers, _ = register_business(gw, "Glen View Hardware", loyalty_rate="1")
    referrer, friend = new_phone(), new_phone()
    earn(gw, business_id, headers, referrer, 5)
    referral = track_referral(gw, business_id, headers, friend, referrer).json()
    assert track_referral(gw, business_id, other_headers, new_phone(), referrer).status_code == 403
    theirs = gw.get("/referrals", headers=other_headers).json()
    assert referral["id"] not in [item["id"] for item in theirs["items"]]
    assert gw.post("/referrals/complete", headers=other_headers, json={
        "referral_id": referral["id"], "points_to_award_referrer": 5}).status_code in (403, 404)
    assert gw.get("/reports/summary", params={"business_id": business_id},
                  headers=other_headers).status_code == 403


def _expected_figures(rows: list[dict]) -> dict:
    issued = sum(t["points"] for t in rows if t["type"] in ("earn", "referral_bonus"))
    redeemed = [t for t in rows if t["type"] == "redeem"]
    earned_by: dict[str, int] = defaultdict(int)
    for t in rows:
        if t["type"] in ("earn", "referral_bonus"):
            earned_by[t["customer_phone_number"]] += t["points"]
    return {
        "total_points_issued": issued,
        "redemptions": {"count": len(redeemed), "points": -sum(t["points"] for t in redeemed)},
        "customer_count": len({t["customer_phone_number"] for t in rows}),
        "top": sorted(earned_by.values(), reverse=True)[:5],
    }


def _report(gw, headers) -> dict:
    summary = gw.get("/reports/summary", headers=headers)
    assert summary.status_code == 200, summary.text
    return summary.json()


def _matches(summary: dict, expected: dict) -> bool:
    return (
        summary["total_points_issued"] == expected["total_points_issued"]
        and summary["total_redemptions"] == expected["redemptions"]
        and summary["customer_count"] == expected["customer_count"]
        and [c["points_earned"] for c in summary["top_customers"]] == expected["top"]
    )


@pytest.mark.parametrize("reports_down", [False, True], ids=["live", "reports-restarted"])
def test_reports_agree_with_loyalty(gw, platform, reports_down):
    rng = random.Random(7 if reports_down else 3)
    shops = [register_business(gw, unique(f"Shop {n}"), loyalty_rate="1")[:2] for n in range(3)]
    phones = [new_phone() for _ in range(25)]
    codes: dict[tuple[int, str], str] = {}
    if reports_down:
        platform.stop("reports")
    try:
        for _ in range(240):
            business_id, headers = rng.choice(shops)
            phone = rng.choice(phones)
            if rng.random() < 0.75:
                earn(gw, business_id, headers, phone, rng.randint(1, 40))
            else:
                if (business_id, phone) not in codes:  # one code lasts the whole test
                    codes[business_id, phone] = redemption_code(gw, headers, business_id, phone)
                r = gw.post("/transactions/redeem_points", headers=headers, json={
                    "business_id": business_id, "customer_phone_number": phone,
                    "points_to_redeem": rng.randint(1, 30), "reward_description": "Discount",
                    "customer_code": codes[business_id, phone]})
                assert r.status_code in (201, 409), r.text
    finally:
        if reports_down:
            platform.start("reports")
    today = datetime.now(UTC).date().isoformat()
    for business_id, headers in shops:
        rows = gw.get(f"/businesses/{business_id}/transactions", params={"limit": 200},
                      headers=headers).json()
        assert len(rows) < 200, "the check needs every transaction of the business"
        expected = _expected_figures(rows)
        summary = wait_until(lambda h=headers, e=expected: (
            s if _matches(s := _report(gw, h), e) else None), timeout=30,
            message="reports to converge with loyalty")
        daily = {d["date"]: d for d in summary["daily"]}
        assert daily[today]["points_issued"] == expected["total_points_issued"]
        assert daily[today]["points_redeemed"] == expected["redemptions"]["points"]

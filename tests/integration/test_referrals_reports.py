"""Referrals and reports end to end: real processes, real HTTP, through the gateway."""

import random
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from mubayiro.common.testing import wait_until
from tests.helpers import (
    earn,
    new_phone,
    register_business,
    sms_bodies,
    track_referral,
    unique,
)
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
    """Every figure reports must show for a business, computed from loyalty's own rows of
    it (docs/api.md, *Reports*: each kind of row on its own; a reversal takes back when its
    points are <= 0 and gives a redemption back when > 0)."""
    def points(kind: str, keep=lambda t: True) -> int:
        return sum(t["points"] for t in rows if t["type"] == kind and keep(t))

    issued = points("earn") + points("referral_bonus")
    redeemed = [t for t in rows if t["type"] == "redeem"]
    reversals = [t for t in rows if t["type"] == "reversal"]
    earned_by: dict[str, int] = defaultdict(int)
    for t in rows:
        if t["type"] in ("earn", "referral_bonus") or (t["type"] == "reversal"
                                                       and t["points"] <= 0):
            earned_by[t["customer_phone_number"]] += t["points"]
    return {
        "total_points_issued": issued,
        "redemptions": {"count": len(redeemed), "points": -sum(t["points"] for t in redeemed)},
        "reversals": {
            "count": len(reversals),
            "points_reversed": -points("reversal", lambda t: t["points"] <= 0),
            "shortfall": sum(t["shortfall"] or 0 for t in reversals),
            "points_given_back": points("reversal", lambda t: t["points"] > 0),
        },
        "expired": -points("expire"),
        "imported": points("import"),
        "net_points": sum(t["points"] for t in rows),
        "customer_count": len({t["customer_phone_number"] for t in rows
                               if t["type"] != "expire"}),
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
        and summary["total_reversals"] == expected["reversals"]
        and summary["total_points_expired"] == expected["expired"]
        and summary["total_points_imported"] == expected["imported"]
        and summary["net_points"] == expected["net_points"]
        and summary["customer_count"] == expected["customer_count"]
        and [c["points_earned"] for c in summary["top_customers"]] == expected["top"]
    )


def _refund_some(gw, rng, business_id, headers) -> None:
    """Refund a few of the business's earns (whole or in part, some after the points were
    spent: a shortfall) and cancel a redemption, as a till would."""
    rows = gw.get(f"/businesses/{business_id}/transactions", params={"limit": 200},
                  headers=headers).json()
    earns = [t for t in rows if t["type"] == "earn" and t["points"] > 0]
    for t in rng.sample(earns, min(4, len(earns))):
        body = {"amount": "1.00"} if rng.random() < 0.5 else {}
        r = gw.post(f"/transactions/{t['id']}/reverse", headers=headers, json=body)
        assert r.status_code == 201, r.text
    redeemed = [t for t in rows if t["type"] == "redeem"]
    if redeemed:
        r = gw.post(f"/transactions/{redeemed[0]['id']}/reverse", headers=headers, json={})
        assert r.status_code == 201, r.text


def _import_balances(gw, business_id, headers, phones) -> None:
    """Bring two customers' balances from the shop's earlier system."""
    csv = "phone_number,points\n" + "".join(f"{p},{40 + n}\n" for n, p in enumerate(phones))
    r = gw.post(f"/businesses/{business_id}/import/balances", params={"dry_run": "false"},
                content=csv, headers={**headers, "Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == len(phones)


def _run_expiry(platform, business_id: int, expires_at: datetime) -> None:
    """Move the business's expiring lots to ``expires_at`` (time cannot pass days in a
    test), then run loyalty's ``expire`` command beside the running service."""
    engine = create_engine(platform.database_url("loyalty"))
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "UPDATE point_lot SET expires_at = :at WHERE business_id = :b "
                "AND expires_at IS NOT NULL"), {"at": expires_at.replace(tzinfo=None),
                                                 "b": business_id})
    finally:
        engine.dispose()
    done = subprocess.run([sys.executable, "-m", "mubayiro.loyalty", "expire"],
                          env=platform.env_for("loyalty"), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("reports_down", [False, True], ids=["live", "reports-restarted"])
def test_reports_agree_with_loyalty(gw, platform, reports_down):
    rng = random.Random(7 if reports_down else 3)
    shops = [register_business(gw, unique(f"Shop {n}"), loyalty_rate="1")[:2] for n in range(3)]
    phones = [new_phone() for _ in range(25)]
    codes: dict[tuple[int, str], str] = {}
    # The first shop's points expire (in 30 days; the test then moves them).
    expiring_id, expiring_headers = shops[0]
    rules = gw.post(f"/businesses/{expiring_id}/loyalty_rules", headers=expiring_headers,
                    json={"loyalty_rate": "1", "points_expire_after_days": 30})
    assert rules.status_code == 200, rules.text
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
        for business_id, headers in shops:
            _refund_some(gw, rng, business_id, headers)
            _import_balances(gw, business_id, headers, [new_phone(), rng.choice(phones)])
        now = datetime.now(UTC)
        # A week before: each customer with points left in those lots is reminded by SMS.
        _run_expiry(platform, expiring_id, now + timedelta(days=3))
        _run_expiry(platform, expiring_id, now - timedelta(minutes=1))
    finally:
        if reports_down:
            platform.start("reports")
    today = datetime.now(UTC).date().isoformat()
    for business_id, headers in shops:
        rows = gw.get(f"/businesses/{business_id}/transactions", params={"limit": 200},
                      headers=headers).json()
        assert len(rows) < 200, "the check needs every transaction of the business"
        expected = _expected_figures(rows)
        if business_id == expiring_id:
            assert expected["expired"] > 0
            expired_phones = {t["customer_phone_number"] for t in rows if t["type"] == "expire"}
            reminded = wait_until(lambda p=sorted(expired_phones)[0]: [
                b for b in sms_bodies(gw, p) if " expire on " in b], timeout=30,
                message="the expiry reminder SMS")
            assert reminded[0].startswith("Mubayiro: ")
        assert expected["reversals"]["count"] > 0 and expected["imported"] > 0
        summary = wait_until(lambda h=headers, e=expected: (
            s if _matches(s := _report(gw, h), e) else None), timeout=30,
            message="reports to converge with loyalty")
        daily = {d["date"]: d for d in summary["daily"]}
        assert daily[today]["points_issued"] == expected["total_points_issued"]
        assert daily[today]["points_redeemed"] == expected["redemptions"]["points"]
        assert daily[today]["points_reversed"] == expected["reversals"]["points_reversed"]
        assert daily[today]["points_expired"] == expected["expired"]
        assert daily[today]["points_imported"] == expected["imported"]

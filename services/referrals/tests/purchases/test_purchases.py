"""points.earned from loyalty: purchases mark referrals as bought and turn a portal
invitation into a pending referral at the shop where the friend buys (issue 16)."""

from __future__ import annotations

import pytest

INVITER = "+263771234567"
FRIEND = "+263772345678"
OTHER = "+263773456789"


def test_a_friend_invited_from_the_portal_who_buys_becomes_pending_at_that_shop(referrals):
    invited = referrals.invite(INVITER, FRIEND).json()
    assert referrals.list(7).json()["total"] == 0

    referrals.purchase(7, FRIEND, at="2026-12-14T10:15:00Z")

    items = referrals.list(7, status="pending").json()["items"]
    assert [r["id"] for r in items] == [invited["referral_id"]]
    assert items[0]["business_id"] == 7
    assert items[0]["referrer_phone_number"] == INVITER
    assert items[0]["referral_code_used"] == invited["referral_code"]
    assert items[0]["first_purchase_at"].startswith("2026-12-14T10:15:00")
    assert items[0]["tracked_at"] is not None


def test_the_first_shop_where_the_friend_buys_keeps_the_invitation(referrals):
    invited = referrals.invite(INVITER, FRIEND).json()["referral_id"]

    referrals.purchase(7, FRIEND)
    referrals.purchase(8, FRIEND)

    assert [r["id"] for r in referrals.list(7).json()["items"]] == [invited]
    assert referrals.list(8).json() == {"items": [], "total": 0}


def test_a_purchase_marks_the_shops_own_referral_as_bought_and_no_other(referrals):
    referrals.peers.buys(1, OTHER)
    referrals.peers.buys(2, OTHER)
    at_1 = referrals.track(1, FRIEND, OTHER).json()["id"]
    at_2 = referrals.track(2, FRIEND, OTHER).json()["id"]

    referrals.purchase(1, FRIEND, at="2026-12-14T11:00:00Z")

    assert referrals.referral(at_1).first_purchase_at is not None
    assert referrals.referral(at_2).first_purchase_at is None


def test_the_earliest_purchase_is_kept_whatever_order_the_events_come_in(referrals):
    referrals.peers.buys(1, OTHER)
    referral = referrals.track(1, FRIEND, OTHER).json()["id"]

    referrals.purchase(1, FRIEND, at="2026-12-14T12:00:00Z")
    referrals.purchase(1, FRIEND, at="2026-12-14T09:00:00Z")
    referrals.purchase(1, FRIEND, at="2026-12-14T15:00:00Z")

    listed = referrals.list(1).json()["items"][0]
    assert listed["id"] == referral
    assert listed["first_purchase_at"].startswith("2026-12-14T09:00:00")
    assert [r.first_purchase_at.hour for r in referrals.rows("shop_purchase")] == [9]


def test_the_same_event_twice_is_applied_once(referrals):
    referrals.invite(INVITER, FRIEND)
    envelope = referrals.purchase(7, FRIEND)

    again = referrals.deliver(envelope)

    assert again.json() == {"status": "duplicate"}
    assert referrals.count("shop_purchase") == 1
    assert referrals.count("processed_event") == 1


def test_imported_history_claims_no_invitation(referrals):
    referrals.invite(INVITER, FRIEND)

    referrals.purchase(7, FRIEND, imported=True)

    assert referrals.list(7).json()["total"] == 0
    assert referrals.rows("referral")[0].business_id is None
    assert referrals.count("shop_purchase") == 1


@pytest.mark.parametrize("data", [
    {},
    {"transaction_id": 1, "business_id": 1, "customer_phone_number": "not a phone",
     "timestamp": "2026-12-14T09:00:00Z"},
    {"transaction_id": 1, "business_id": "one", "customer_phone_number": FRIEND,
     "timestamp": "2026-12-14T09:00:00Z"},
    {"transaction_id": 1, "business_id": 1, "customer_phone_number": FRIEND,
     "timestamp": "yesterday"},
], ids=["empty", "bad phone", "bad business", "bad time"])
def test_a_bad_event_is_422_and_records_nothing(referrals, data):
    response = referrals.deliver({"id": "evt-bad", "type": "points.earned",
                                  "source": "loyalty", "occurred_at": "2026-12-14T09:00:00Z",
                                  "data": data})

    assert response.status_code == 422
    assert response.json()["error"] == "InvalidEventPayload"
    assert referrals.count("processed_event") == referrals.count("shop_purchase") == 0


def test_events_need_a_service_token(referrals):
    envelope = {"id": "evt-1", "type": "points.earned", "source": "loyalty",
                "occurred_at": "2026-12-14T09:00:00Z", "data": {}}

    as_business = referrals.client.post("/internal/events", json=envelope,
                                        headers=referrals.business(1))

    assert as_business.status_code == 401
    assert referrals.count("processed_event") == 0

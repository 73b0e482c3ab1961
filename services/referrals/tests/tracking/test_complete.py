"""POST /referrals/complete: the referrer's bonus is paid by loyalty exactly once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from mubayiro.common.testing import wait_until
from mubayiro.referrals.tracking.repository import referral_repository

REFERRER = "+263771234567"
NEW = "+263772345678"
REPORTS_URL = "http://reports.test"


def _tracked(referrals, business_id=1, new=NEW, *, bought=True):
    """A referral tracked by ``business_id`` (the referrer is its customer); the friend has
    bought there too unless ``bought`` is false."""
    referrals.peers.buys(business_id, REFERRER)
    response = referrals.track(business_id, new, REFERRER)
    assert response.status_code == 201, response.text
    if bought:
        referrals.purchase(business_id, new)
    return response.json()["id"]


def test_complete_by_id_pays_the_referrer_and_completes(referrals):
    referral_id = _tracked(referrals)

    response = referrals.complete(1, referral_id=referral_id, points=250)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "completed"
    assert body["points_awarded"] == 250
    assert body["loyalty_transaction_id"] == 1001
    assert body["completed_at"] is not None
    assert referrals.peers.bonus_requests == [(f"referral-{referral_id}", {
        "business_id": 1, "customer_phone_number": REFERRER, "points": 250,
        "referral_id": referral_id,
    })]
    assert referrals.peers.paid_to(REFERRER) == 250
    row = referrals.referral(referral_id)
    assert (row.status, row.points_awarded, row.loyalty_transaction_id) == ("completed", 250, 1001)


def test_complete_by_the_new_customers_phone(referrals):
    referral_id = _tracked(referrals)

    response = referrals.complete(1, phone="0772345678", points=40)

    assert response.status_code == 200, response.text
    assert response.json()["id"] == referral_id
    assert referrals.peers.paid_to(REFERRER) == 40


def test_a_second_complete_is_409_and_pays_nothing_more(referrals):
    referral_id = _tracked(referrals)
    assert referrals.complete(1, referral_id=referral_id, points=50).status_code == 200

    again = referrals.complete(1, referral_id=referral_id, points=50)
    by_phone = referrals.complete(1, phone=NEW, points=70)

    for response in (again, by_phone):
        assert response.status_code == 409
        assert response.json()["error"] == "ReferralAlreadyCompleted"
    assert "50 points" in again.json()["detail"]
    assert len(referrals.peers.bonus_requests) == 1
    assert referrals.peers.paid_to(REFERRER) == 50


def test_a_lost_answer_leaves_the_referral_pending_and_the_retry_pays_once(referrals):
    referral_id = _tracked(referrals)
    referrals.peers.lose_bonus_answers = True

    lost = referrals.complete(1, referral_id=referral_id, points=300)

    assert lost.status_code == 504
    assert lost.json()["error"] == "UpstreamTimeout"
    assert referrals.referral(referral_id).status == "pending"
    assert referrals.peers.paid_to(REFERRER) == 300  # loyalty did pay, once
    # The client's own retries (same key) were replayed by loyalty, not paid again.
    assert len(referrals.peers.bonus_requests) >= 2
    assert {k for k, _ in referrals.peers.bonus_requests} == {f"referral-{referral_id}"}

    referrals.peers.lose_bonus_answers = False
    retry = referrals.complete(1, referral_id=referral_id, points=300)

    assert retry.status_code == 200, retry.text
    assert retry.json()["loyalty_transaction_id"] == 1001
    assert len(referrals.peers.payments) == 1
    assert referrals.peers.paid_to(REFERRER) == 300
    assert referrals.referral(referral_id).status == "completed"


def test_a_crash_after_loyalty_paid_is_completed_by_the_retry_without_paying_twice(
    referrals, monkeypatch
):
    referral_id = _tracked(referrals)
    real = referral_repository.mark_completed
    crashes = iter([True])

    def crash_once(*args, **kwargs):
        if next(crashes, False):
            raise RuntimeError("process died before the commit")
        return real(*args, **kwargs)

    monkeypatch.setattr(referral_repository, "mark_completed", crash_once)

    with pytest.raises(RuntimeError):
        referrals.complete(1, referral_id=referral_id, points=80)
    assert referrals.referral(referral_id).status == "pending"
    assert referrals.peers.paid_to(REFERRER) == 80

    retry = referrals.complete(1, referral_id=referral_id, points=80)

    assert retry.status_code == 200, retry.text
    assert len(referrals.peers.payments) == 1
    assert referrals.peers.paid_to(REFERRER) == 80


def test_a_retry_with_other_points_after_loyalty_paid_is_409(referrals):
    referral_id = _tracked(referrals)
    referrals.peers.lose_bonus_answers = True
    assert referrals.complete(1, referral_id=referral_id, points=300).status_code == 504
    referrals.peers.lose_bonus_answers = False

    changed = referrals.complete(1, referral_id=referral_id, points=999)

    assert changed.status_code == 409
    assert changed.json()["error"] == "ReferralBonusMismatch"
    assert "points first sent" in changed.json()["detail"]
    assert referrals.referral(referral_id).status == "pending"
    assert referrals.complete(1, referral_id=referral_id, points=300).status_code == 200
    assert referrals.peers.paid_to(REFERRER) == 300


def test_concurrent_completes_pay_once_one_wins_one_is_409(referrals):
    referral_id = _tracked(referrals)
    # Both requests are held at loyalty until both got there: both saw "pending".
    referrals.peers.bonus_barrier = threading.Barrier(2)

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(
            lambda _: referrals.complete(1, referral_id=referral_id, points=60), range(2)
        ))

    assert sorted(r.status_code for r in responses) == [200, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["error"] == "ReferralAlreadyCompleted"
    assert len(referrals.peers.bonus_requests) == 2
    assert len(referrals.peers.payments) == 1
    assert referrals.peers.paid_to(REFERRER) == 60


def test_loyalty_down_is_503_and_the_referral_stays_pending(referrals):
    referral_id = _tracked(referrals)
    referrals.peers.loyalty_down = True

    response = referrals.complete(1, referral_id=referral_id)

    assert response.status_code == 503
    assert response.json()["error"] == "UpstreamUnavailable"
    assert referrals.referral(referral_id).status == "pending"
    assert referrals.peers.payments == []
    assert referrals.count("outbox_message") == 0


def test_a_business_unknown_to_loyalty_is_409_and_nothing_changes(referrals):
    referral_id = _tracked(referrals)
    referrals.peers.known_businesses = {2}

    response = referrals.complete(1, referral_id=referral_id)

    assert response.status_code == 409
    assert response.json()["error"] == "LoyaltyProgramNotFound"
    assert referrals.referral(referral_id).status == "pending"


def test_another_businesss_referral_is_not_found_by_id_or_phone(referrals):
    referral_id = _tracked(referrals, business_id=2)

    by_id = referrals.complete(1, referral_id=referral_id)
    by_phone = referrals.complete(1, phone=NEW)

    for response in (by_id, by_phone):
        assert response.status_code == 404
        assert response.json()["error"] == "ReferralNotFound"
    assert referrals.peers.bonus_requests == []
    assert referrals.referral(referral_id).status == "pending"


def test_an_untracked_invitation_cannot_be_completed(referrals):
    invited = referrals.invite(REFERRER, NEW).json()["referral_id"]

    response = referrals.complete(1, referral_id=invited)

    assert response.status_code == 404
    assert referrals.peers.bonus_requests == []


def test_unknown_referral_is_404(referrals):
    assert referrals.complete(1, referral_id=999).status_code == 404
    assert referrals.complete(1, phone=NEW).status_code == 404


def test_points_above_the_configured_maximum_are_422(start_referrals):
    referrals = start_referrals(max_referral_points=500)
    referral_id = _tracked(referrals)

    too_many = referrals.complete(1, referral_id=referral_id, points=501)
    at_max = referrals.complete(1, referral_id=referral_id, points=500)

    assert too_many.status_code == 422
    assert too_many.json() == {"detail": "points_to_award_referrer must not exceed 500",
                               "error": "PointsAboveMaximum"}
    assert at_max.status_code == 200


def test_complete_with_the_same_idempotency_key_replays_the_200(referrals):
    referral_id = _tracked(referrals)
    key = {"Idempotency-Key": "complete-1"}

    first = referrals.complete(1, referral_id=referral_id, points=5, headers=key)
    again = referrals.complete(1, referral_id=referral_id, points=5, headers=key)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(referrals.peers.bonus_requests) == 1


def test_without_subscribers_no_event_is_written(referrals):
    referral_id = _tracked(referrals)

    assert referrals.complete(1, referral_id=referral_id).status_code == 200

    assert referrals.count("outbox_message") == 0


def test_referral_completed_is_emitted_to_configured_subscribers(start_referrals):
    referrals = start_referrals(event_subscribers={"reports": REPORTS_URL})
    referral_id = _tracked(referrals)

    assert referrals.complete(1, referral_id=referral_id, points=75).status_code == 200

    events = wait_until(lambda: referrals.peers.events, message="referral.completed delivered")
    assert len(events) == 1
    assert events[0]["type"] == "referral.completed"
    assert events[0]["source"] == "referrals"
    assert events[0]["data"] == {
        "referral_id": referral_id, "business_id": 1, "referrer_phone_number": REFERRER,
        "referred_phone_number": NEW, "points_awarded": 75, "transaction_id": 1001,
    }
    assert referrals.count("outbox_message") == 1


def test_a_cashier_cannot_complete_a_referral(referrals):
    """Issue 11: completing pays a bonus out of the business's points: owners only."""
    referral_id = _tracked(referrals)
    cashier = {"Authorization": "Bearer " + referrals.keys.business_token(
        1, staff_id=4, staff_role="cashier")}

    refused = referrals.complete(1, referral_id=referral_id, headers=cashier)

    assert refused.status_code == 403
    assert refused.json()["error"] == "OwnerOnly"
    assert referrals.rows("referral")[0].status == "pending"
    assert referrals.track(1, "+263779999999", REFERRER, headers=cashier).status_code == 201


def test_complete_is_refused_until_the_friend_bought_at_the_business(referrals):
    """Issue 16: Complete paid any bonus even if the friend never bought anything."""
    referral_id = _tracked(referrals, bought=False)
    referrals.peers.buys(2, NEW)  # a purchase at another shop does not count

    refused = referrals.complete(1, referral_id=referral_id)

    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "The referred customer has not bought anything at your business yet: the "
                  "referral can be completed after their first purchase here",
        "error": "NoPurchaseYet"}
    assert referrals.peers.bonus_requests == []
    assert referrals.referral(referral_id).status == "pending"

    referrals.purchase(1, NEW)
    assert referrals.complete(1, referral_id=referral_id).status_code == 200


def test_a_purchase_loyalty_has_but_no_event_told_yet_is_enough(referrals):
    """The event may still be on its way (or older than the subscription): loyalty's
    ledger decides, and the referral learns the purchase's time."""
    referral_id = _tracked(referrals, bought=False)
    referrals.peers.buys(1, NEW, at="2026-12-14T08:00:00Z")  # no event delivered

    done = referrals.complete(1, referral_id=referral_id)

    assert done.status_code == 200, done.text
    assert done.json()["first_purchase_at"].startswith("2026-12-14T08:00:00")


def test_without_points_the_businesss_default_bonus_is_paid(referrals):
    first = _tracked(referrals)
    second = _tracked(referrals, new="+263775556667")

    platform_default = referrals.complete(1, referral_id=first, points=None)
    assert referrals.settings(1, 35).status_code == 200
    own_default = referrals.complete(1, referral_id=second, points=None)

    assert platform_default.json()["points_awarded"] == 100
    assert own_default.json()["points_awarded"] == 35
    assert referrals.peers.paid_to(REFERRER) == 135

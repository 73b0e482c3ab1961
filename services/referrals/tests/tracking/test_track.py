"""POST /referrals/track: records pending referrals, claims invitations, refuses clearly."""

from __future__ import annotations

REFERRER = "+263771234567"
NEW = "+263772345678"
OTHER = "+263773456789"


def test_track_records_a_pending_referral(referrals):
    referrals.peers.customers[REFERRER] = 120

    response = referrals.track(1, NEW, REFERRER)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["business_id"] == 1
    assert body["referrer_phone_number"] == REFERRER
    assert body["referred_phone_number"] == NEW
    assert body["status"] == "pending"
    assert body["referral_code_used"] is None
    assert body["points_awarded"] is None and body["loyalty_transaction_id"] is None
    assert body["completed_at"] is None
    assert body["tracked_at"] == body["created_at"]
    assert referrals.peers.balance_calls == [REFERRER]
    row = referrals.referral(body["id"])
    assert (row.business_id, row.status, row.referred_phone_number) == (1, "pending", NEW)


def test_track_accepts_local_phone_spellings(referrals):
    referrals.peers.customers[REFERRER] = 1

    response = referrals.track(1, "077 234 5678", "0771234567")

    assert response.status_code == 201, response.text
    assert response.json()["referred_phone_number"] == NEW
    assert response.json()["referrer_phone_number"] == REFERRER


def test_track_refuses_self_referral_without_asking_loyalty(referrals):
    referrals.peers.customers[REFERRER] = 1

    response = referrals.track(1, REFERRER, "0771234567")

    assert response.status_code == 422
    assert response.json()["error"] == "SelfReferral"
    assert referrals.count("referral") == 0
    assert referrals.peers.balance_calls == []


def test_track_refuses_a_phone_already_referred_at_any_business(referrals):
    referrals.peers.customers.update({REFERRER: 1, OTHER: 1})
    assert referrals.track(1, NEW, REFERRER).status_code == 201

    same_business = referrals.track(1, NEW, REFERRER)
    other_business = referrals.track(2, NEW, OTHER)

    for response in (same_business, other_business):
        assert response.status_code == 409
        assert response.json()["error"] == "AlreadyReferred"
    assert referrals.count("referral") == 1
    assert referrals.rows("referral")[0].business_id == 1


def test_track_refuses_a_referrer_who_is_not_a_customer(referrals):
    response = referrals.track(1, NEW, REFERRER)

    assert response.status_code == 422
    assert response.json() == {"detail": "The referrer is not a customer of any business yet",
                               "error": "ReferrerNotACustomer"}
    assert referrals.count("referral") == 0


def test_track_answers_503_and_writes_nothing_when_loyalty_is_down(referrals):
    referrals.peers.loyalty_down = True

    response = referrals.track(1, NEW, REFERRER)

    assert response.status_code == 503
    assert response.json()["error"] == "UpstreamUnavailable"
    assert referrals.counts()["referral"] == 0


def test_track_with_a_referral_code_finds_the_referrer(referrals):
    referrals.peers.customers[REFERRER] = 1
    code = referrals.invite(REFERRER, OTHER).json()["referral_code"]

    response = referrals.track(3, NEW, code=code.lower()[:3] + "-" + code.lower()[3:])

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["referrer_phone_number"] == REFERRER
    assert body["referral_code_used"] == code
    assert body["business_id"] == 3


def test_track_refuses_an_unknown_code(referrals):
    response = referrals.track(1, NEW, code="ABCDEF")

    assert response.status_code == 422
    assert response.json()["error"] == "UnknownReferralCode"
    assert "ABCDEF" in response.json()["detail"]
    assert referrals.count("referral") == 0


def test_track_refuses_a_code_of_another_referrer(referrals):
    referrals.peers.customers.update({REFERRER: 1, OTHER: 1})
    code = referrals.invite(REFERRER, "+263774445556").json()["referral_code"]

    response = referrals.track(1, NEW, OTHER, code=code)

    assert response.status_code == 422
    assert response.json()["error"] == "ReferralCodeMismatch"


def test_track_refuses_a_code_that_is_the_new_customers_own(referrals):
    code = referrals.invite(NEW, OTHER).json()["referral_code"]

    response = referrals.track(1, NEW, code=code)

    assert response.status_code == 422
    assert response.json()["error"] == "SelfReferral"


def test_tracking_an_invited_phone_claims_the_invitation(referrals):
    referrals.peers.customers[REFERRER] = 1
    invited = referrals.invite(REFERRER, NEW).json()
    assert referrals.referral(invited["referral_id"]).business_id is None

    response = referrals.track(4, NEW, REFERRER)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] == invited["referral_id"]
    assert body["business_id"] == 4
    assert body["referral_code_used"] == invited["referral_code"]
    assert body["tracked_at"] is not None and body["tracked_at"] > body["created_at"]
    assert referrals.count("referral") == 1


def test_an_invitation_can_be_claimed_with_the_code_alone(referrals):
    referrals.peers.customers[REFERRER] = 1
    invited = referrals.invite(REFERRER, NEW).json()

    response = referrals.track(4, NEW, code=invited["referral_code"])

    assert response.status_code == 201, response.text
    assert response.json()["id"] == invited["referral_id"]


def test_claiming_an_invitation_with_another_referrer_is_409(referrals):
    referrals.peers.customers.update({REFERRER: 1, OTHER: 1})
    referrals.invite(REFERRER, NEW)

    response = referrals.track(4, NEW, OTHER)

    assert response.status_code == 409
    assert response.json()["error"] == "AlreadyReferred"
    assert "invited by another customer" in response.json()["detail"]
    assert referrals.rows("referral")[0].business_id is None


def test_a_claimed_invitation_cannot_be_claimed_by_another_business(referrals):
    referrals.peers.customers[REFERRER] = 1
    referrals.invite(REFERRER, NEW)
    assert referrals.track(4, NEW, REFERRER).status_code == 201

    response = referrals.track(5, NEW, REFERRER)

    assert response.status_code == 409
    assert response.json()["error"] == "AlreadyReferred"
    assert referrals.rows("referral")[0].business_id == 4


def test_an_invitation_from_a_non_customer_cannot_be_claimed(referrals):
    referrals.invite(REFERRER, NEW)

    response = referrals.track(4, NEW, REFERRER)

    assert response.status_code == 422
    assert response.json()["error"] == "ReferrerNotACustomer"
    assert referrals.rows("referral")[0].business_id is None


def test_track_with_the_same_idempotency_key_replays_the_first_answer(referrals):
    referrals.peers.customers[REFERRER] = 1
    key = {"Idempotency-Key": "track-1"}

    first = referrals.track(1, NEW, REFERRER, headers=key)
    again = referrals.track(1, NEW, REFERRER, headers=key)
    changed = referrals.track(1, NEW, OTHER, headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert changed.status_code == 422
    assert changed.json()["error"] == "IdempotencyKeyReused"
    assert referrals.count("referral") == 1
    assert referrals.peers.balance_calls == [REFERRER]

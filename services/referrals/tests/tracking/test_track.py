"""POST /referrals/track: records pending referrals, claims invitations, refuses clearly —
and every refusal is made from the tracking business's own data (issue 11)."""

from __future__ import annotations

REFERRER = "+263771234567"
NEW = "+263772345678"
OTHER = "+263773456789"


def test_track_records_a_pending_referral(referrals):
    referrals.peers.buys(1, REFERRER)

    response = referrals.track(1, NEW, REFERRER)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["business_id"] == 1
    assert body["referrer_phone_number"] == REFERRER
    assert body["referred_phone_number"] == NEW
    assert body["status"] == "pending"
    assert body["referral_code_used"] is None
    assert body["points_awarded"] is None and body["loyalty_transaction_id"] is None
    assert body["completed_at"] is None and body["first_purchase_at"] is None
    assert body["tracked_at"] == body["created_at"]
    # Loyalty was asked about the referrer at this business, never coalition-wide.
    assert referrals.peers.shop_calls == [(1, REFERRER)]
    assert referrals.peers.balance_calls == []
    row = referrals.referral(body["id"])
    assert (row.business_id, row.status, row.referred_phone_number) == (1, "pending", NEW)


def test_track_accepts_local_phone_spellings(referrals):
    referrals.peers.buys(1, REFERRER)

    response = referrals.track(1, "077 234 5678", "0771234567")

    assert response.status_code == 201, response.text
    assert response.json()["referred_phone_number"] == NEW
    assert response.json()["referrer_phone_number"] == REFERRER


def test_track_refuses_self_referral_without_asking_loyalty(referrals):
    referrals.peers.buys(1, REFERRER)

    response = referrals.track(1, REFERRER, "0771234567")

    assert response.status_code == 422
    assert response.json()["error"] == "SelfReferral"
    assert referrals.count("referral") == 0
    assert referrals.peers.shop_calls == []


def test_the_same_phone_twice_at_one_business(referrals):
    referrals.peers.buys(1, REFERRER)
    referrals.peers.buys(1, OTHER)
    first = referrals.track(1, NEW, REFERRER)

    again = referrals.track(1, NEW, REFERRER)
    another_referrer = referrals.track(1, NEW, OTHER)

    # The same referral again is the one recorded (a till may send it twice) ...
    assert again.status_code == 201 and again.json() == first.json()
    # ... another referrer for it is refused.
    assert another_referrer.status_code == 409
    assert another_referrer.json() == {
        "detail": "Your business has already recorded a referral of this phone number",
        "error": "AlreadyReferred"}
    assert referrals.count("referral") == 1


def test_track_refuses_a_referrer_who_is_not_a_customer_of_the_business(referrals):
    response = referrals.track(1, NEW, REFERRER)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The referrer is not a customer of your business: a referrer must have "
                  "bought here before",
        "error": "ReferrerNotACustomer"}
    assert referrals.count("referral") == 0


def test_track_answers_503_and_writes_nothing_when_loyalty_is_down(referrals):
    referrals.peers.loyalty_down = True

    response = referrals.track(1, NEW, REFERRER)

    assert response.status_code == 503
    assert response.json()["error"] == "UpstreamUnavailable"
    assert referrals.counts()["referral"] == 0


def test_track_with_the_code_of_a_customer_of_the_business(referrals):
    referrals.peers.buys(3, REFERRER)
    code = referrals.invite(REFERRER, OTHER).json()["referral_code"]

    response = referrals.track(3, NEW, code=code.lower()[:3] + "-" + code.lower()[3:])

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["referrer_phone_number"] == REFERRER
    assert body["referral_code_used"] == code
    assert body["business_id"] == 3


def test_a_code_unknown_or_of_a_stranger_gets_the_same_answer(referrals):
    """A code nobody has and the code of a customer of another shop look the same."""
    referrals.peers.buys(2, REFERRER)  # a customer of shop 2, a stranger to shop 1
    code = referrals.invite(REFERRER, OTHER).json()["referral_code"]
    nobodys = "ABCDEF" if code != "ABCDEF" else "ABCDEG"

    answers = [referrals.track(1, NEW, code=c) for c in (code, nobodys)]

    for response, c in zip(answers, (code, nobodys), strict=True):
        assert response.status_code == 422
        assert response.json() == {
            "detail": f"The referral code {c} is not known at your business: check it, or "
                      "give the referrer's phone number",
            "error": "UnknownReferralCode"}
    assert referrals.count("referral") == 1  # the invitation only


def test_track_refuses_a_code_of_another_referrer(referrals):
    referrals.peers.buys(1, REFERRER)
    referrals.peers.buys(1, OTHER)
    code = referrals.invite(REFERRER, "+263774445556").json()["referral_code"]

    response = referrals.track(1, NEW, OTHER, code=code)

    assert response.status_code == 422
    assert response.json()["error"] == "ReferralCodeMismatch"


def test_track_refuses_a_code_that_is_the_new_customers_own(referrals):
    referrals.peers.buys(1, NEW)
    code = referrals.invite(NEW, OTHER).json()["referral_code"]

    response = referrals.track(1, NEW, code=code)

    assert response.status_code == 422
    assert response.json()["error"] == "SelfReferral"


def test_tracking_an_invited_phone_with_the_inviter_claims_the_invitation(referrals):
    # The inviter need not be a customer of the shop: the friend is there because of them.
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
    invited = referrals.invite(REFERRER, NEW).json()

    response = referrals.track(4, NEW, code=invited["referral_code"])

    assert response.status_code == 201, response.text
    assert response.json()["id"] == invited["referral_id"]


def test_another_referrer_than_the_inviter_makes_the_shops_own_referral(referrals):
    """An open invitation is no shop's data: tracking the friend with someone else is
    answered as if there were none, and the invitation stays open."""
    referrals.peers.buys(4, OTHER)
    invited = referrals.invite(REFERRER, NEW).json()["referral_id"]

    response = referrals.track(4, NEW, OTHER)

    assert response.status_code == 201, response.text
    assert response.json()["id"] != invited
    assert response.json()["referrer_phone_number"] == OTHER
    assert referrals.referral(invited).business_id is None


def test_a_claimed_invitation_leaves_other_shops_free_to_refer_the_phone(referrals):
    referrals.invite(REFERRER, NEW)
    claimed = referrals.track(4, NEW, REFERRER).json()

    # Shop 5 does not know REFERRER: the answer is about shop 5's data, not shop 4's.
    stranger = referrals.track(5, NEW, REFERRER)
    referrals.peers.buys(5, REFERRER)
    own = referrals.track(5, NEW, REFERRER)

    assert stranger.status_code == 422
    assert stranger.json()["error"] == "ReferrerNotACustomer"
    assert own.status_code == 201
    assert own.json()["business_id"] == 5 and own.json()["id"] != claimed["id"]
    assert referrals.referral(claimed["id"]).business_id == 4


def test_a_referral_tracked_after_the_purchase_knows_it(referrals):
    referrals.peers.buys(1, REFERRER)
    referrals.purchase(1, NEW, at="2026-12-14T08:30:00Z")

    body = referrals.track(1, NEW, REFERRER).json()

    assert body["first_purchase_at"].startswith("2026-12-14T08:30:00")


def test_track_with_the_same_idempotency_key_replays_the_first_answer(referrals):
    referrals.peers.buys(1, REFERRER)
    referrals.peers.buys(1, OTHER)
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
    assert referrals.peers.shop_calls == [(1, REFERRER)]

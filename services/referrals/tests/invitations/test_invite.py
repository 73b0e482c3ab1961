"""POST /referrals/invite: a pending referral without a business, and its invitation SMS."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from mubayiro.common.db import utcnow
from mubayiro.common.testing import wait_until
from mubayiro.referrals.models import Invitation

INVITER = "+263771234567"
FRIEND = "+263772345678"
FRIENDS = [f"+2637734567{i:02d}" for i in range(8)]


def test_invite_records_a_pending_referral_and_sends_the_sms(referrals):
    response = referrals.invite(INVITER, "0772345678")

    assert response.status_code == 201, response.text
    body = response.json()
    code = body["referral_code"]
    assert body == {"referral_id": body["referral_id"], "status": "pending",
                    "friend_phone_number": FRIEND, "referral_code": code,
                    "sms_status": "pending", "invites_left_today": 4}
    referral = referrals.referral(body["referral_id"])
    assert referral.business_id is None
    assert (referral.referrer_phone_number, referral.referred_phone_number) == (INVITER, FRIEND)
    assert (referral.status, referral.referral_code_used) == ("pending", code)
    assert referrals.peers.balance_calls == [FRIEND]

    requests = wait_until(lambda: referrals.peers.sms_requests, message="invitation sms")
    assert requests == [{
        "key": f"invite-{body['referral_id']}",
        "body": {
            "to": FRIEND,
            "body": f"+26377****567 invites you to Mubayiro: earn points at shops across "
                    f"Zimbabwe. Give code {code} at the till when you pay.",
            "kind": "referral_invite",
            "essential": False,
        },
    }]
    assert INVITER not in requests[0]["body"]["body"]
    invitation = wait_until(
        lambda: next((i for i in referrals.rows("invitation") if i.sms_status == "queued"), None),
        message="invitation marked queued",
    )
    assert (invitation.sms_id, invitation.sms_attempts) == (500, 1)
    assert invitation.sms_accepted_at is not None


def test_every_invitation_of_a_customer_carries_the_same_code(referrals):
    first = referrals.invite(INVITER, FRIENDS[0]).json()
    second = referrals.invite(INVITER, FRIENDS[1]).json()
    other = referrals.invite(FRIENDS[7], FRIENDS[2]).json()

    assert first["referral_code"] == second["referral_code"]
    assert other["referral_code"] != first["referral_code"]
    assert referrals.count("referral_code") == 2


def test_inviting_yourself_is_422(referrals):
    response = referrals.invite(INVITER, "0771234567")

    assert response.status_code == 422
    assert response.json() == {"detail": "You cannot invite yourself", "error": "SelfReferral"}
    assert referrals.count("referral") == 0


def test_inviting_a_friend_already_referred_is_409(referrals):
    referrals.peers.buys(1, FRIENDS[0])
    assert referrals.track(1, FRIEND, FRIENDS[0]).status_code == 201
    assert referrals.invite(FRIENDS[1], FRIENDS[2]).status_code == 201

    tracked = referrals.invite(INVITER, FRIEND)
    invited = referrals.invite(INVITER, FRIENDS[2])

    for response in (tracked, invited):
        assert response.status_code == 409
        assert response.json()["error"] == "AlreadyReferred"
    assert referrals.count("invitation") == 1


def test_inviting_an_existing_customer_is_409(referrals):
    referrals.peers.customers[FRIEND] = 35

    response = referrals.invite(INVITER, FRIEND)

    assert response.status_code == 409
    assert response.json() == {"detail": "This phone number is already a Mubayiro customer",
                               "error": "AlreadyACustomer"}
    assert referrals.counts()["referral"] == 0
    assert referrals.peers.sms_requests == []


def test_invite_is_503_and_writes_nothing_when_loyalty_is_down(referrals):
    referrals.peers.loyalty_down = True

    response = referrals.invite(INVITER, FRIEND)

    assert response.status_code == 503
    assert referrals.count("referral") == 0


def test_the_sixth_invitation_in_24_hours_is_429(referrals):
    for i, friend in enumerate(FRIENDS[:5]):
        response = referrals.invite(INVITER, friend)
        assert response.status_code == 201, response.text
        assert response.json()["invites_left_today"] == 4 - i

    sixth = referrals.invite(INVITER, FRIENDS[5])

    assert sixth.status_code == 429
    assert sixth.json()["error"] == "TooManyInvites"
    assert 0 < int(sixth.headers["Retry-After"]) <= 24 * 3600
    assert referrals.count("referral") == 5
    # Another customer has their own allowance.
    assert referrals.invite(FRIENDS[7], FRIENDS[5]).status_code == 201


def test_invitations_older_than_24_hours_no_longer_count(referrals):
    for friend in FRIENDS[:5]:
        assert referrals.invite(INVITER, friend).status_code == 201
    with referrals.app.state.database.session() as s:
        oldest = min(i.id for i in referrals.rows("invitation"))
        s.execute(update(Invitation).where(Invitation.id == oldest)
                  .values(created_at=utcnow() - timedelta(hours=24, minutes=1)))

    response = referrals.invite(INVITER, FRIENDS[5])

    assert response.status_code == 201
    assert response.json()["invites_left_today"] == 0


def test_the_invite_limit_is_a_setting(start_referrals):
    referrals = start_referrals(max_invites_per_day=2)
    assert referrals.invite(INVITER, FRIENDS[0]).status_code == 201
    assert referrals.invite(INVITER, FRIENDS[1]).status_code == 201

    assert referrals.invite(INVITER, FRIENDS[2]).status_code == 429


def test_refused_invitations_count_too(start_referrals):
    # Each refusal says something about a number (already invited, already a customer):
    # asking is what is limited, so nobody probes the coalition's membership for free.
    referrals = start_referrals(invite_attempt_limit="4/day")
    answers = [referrals.invite(INVITER, FRIEND).status_code for _ in range(4)]
    assert answers == [201, 409, 409, 409]

    fifth = referrals.invite(INVITER, FRIENDS[3])

    assert fifth.status_code == 429, fifth.text
    assert fifth.json()["error"] == "TooManyAttempts"
    assert 0 < int(fifth.headers["Retry-After"]) <= 24 * 3600
    assert referrals.count("referral") == 1
    assert referrals.invite(FRIENDS[7], FRIENDS[5]).status_code == 201


def test_invite_needs_a_customer_token(referrals):
    body = {"friend_phone_number": FRIEND}

    as_business = referrals.client.post("/referrals/invite", json=body,
                                        headers=referrals.business(1))
    anonymous = referrals.client.post("/referrals/invite", json=body)

    assert as_business.status_code == 403
    assert as_business.json()["error"] == "Forbidden"
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    assert referrals.count("referral") == 0


def test_invite_with_the_same_idempotency_key_replays(referrals):
    key = {"Idempotency-Key": "invite-tap-1"}

    first = referrals.invite(INVITER, FRIEND, headers=key)
    again = referrals.invite(INVITER, FRIEND, headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert referrals.count("invitation") == 1
    wait_until(lambda: referrals.peers.sms_stored, message="invitation sms")
    assert len(referrals.peers.sms_stored) == 1

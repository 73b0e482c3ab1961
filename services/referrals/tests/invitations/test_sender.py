"""The invitation sender: an owed SMS reaches notifications once, whatever fails meanwhile."""

from __future__ import annotations

import httpx

from mubayiro.common.testing import wait_until

INVITER = "+263771234567"
FRIEND = "+263772345678"


def _invitation(referrals):
    return referrals.rows("invitation")[0]


def test_notifications_down_delays_the_sms_until_it_is_back(referrals):
    referrals.peers.notifications_down = True

    response = referrals.invite(INVITER, FRIEND)

    assert response.status_code == 201
    failed = wait_until(lambda: _invitation(referrals).sms_attempts >= 2 and _invitation(referrals),
                        message="retries while notifications is down")
    assert failed.sms_status == "pending"
    assert "ConnectError" in failed.sms_last_error or "Unavailable" in failed.sms_last_error

    referrals.peers.notifications_down = False

    sent = wait_until(lambda: _invitation(referrals).sms_status == "queued"
                      and _invitation(referrals), message="sms taken once notifications is back")
    assert sent.sms_last_error is None
    assert len(referrals.peers.sms_stored) == 1


def test_an_sms_owed_when_the_service_stopped_is_sent_after_a_restart(start_referrals, peers):
    peers.notifications_down = True
    first = start_referrals()
    assert first.invite(INVITER, FRIEND).status_code == 201
    first.stop()  # stopped with the SMS still owed
    assert _invitation(first).sms_status == "pending"

    peers.notifications_down = False
    second = start_referrals()

    wait_until(lambda: _invitation(second).sms_status == "queued", message="sms after restart")
    assert [s["to"] for s in peers.sms_stored] == [FRIEND]


def test_a_lost_answer_is_retried_under_the_same_key_and_stored_once(referrals, monkeypatch):
    handler = referrals.peers._sms
    lost = iter([True])

    def lose_first_answer(request):
        answer = handler(request)
        if next(lost, False):
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return answer

    monkeypatch.setattr(referrals.peers, "_sms", lose_first_answer)

    assert referrals.invite(INVITER, FRIEND).status_code == 201

    wait_until(lambda: _invitation(referrals).sms_status == "queued", message="sms queued")
    assert len(referrals.peers.sms_requests) == 2
    assert len({r["key"] for r in referrals.peers.sms_requests}) == 1
    assert len(referrals.peers.sms_stored) == 1


def test_a_refused_sms_is_failed_and_not_retried(referrals):
    referrals.peers.sms_status = 422

    assert referrals.invite(INVITER, FRIEND).status_code == 201

    failed = wait_until(lambda: _invitation(referrals).sms_status == "failed"
                        and _invitation(referrals), message="sms failed")
    assert failed.sms_attempts == 1
    assert "422" in failed.sms_last_error
    assert len(referrals.peers.sms_requests) == 1


def test_an_opted_out_friend_is_recorded_as_skipped(referrals):
    referrals.peers.opted_out.add(FRIEND)

    assert referrals.invite(INVITER, FRIEND).status_code == 201

    wait_until(lambda: _invitation(referrals).sms_status == "skipped", message="sms skipped")


def test_a_refused_sms_is_parked_counted_in_readyz_and_sent_after_an_operator_retry(referrals):
    from mubayiro.common.cli import list_dead_letters, retry_dead_letters
    from mubayiro.referrals.models import QUEUES

    referrals.peers.sms_status = 422
    assert referrals.invite(INVITER, FRIEND).status_code == 201
    parked = wait_until(lambda: _invitation(referrals).sms_status == "failed"
                        and _invitation(referrals), message="sms parked")
    assert parked.sms_parked_at is not None
    database = referrals.app.state.database
    [letter] = list_dead_letters(database, QUEUES)
    assert (letter["queue"], letter["referral_id"]) == ("invitations", parked.referral_id)
    assert referrals.client.get("/readyz").json()["dead_letters"] == 1

    referrals.peers.sms_status = None  # notifications fixed
    assert retry_dead_letters(database, QUEUES, parked.id, queue="invitations") == 1

    sent = wait_until(lambda: _invitation(referrals).sms_status == "queued"
                      and _invitation(referrals), message="sms taken after the retry")
    assert sent.sms_attempts == 2 and sent.sms_parked_at is None
    assert referrals.client.get("/readyz").json()["dead_letters"] == 0

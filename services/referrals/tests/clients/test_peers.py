"""Referrals' clients against the real loyalty and notifications apps.

- loyalty: whether a phone is a customer (``/internal/customers/{phone}/balance``) and
  the referral bonus (``/internal/transactions/referral_bonus``, paid once per key);
- notifications: ``POST /internal/sms`` (stored once per ``Idempotency-Key``).

Both apps run in process (:class:`~mubayiro.common.testing.PeerApps`); only faults
(5xx, timeouts) are made up, with ``httpx.MockTransport``.
"""

from __future__ import annotations

import httpx
import pytest

from mubayiro.common.errors import UpstreamError, UpstreamTimeout
from mubayiro.common.http import PeerRefused
from mubayiro.common.testing import PeerApps
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.main import create_app as create_loyalty
from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.main import create_app as create_notifications
from mubayiro.referrals.clients.exceptions import (
    AwardLimitExceeded,
    BusinessNotActive,
    LoyaltyProgramNotFound,
    ReferralBonusMismatch,
)
from mubayiro.referrals.clients.loyalty import LoyaltyClient
from mubayiro.referrals.clients.notifications import NotificationsClient

REFERRER = "+263771234567"
FRIEND = "+263772222222"


@pytest.fixture
def peers(keys, tmp_path):
    """Loyalty (Mazoe Cafe, business 1; ``REFERRER`` earned 3 points) and notifications."""
    common = {"_env_file": None, "environment": "test", "log_level": "WARNING",
              "auth_url": "http://auth.test"}
    peers = PeerApps(keys=keys)
    peers.serve("loyalty.test", lambda: create_loyalty(
        LoyaltySettings(data_dir=tmp_path / "loyalty", notifications_url=None,
                        reports_url=None, **common), token_verifier=keys.verifier()))
    peers.serve("notifications.test", lambda: create_notifications(
        NotificationsSettings(data_dir=tmp_path / "notifications", sms_provider="console",
                              chatbot_url=None, **common), token_verifier=keys.verifier()))
    as_auth = {"Authorization": f"Bearer {keys.service_token('auth')}"}
    as_cafe = {"Authorization": f"Bearer {keys.business_token(1)}"}
    event = {"id": "evt-1", "type": "business.registered", "source": "auth",
             "occurred_at": "2026-11-24T10:00:00Z",
             "data": {"business_id": 1, "name": "Mazoe Cafe", "contact_person": "Owner",
                      "email": "owner@example.com", "loyalty_rate": None}}
    loyalty = peers.client("loyalty.test")
    assert loyalty.post("/internal/events", json=event, headers=as_auth).status_code == 200
    earned = loyalty.post("/transactions/add_points", headers=as_cafe, json={
        "business_id": 1, "customer_phone_number": REFERRER, "amount_spent": "3.00"})
    assert earned.status_code == 201, earned.text
    yield peers
    peers.stop()


@pytest.fixture
def loyalty(peers):
    """Referrals' loyalty client, with referrals' service token."""
    return peers.peer_client(LoyaltyClient, "loyalty.test", service="referrals")


@pytest.fixture
def notifications(peers):
    """Referrals' notifications client, with referrals' service token."""
    return peers.peer_client(NotificationsClient, "notifications.test", service="referrals")


def test_a_phone_that_earned_is_a_customer_and_a_new_one_is_not(loyalty):
    assert loyalty.is_customer(REFERRER) is True
    assert loyalty.is_customer(FRIEND) is False


def test_a_bonus_is_paid_once_per_referral(loyalty):
    first = loyalty.award_referral_bonus(referral_id=7, business_id=1,
                                         phone_number=REFERRER, points=50)
    again = loyalty.award_referral_bonus(referral_id=7, business_id=1,
                                         phone_number=REFERRER, points=50)

    assert (first.points_awarded, first.total_points) == (50, 53)
    assert again == first


def test_the_same_referral_with_other_points_is_a_mismatch(loyalty):
    loyalty.award_referral_bonus(referral_id=7, business_id=1, phone_number=REFERRER,
                                 points=50)

    with pytest.raises(ReferralBonusMismatch):
        loyalty.award_referral_bonus(referral_id=7, business_id=1, phone_number=REFERRER,
                                     points=60)


def test_a_bonus_at_a_business_loyalty_does_not_know(loyalty):
    with pytest.raises(LoyaltyProgramNotFound, match="business 9"):
        loyalty.award_referral_bonus(referral_id=8, business_id=9, phone_number=REFERRER,
                                     points=50)


def test_loyalty_refusing_the_bonus_is_a_502_naming_its_answer(loyalty):
    # More points than loyalty accepts: loyalty's 422 is our mistake, not the caller's.
    with pytest.raises(PeerRefused) as caught:
        loyalty.award_referral_bonus(referral_id=9, business_id=1, phone_number=REFERRER,
                                     points=10**12)

    assert caught.value.status_code == 502
    assert caught.value.peer_status == 422


def test_notifications_stores_an_sms_once_per_key(notifications):
    first = notifications.request_sms(to=FRIEND, body="Join Mazoe Cafe", kind="invitation",
                                      essential=False, idempotency_key="invite-1")
    again = notifications.request_sms(to=FRIEND, body="Join Mazoe Cafe", kind="invitation",
                                      essential=False, idempotency_key="invite-1")

    assert first.status == "queued"
    assert again == first


def test_notifications_refusing_the_sms_keeps_its_status_for_the_sender(notifications):
    with pytest.raises(PeerRefused) as caught:
        notifications.request_sms(to=FRIEND, body="", kind="invitation", essential=False,
                                  idempotency_key="invite-2")

    assert (caught.value.status_code, caught.value.peer_status) == (502, 422)


@pytest.mark.parametrize(("answer", "error"), [
    (httpx.Response(500), UpstreamError),
    (httpx.ReadTimeout("slow"), UpstreamTimeout),
    (httpx.Response(202, json={"id": 1, "status": "lost"}), UpstreamError),
])
def test_notifications_faults_are_upstream_errors(answer, error):
    def handle(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = NotificationsClient("http://notifications.test",
                                 transport=httpx.MockTransport(handle), backoff_seconds=0)
    with pytest.raises(error):
        client.request_sms(to=FRIEND, body="Hi", kind="invitation", essential=False,
                           idempotency_key="invite-3")


def test_loyalty_answering_for_another_customer_is_a_502():
    answer = {"transaction_id": 1, "customer_phone_number": FRIEND, "points_awarded": 50,
              "total_points": 50}
    client = LoyaltyClient("http://loyalty.test", transport=httpx.MockTransport(
        lambda request: httpx.Response(201, json=answer)))

    with pytest.raises(UpstreamError, match="another customer"):
        client.award_referral_bonus(referral_id=7, business_id=1, phone_number=REFERRER,
                                    points=50)


@pytest.mark.parametrize(("status", "points", "error", "code"), [
    ("suspended", 5, BusinessNotActive, 403),
    ("active", 200_000, AwardLimitExceeded, 422),
])
def test_a_bonus_loyalty_refuses_for_the_business_is_a_clear_4xx_not_a_502(
    peers, loyalty, keys, status, points, error, code
):
    """Issue 11: a pending or suspended business, or a bonus above its award limit, is the
    caller's to fix; referrals passes loyalty's reason on instead of a 502."""
    as_auth = {"Authorization": f"Bearer {keys.service_token('auth')}"}
    assert peers.client("loyalty.test").post("/internal/events", headers=as_auth, json={
        "id": "evt-status", "type": "business.updated", "source": "auth",
        "occurred_at": "2026-11-25T10:00:00Z",
        "data": {"business_id": 1, "name": "Mazoe Cafe", "status": status}}).status_code == 200

    with pytest.raises(error) as refused:
        loyalty.award_referral_bonus(referral_id=9, business_id=1, phone_number=REFERRER,
                                     points=points)

    assert refused.value.status_code == code

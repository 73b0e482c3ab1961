"""Notifications' loyalty client against the real loyalty app (``GET /internal/customers/
{phone}/balance``, which answers the BALANCE SMS command).

Loyalty runs in process (:class:`~mubayiro.common.testing.PeerApps`) with a business
registered the way auth's event does it and a customer who earned there; only faults
(5xx, timeouts) are made up, with ``httpx.MockTransport``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mubayiro.common.errors import UpstreamError, UpstreamTimeout, UpstreamUnavailable
from mubayiro.common.http import PeerRefused
from mubayiro.common.testing import PeerApps
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.main import create_app as create_loyalty
from mubayiro.notifications.clients.loyalty import LoyaltyClient

LOYALTY = "loyalty.test"
PHONE = "+263771234567"


@pytest.fixture
def peers(keys, tmp_path):
    """Loyalty running, Mazoe Cafe registered, ``PHONE`` with 12 points there."""
    with PeerApps(keys=keys) as peers:  # stops loyalty even if the set-up fails
        peers.serve(LOYALTY, lambda: create_loyalty(LoyaltySettings(
            _env_file=None, environment="test", log_level="WARNING", data_dir=tmp_path,
            auth_url="http://auth.test", notifications_url=None, reports_url=None),
            token_verifier=keys.verifier()))
        loyalty = peers.client(LOYALTY)
        resp = loyalty.post("/internal/events", headers={
            "Authorization": f"Bearer {keys.service_token('auth')}"}, json={
            "id": "evt-1", "type": "business.registered", "source": "auth",
            "occurred_at": "2026-11-24T10:00:00Z",
            "data": {"business_id": 1, "name": "Mazoe Cafe", "contact_person": "Owner",
                     "email": "owner@example.com", "loyalty_rate": "1"}})
        assert resp.status_code == 200, resp.text
        resp = loyalty.post("/transactions/add_points", headers={
            "Authorization": f"Bearer {keys.business_token(1)}"}, json={
            "business_id": 1, "customer_phone_number": PHONE, "amount_spent": "12.50"})
        assert resp.status_code == 201, resp.text
        yield peers


@pytest.fixture
def client(peers):
    """Notifications' loyalty client, with notifications' service token."""
    return peers.peer_client(LoyaltyClient, LOYALTY, service="notifications")


def test_a_customers_balance(client):
    balance = client.balance(PHONE)

    assert balance is not None
    assert (balance.total_points, balance.next_expiry) == (12, None)


def test_a_customers_balance_names_the_points_that_expire_next(client, peers, keys):
    loyalty = peers.client(LOYALTY)
    owner = {"Authorization": f"Bearer {keys.business_token(1)}"}
    rules = loyalty.post("/businesses/1/loyalty_rules", headers=owner,
                         json={"loyalty_rate": "1", "points_expire_after_days": 30})
    assert rules.status_code == 200, rules.text
    earned = loyalty.post("/transactions/add_points", headers=owner, json={
        "business_id": 1, "customer_phone_number": PHONE, "amount_spent": "40.00"})
    assert earned.status_code == 201, earned.text

    balance = client.balance(PHONE)

    assert balance is not None and balance.next_expiry is not None
    assert balance.total_points == 52
    assert balance.next_expiry.points == 40
    assert balance.next_expiry.date == (datetime.now(UTC) + timedelta(days=30)).date()


def test_a_phone_that_never_earned_has_no_balance(client):
    assert client.balance("+263779999999") is None


def test_loyalty_refusing_us_is_a_502(peers):
    # Without our service token loyalty answers 401: that is not the texter's fault.
    client = peers.peer_client(LoyaltyClient, LOYALTY, service=None)

    with pytest.raises(PeerRefused) as caught:
        client.balance(PHONE)

    assert caught.value.status_code == 502
    assert caught.value.peer_status == 401


def test_loyalty_down_is_a_503(peers, client):
    peers.down.add(LOYALTY)

    with pytest.raises(UpstreamUnavailable):
        client.balance(PHONE)


@pytest.mark.parametrize(("answer", "error"), [
    (httpx.Response(500), UpstreamError),
    (httpx.ReadTimeout("slow"), UpstreamTimeout),
    (httpx.Response(200, json={"phone_number": "+263770000000", "total_points": 1}),
     UpstreamError),
    (httpx.Response(200, json={"phone_number": PHONE, "total_points": -1}), UpstreamError),
])
def test_faults_are_upstream_errors(answer, error):
    def handle(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = LoyaltyClient(f"http://{LOYALTY}", transport=httpx.MockTransport(handle),
                           backoff_seconds=0)
    with pytest.raises(error):
        client.balance(PHONE)

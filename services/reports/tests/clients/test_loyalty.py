"""Reports' loyalty client against the real loyalty app's ``GET /internal/ledger``.

Loyalty runs in process (:class:`~mubayiro.common.testing.PeerApps`) with a business
and a few purchases made through its own routes; only answers loyalty would never give
(out of order, broken rows) and faults are made up, with ``httpx.MockTransport``.
"""

from __future__ import annotations

import httpx
import pytest

from mubayiro.common.errors import UpstreamError, UpstreamUnavailable
from mubayiro.common.http import PeerRefused
from mubayiro.common.testing import PeerApps
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.main import create_app as create_loyalty
from mubayiro.reports.clients.loyalty import LoyaltyClient

PHONE = "+263771234567"


@pytest.fixture
def peers(keys, tmp_path):
    """Loyalty with Mazoe Cafe (business 1, rate 2) and three purchases there."""
    with PeerApps(keys=keys) as peers:  # stops loyalty even if the set-up fails
        peers.serve("loyalty.test", lambda: create_loyalty(LoyaltySettings(
            _env_file=None, environment="test", log_level="WARNING", data_dir=tmp_path,
            auth_url="http://auth.test", notifications_url=None, reports_url=None),
            token_verifier=keys.verifier()))
        loyalty = peers.client("loyalty.test")
        registered = loyalty.post(
            "/internal/events", headers={"Authorization": f"Bearer {keys.service_token('auth')}"},
            json={"id": "evt-1", "type": "business.registered", "source": "auth",
                  "occurred_at": "2026-11-24T10:00:00Z",
                  "data": {"business_id": 1, "name": "Mazoe Cafe", "contact_person": "Owner",
                           "email": "owner@example.com", "loyalty_rate": "2"}})
        assert registered.status_code == 200, registered.text
        for amount in ("1.00", "2.50", "10.00"):
            earned = loyalty.post(
                "/transactions/add_points",
                headers={"Authorization": f"Bearer {keys.business_token(1)}"},
                json={"business_id": 1, "customer_phone_number": PHONE, "amount_spent": amount})
            assert earned.status_code == 201, earned.text
        yield peers


@pytest.fixture
def client(peers):
    """Reports' loyalty client, with reports' service token."""
    return peers.peer_client(LoyaltyClient, "loyalty.test", service="reports")


def test_the_ledger_comes_a_page_at_a_time_in_id_order(client):
    first = client.ledger_page(after_id=0, limit=2)
    rest = client.ledger_page(after_id=first.transactions[-1].id, limit=2)

    rows = first.transactions + rest.transactions
    assert [row.points for row in rows] == [2, 5, 20]
    assert all(row.is_known_type and row.customer_phone_number == PHONE for row in rows)
    assert first.next_after_id == first.transactions[-1].id
    assert rest.next_after_id is None


def test_loyalty_refusing_the_page_is_a_502_naming_the_page(client):
    # Loyalty pages hold 1–5000 rows: its 422 is reports' mistake, not an operator's.
    with pytest.raises(PeerRefused, match="the ledger page after id 0") as caught:
        client.ledger_page(after_id=0, limit=0)

    assert (caught.value.status_code, caught.value.peer_status) == (502, 422)


def test_loyalty_down_is_a_503(peers, client):
    peers.down.add("loyalty.test")

    with pytest.raises(UpstreamUnavailable):
        client.ledger_page(after_id=0, limit=2)


def _row(row_id: int) -> dict[str, object]:
    return {"id": row_id, "type": "earn", "business_id": 1, "customer_phone_number": PHONE,
            "amount_spent": "1.00", "points": 1, "timestamp": "2026-11-24T10:00:00Z"}


@pytest.mark.parametrize(("body", "problem"), [
    ({"transactions": [_row(2), _row(1)], "next_after_id": 1}, "ascending id order"),
    ({"transactions": [_row(1) | {"points": -1}], "next_after_id": None}, "wrong sign"),
    ({"rows": []}, "transactions"),
])
def test_a_page_breaking_the_contract_is_a_502(body, problem):
    client = LoyaltyClient("http://loyalty.test", transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json=body)))

    with pytest.raises(UpstreamError, match=problem):
        client.ledger_page(after_id=0, limit=10)

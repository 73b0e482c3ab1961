"""Loyalty's auth client against the real auth app (its ``/internal/businesses/{id}``).

The contract checked here is the one docs/events.md states: auth answers with what
``business.registered`` carries — the name and the rate given at registration — so a
business whose event is late still starts with the rate it registered with. Faults
(timeouts, 5xx) are the only answers made up here, with ``httpx.MockTransport``.
"""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from mubayiro.common.errors import UpstreamError, UpstreamTimeout, UpstreamUnavailable
from mubayiro.common.http import PeerRefused
from mubayiro.loyalty.clients.auth import AuthClient

AUTH = "http://auth.test"


@pytest.fixture
def client(auth):
    """Loyalty's auth client, with loyalty's service token, onto the real auth app."""
    return auth.peers.peer_client(AuthClient, auth.HOST, service="loyalty")


def _register(auth, **extra):
    """Register a business through auth's own public route (its event goes nowhere)."""
    resp = auth.peers.client(auth.HOST).post("/auth/register_business", json={
        "name": "Fresh Bakery", "contact_person": "Tendai", "email": "owner@example.com",
        "password": "correct horse 42", **extra})
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_a_business_registered_with_a_rate_comes_with_that_rate(auth, client):
    registered = _register(auth, loyalty_rate="2.5")

    business = client.get_business(registered["id"])

    assert business is not None
    assert business.id == registered["id"]
    assert business.name == "Fresh Bakery"
    assert business.loyalty_rate == Decimal("2.5")


def test_a_business_registered_without_a_rate_has_none(auth, client):
    registered = _register(auth)

    business = client.get_business(registered["id"])

    assert business is not None
    assert business.loyalty_rate is None


def test_a_business_auth_does_not_know_is_none(auth, client):
    assert client.get_business(404) is None
    assert auth.lookups() == ["GET /internal/businesses/404"]


def test_auth_refusing_our_call_is_a_502_not_the_callers_error(auth):
    # No service token: auth answers 401, which is auth's problem with us, not the caller's.
    client = auth.peers.peer_client(AuthClient, auth.HOST, service=None)
    _register(auth)

    with pytest.raises(PeerRefused) as caught:
        client.get_business(1)

    assert caught.value.status_code == 502
    assert caught.value.peer_status == 401
    assert caught.value.peer_error == "Unauthorized"


def test_auth_down_is_a_503(auth, client):
    auth.down = True

    with pytest.raises(UpstreamUnavailable):
        client.get_business(1)


@pytest.mark.parametrize(("fault", "error"), [
    (lambda request: httpx.Response(500, text="boom"), UpstreamError),
    (lambda request: httpx.Response(503, json={"detail": "down", "error": "Down"}),
     UpstreamUnavailable),
    (lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=request)),
     UpstreamTimeout),
    (lambda request: httpx.Response(200, text="not json"), UpstreamError),
    (lambda request: httpx.Response(200, json={"id": 1}), UpstreamError),
    (lambda request: httpx.Response(200, json={"id": 2, "name": "Other",
                                               "loyalty_rate": None}), UpstreamError),
])
def test_faults_are_upstream_errors(fault, error):
    client = AuthClient(AUTH, transport=httpx.MockTransport(fault), backoff_seconds=0)

    with pytest.raises(error):
        client.get_business(1)

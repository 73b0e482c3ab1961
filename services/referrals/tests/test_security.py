"""Every route refuses bad tokens (401), wrong roles (403) and other businesses' data."""

from __future__ import annotations

import pytest

from mubayiro.common.testing import TestKeys, broken_business_tokens

REFERRER = "+263771234567"
NEW = "+263772345678"

# (method, path, json body) of every route that needs a token.
PROTECTED = [
    ("POST", "/referrals/track",
     {"business_id": 1, "new_customer_phone_number": NEW, "referrer_phone_number": REFERRER}),
    ("POST", "/referrals/complete", {"referral_id": 1, "points_to_award_referrer": 10}),
    ("GET", "/referrals", None),
    ("POST", "/referrals/invite", {"friend_phone_number": "+263773456789"}),
]
BUSINESS_ROUTES = PROTECTED[:3]


@pytest.fixture(scope="module")
def bad_tokens(keys: TestKeys) -> dict[str, str | None]:
    """One token of each broken kind (``broken_business_tokens``)."""
    return broken_business_tokens(keys)


BAD_TOKEN_KINDS = ["missing", "garbage", "forged", "expired", "wrong audience",
                   "service audience", "wrong issuer", "alg none", "hs256 with public key",
                   "unknown kid"]


@pytest.mark.parametrize("kind", BAD_TOKEN_KINDS)
@pytest.mark.parametrize(("method", "path", "body"), PROTECTED,
                         ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_bad_tokens_are_401_and_change_nothing(referrals, bad_tokens, method, path, body, kind):
    referrals.peers.buys(1, REFERRER)
    assert referrals.track(1, "+263774445556", REFERRER).status_code == 201
    before = referrals.counts()
    token = bad_tokens[kind]
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    response = referrals.client.request(method, path, json=body, headers=headers)

    assert response.status_code == 401, response.text
    assert response.json()["error"] in {"Unauthorized", "InvalidToken"}
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert referrals.counts() == before
    assert referrals.peers.bonus_requests == []


@pytest.mark.parametrize(("method", "path", "body"), BUSINESS_ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in BUSINESS_ROUTES])
def test_business_routes_refuse_a_customer_token(referrals, method, path, body):
    response = referrals.client.request(method, path, json=body,
                                        headers=referrals.customer(REFERRER))

    assert response.status_code == 403
    assert response.json()["error"] == "Forbidden"
    assert referrals.count("referral") == 0


def test_a_business_cannot_track_for_another_business(referrals):
    referrals.peers.buys(1, REFERRER)
    referrals.peers.buys(2, REFERRER)

    response = referrals.track(2, NEW, REFERRER, as_business=1)

    assert response.status_code == 403
    assert response.json() == {"detail": "You can only act on your own business",
                               "error": "Forbidden"}
    assert referrals.count("referral") == 0
    assert referrals.peers.balance_calls == referrals.peers.shop_calls == []


def test_a_business_never_sees_or_completes_another_businesss_referrals(referrals):
    referrals.peers.buys(2, REFERRER)
    theirs = referrals.track(2, NEW, REFERRER).json()["id"]
    referrals.purchase(2, NEW)

    listed = referrals.list(1).json()
    listed_pending = referrals.list(1, status="pending").json()
    by_id = referrals.complete(1, referral_id=theirs)
    by_phone = referrals.complete(1, phone=NEW)
    tracked_again = referrals.track(1, NEW, REFERRER)

    assert listed == listed_pending == {"items": [], "total": 0}
    assert by_id.status_code == by_phone.status_code == 404
    assert str(theirs) in by_id.json()["detail"] and "your business" in by_id.json()["detail"]
    # Business 2's referral says nothing to business 1: the referrer is a stranger to it.
    assert tracked_again.status_code == 422
    assert tracked_again.json()["error"] == "ReferrerNotACustomer"
    assert referrals.peers.bonus_requests == []
    assert referrals.referral(theirs).status == "pending"
    assert [r["id"] for r in referrals.list(2).json()["items"]] == [theirs]


def test_an_idempotency_key_is_scoped_to_its_caller(referrals):
    referrals.peers.buys(1, REFERRER)
    referrals.peers.buys(2, REFERRER)
    key = {"Idempotency-Key": "shared-key"}
    mine = referrals.track(1, NEW, REFERRER, headers=key)

    theirs = referrals.track(2, NEW, REFERRER, headers=key)

    assert mine.status_code == 201
    # Business 2 does not get business 1's stored answer: its own request runs.
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert (mine.json()["business_id"], theirs.json()["business_id"]) == (1, 2)
    assert mine.json()["id"] != theirs.json()["id"]

"""Every protected route refuses bad tokens (401) and other businesses' data (403)."""

from __future__ import annotations

import jwt
import pytest

from mubayiro.common.testing import TestKeys, broken_business_tokens

PHONE = "+263771234567"

# (method, path, json body) of every route that needs a token.
PROTECTED = [
    ("POST", "/businesses/1/loyalty_rules", {"loyalty_rate": "2"}),
    ("GET", "/businesses/1/transactions", None),
    ("GET", "/businesses/1/rewards", None),
    ("POST", "/businesses/1/rewards", {"name": "Coffee", "points_cost": 10}),
    ("PATCH", "/businesses/1/rewards/1", {"points_cost": 1}),
    ("DELETE", "/businesses/1/rewards/1", None),
    ("GET", "/businesses/1/cross_promotions", None),
    ("PUT", "/businesses/1/cross_promotions", {"partner_business_ids": []}),
    ("GET", f"/businesses/1/customers/{PHONE}", None),
    ("POST", "/transactions/add_points",
     {"business_id": 1, "customer_phone_number": PHONE, "amount_spent": "10.00"}),
    ("POST", "/transactions/redeem_points",
     {"business_id": 1, "customer_phone_number": PHONE, "points_to_redeem": 10,
      "reward_description": "Coffee"}),
    ("GET", f"/customers/points/{PHONE}", None),
    ("GET", f"/customers/{PHONE}/transactions", None),
    ("GET", f"/customers/{PHONE}/rewards", None),
    ("GET", f"/customers/recommendations/{PHONE}", None),
    ("GET", "/businesses/1", None),  # public, but a token that is sent must be valid
    ("GET", f"/internal/customers/{PHONE}/balance", None),
    ("POST", "/internal/transactions/referral_bonus",
     {"business_id": 1, "customer_phone_number": PHONE, "points": 10, "referral_id": 1}),
    ("POST", "/internal/transactions/import",
     {"business_id": 1, "customer_phone_number": PHONE, "amount_spent": "10.00",
      "occurred_at": "2026-01-05T09:00:00Z"}),
    ("GET", "/internal/ledger", None),
    ("POST", "/internal/events",
     {"id": "e-1", "type": "business.registered", "source": "auth",
      "occurred_at": "2026-11-24T10:00:00Z",
      "data": {"business_id": 1, "name": "Hijacked"}}),
]


@pytest.fixture(scope="module")
def bad_tokens(keys: TestKeys) -> dict[str, str | None]:
    """One token of each broken kind (``broken_business_tokens``)."""
    return broken_business_tokens(keys)


BAD_TOKEN_KINDS = ["missing", "garbage", "forged", "expired", "wrong audience", "wrong issuer",
                   "alg none", "hs256 with public key", "unknown kid"]


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED,
                         ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_bad_tokens_are_401_and_change_nothing(loyalty, bad_tokens, subtests, method, path,
                                               body):
    loyalty.register_business(1, "Mazoe Cafe")
    loyalty.add_points(1, PHONE, "50.00")
    loyalty.client.post("/businesses/1/rewards", json={"name": "Cake", "points_cost": 40},
                        headers=loyalty.business_headers(1))
    before = loyalty.counts()

    # One app for the route; each kind of bad token is its own subtest.
    for kind in BAD_TOKEN_KINDS:
        with subtests.test(kind=kind):
            token = bad_tokens[kind]
            if token is None and path == "/businesses/1":
                continue  # the public page without a token is fine
            headers = {"Authorization": f"Bearer {token}"} if token else {}

            resp = loyalty.client.request(method, path, json=body, headers=headers)

            assert resp.status_code == 401, resp.text
            assert resp.json()["error"] in {"Unauthorized", "InvalidToken"}
            assert resp.headers["WWW-Authenticate"] == "Bearer"
            assert loyalty.counts() == before
    page = loyalty.client.get("/businesses/1").json()
    assert page["name"] == "Mazoe Cafe"
    assert page["rewards"][0]["points_cost"] == 40


def test_crafted_attack_tokens_are_what_they_claim(bad_tokens):
    # Guard for the test above: the crafted tokens really use the attacking algorithms.
    assert jwt.get_unverified_header(bad_tokens["alg none"])["alg"] == "none"
    assert jwt.get_unverified_header(bad_tokens["hs256 with public key"])["alg"] == "HS256"


# Every route naming a business (path or body), aimed at business 2.
CROSS_BUSINESS = [
    ("POST", "/businesses/2/loyalty_rules", {"loyalty_rate": "9"}),
    ("GET", "/businesses/2/transactions", None),
    ("GET", "/businesses/2/rewards", None),
    ("POST", "/businesses/2/rewards", {"name": "Free steak", "points_cost": 1}),
    ("PATCH", "/businesses/2/rewards/1", {"points_cost": 1}),
    ("DELETE", "/businesses/2/rewards/1", None),
    ("GET", "/businesses/2/cross_promotions", None),
    ("PUT", "/businesses/2/cross_promotions", {"partner_business_ids": [1]}),
    ("GET", f"/businesses/2/customers/{PHONE}", None),
    ("POST", "/transactions/add_points",
     {"business_id": 2, "customer_phone_number": PHONE, "amount_spent": "10.00"}),
    ("POST", "/transactions/redeem_points",
     {"business_id": 2, "customer_phone_number": PHONE, "points_to_redeem": 10,
      "reward_description": "Steak"}),
    ("POST", "/transactions/redeem_points",
     {"business_id": 2, "customer_phone_number": PHONE, "points_to_redeem": 20,
      "reward_description": "Steak", "reward_id": 1}),
]


@pytest.fixture
def business_b(loyalty):
    """Business 2 with a reward (id 1), a partner and a customer; business 1 exists too."""
    loyalty.register_business(1, "A")
    loyalty.register_business(2, "B", loyalty_rate="2")
    loyalty.add_points(2, PHONE, "10.00")
    b = loyalty.business_headers(2)
    loyalty.client.post("/businesses/2/rewards", json={"name": "Steak", "points_cost": 20},
                        headers=b)
    loyalty.client.put("/businesses/2/cross_promotions", json={"partner_business_ids": [1]},
                       headers=b)
    return loyalty


def _b_unchanged(loyalty) -> None:
    b = loyalty.business_headers(2)
    assert loyalty.client.get("/businesses/2").json()["loyalty_rate"] == "2.0000"
    assert [r["points_cost"] for r in loyalty.client.get(
        "/businesses/2/rewards", headers=b).json()] == [20]
    assert loyalty.rows("customer")[0].total_points == 20


def test_business_a_cannot_touch_business_b(business_b, subtests):
    loyalty = business_b
    before = loyalty.counts()

    for method, path, body in CROSS_BUSINESS:
        with subtests.test(route=f"{method} {path}"):
            resp = loyalty.client.request(method, path, json=body,
                                          headers={**loyalty.business_headers(1),
                                                   "Idempotency-Key": "k-1"})

            assert resp.status_code == 403
            assert resp.json() == {"detail": "You can only act on your own business",
                                   "error": "Forbidden"}
            assert loyalty.counts() == before
    _b_unchanged(loyalty)


def test_customer_tokens_cannot_use_business_routes(business_b, subtests):
    loyalty = business_b
    before = loyalty.counts()

    for method, path, body in CROSS_BUSINESS:
        with subtests.test(route=f"{method} {path}"):
            resp = loyalty.client.request(method, path, json=body,
                                          headers=loyalty.customer_headers(PHONE))

            assert resp.status_code == 403
            assert loyalty.counts() == before
    _b_unchanged(loyalty)


def test_internal_routes_refuse_api_tokens(loyalty):
    resp = loyalty.client.post("/internal/events", json=PROTECTED[-1][2],
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 401
    assert loyalty.count("business") == 0

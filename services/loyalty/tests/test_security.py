"""Every protected route refuses bad tokens (401) and other businesses' data (403)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from mubayiro.common.testing import TestKeys

PHONE = "+263771234567"

# (method, path, json body) of every route that needs a token.
PROTECTED = [
    ("POST", "/businesses/1/loyalty_rules", {"loyalty_rate": "2"}),
    ("GET", "/businesses/1/transactions", None),
    ("POST", "/transactions/add_points",
     {"business_id": 1, "customer_phone_number": PHONE, "amount_spent": "10.00"}),
    ("GET", f"/customers/points/{PHONE}", None),
    ("POST", "/internal/events",
     {"id": "e-1", "type": "business.registered", "source": "auth",
      "occurred_at": "2026-11-24T10:00:00Z",
      "data": {"business_id": 1, "name": "Hijacked"}}),
]


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def bad_tokens(keys: TestKeys) -> dict[str, str | None]:
    """One token of each broken kind (made once: RSA keys are slow to generate)."""
    forger = TestKeys(kid=keys.kid)  # same kid, another private key
    now = int(time.time())
    claims = {"iss": keys.issuer, "aud": "mubayiro", "iat": now, "exp": now + 600,
              "sub": "business:1", "role": "business", "business_id": 1}
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': keys.kid})}.{_b64(claims)}."
    public_pem = keys.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "missing": None,
        "garbage": "not.a.token",
        "forged": forger.business_token(1),
        "expired": keys.business_token(1, expires_in=-60),
        "wrong audience": keys.business_token(1, audience="someone-else"),
        "wrong issuer": TestKeys(issuer="evil", kid=keys.kid).business_token(1),
        "alg none": unsigned,
        "hs256 with public key": _hs256(claims, public_pem, keys.kid),
        "unknown kid": TestKeys().business_token(1),
    }


def _hs256(claims: dict, secret: bytes, kid: str) -> str:
    """An HS256 token keyed with the RSA public key (the RS/HS confusion attack)."""
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": kid})
    body = _b64(claims)
    sig = hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


BAD_TOKEN_KINDS = ["missing", "garbage", "forged", "expired", "wrong audience", "wrong issuer",
                   "alg none", "hs256 with public key", "unknown kid"]


@pytest.mark.parametrize("kind", BAD_TOKEN_KINDS)
@pytest.mark.parametrize(("method", "path", "body"), PROTECTED,
                         ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_bad_tokens_are_401_and_change_nothing(loyalty, bad_tokens, method, path, body, kind):
    loyalty.register_business(1, "Mazoe Cafe")
    before = loyalty.counts()
    token = bad_tokens[kind]
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    resp = loyalty.client.request(method, path, json=body, headers=headers)

    assert resp.status_code == 401, resp.text
    assert resp.json()["error"] in {"Unauthorized", "InvalidToken"}
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert loyalty.counts() == before
    assert loyalty.client.get("/businesses/1").json()["name"] == "Mazoe Cafe"


def test_crafted_attack_tokens_are_what_they_claim(bad_tokens):
    # Guard for the test above: the crafted tokens really use the attacking algorithms.
    assert jwt.get_unverified_header(bad_tokens["alg none"])["alg"] == "none"
    assert jwt.get_unverified_header(bad_tokens["hs256 with public key"])["alg"] == "HS256"


CROSS_BUSINESS = [
    ("POST", "/businesses/2/loyalty_rules", {"loyalty_rate": "9"}),
    ("GET", "/businesses/2/transactions", None),
    ("POST", "/transactions/add_points",
     {"business_id": 2, "customer_phone_number": PHONE, "amount_spent": "10.00"}),
]


@pytest.mark.parametrize(("method", "path", "body"), CROSS_BUSINESS,
                         ids=[f"{m} {p}" for m, p, _ in CROSS_BUSINESS])
def test_business_a_cannot_touch_business_b(loyalty, method, path, body):
    loyalty.register_business(1, "A")
    loyalty.register_business(2, "B", loyalty_rate="2")
    loyalty.add_points(2, PHONE, "10.00")
    before = loyalty.counts()

    resp = loyalty.client.request(method, path, json=body,
                                  headers={**loyalty.business_headers(1),
                                           "Idempotency-Key": "k-1"})

    assert resp.status_code == 403
    assert resp.json() == {"detail": "You can only act on your own business",
                           "error": "Forbidden"}
    assert loyalty.counts() == before
    assert loyalty.client.get("/businesses/2").json()["loyalty_rate"] == "2.0000"


@pytest.mark.parametrize(("method", "path", "body"), CROSS_BUSINESS,
                         ids=[f"{m} {p}" for m, p, _ in CROSS_BUSINESS])
def test_customer_tokens_cannot_use_business_routes(loyalty, method, path, body):
    loyalty.register_business(2, "B")
    before = loyalty.counts()

    resp = loyalty.client.request(method, path, json=body,
                                  headers=loyalty.customer_headers(PHONE))

    assert resp.status_code == 403
    assert loyalty.counts() == before


def test_internal_routes_refuse_api_tokens(loyalty):
    resp = loyalty.client.post("/internal/events", json=PROTECTED[-1][2],
                               headers=loyalty.business_headers(1))

    assert resp.status_code == 401
    assert loyalty.count("business") == 0

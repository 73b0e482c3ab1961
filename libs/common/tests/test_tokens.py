"""Token verification: every way a token can be wrong is a 401."""

import base64
import json
import time

import httpx
import jwt
import pytest

from mubayiro.common.testing import TestKeys
from mubayiro.common.tokens import InvalidToken, Principal, TokenVerifier


@pytest.fixture(scope="module")
def keys():
    return TestKeys()


def test_valid_business_token_gives_principal(keys):
    principal = keys.verifier().verify(keys.business_token(7), audience="mubayiro")
    assert principal == Principal(role="business", subject="business:7", business_id=7)


def test_customer_and_service_tokens(keys):
    v = keys.verifier()
    assert v.verify(keys.customer_token("+263771234567"), audience="mubayiro").phone_number == (
        "+263771234567"
    )
    svc = v.verify(keys.service_token("loyalty"), audience="mubayiro-internal")
    assert svc.role == "service" and svc.client_id == "loyalty"


def test_expired_token_is_refused(keys):
    with pytest.raises(InvalidToken, match="expired"):
        keys.verifier().verify(keys.business_token(1, expires_in=-60), audience="mubayiro")


def test_wrong_audience_is_refused(keys):
    with pytest.raises(InvalidToken, match="audience"):
        keys.verifier().verify(keys.business_token(1, audience="other"), audience="mubayiro")


def test_token_from_another_key_is_refused(keys):
    forger = TestKeys(kid=keys.kid)
    with pytest.raises(InvalidToken):
        keys.verifier().verify(forger.business_token(1), audience="mubayiro")


def _b64(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def test_alg_none_is_refused(keys):
    now = int(time.time())
    claims = {"iss": keys.issuer, "aud": "mubayiro", "sub": "business:1", "role": "business",
              "business_id": 1, "iat": now, "exp": now + 60}
    token = f"{_b64({'alg': 'none', 'kid': keys.kid})}.{_b64(claims)}."
    with pytest.raises(InvalidToken, match="algorithm"):
        keys.verifier().verify(token, audience="mubayiro")


def test_hs256_with_public_key_is_refused(keys):
    public_pem = keys.private_key.public_key().public_bytes(
        encoding=__import__("cryptography.hazmat.primitives.serialization",
                            fromlist=["Encoding"]).Encoding.PEM,
        format=__import__("cryptography.hazmat.primitives.serialization",
                          fromlist=["PublicFormat"]).PublicFormat.SubjectPublicKeyInfo,
    )
    now = int(time.time())
    claims = {"iss": keys.issuer, "aud": "mubayiro", "sub": "business:1", "role": "business",
              "business_id": 1, "iat": now, "exp": now + 60}
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": keys.kid})
    import hashlib
    import hmac

    signing_input = f"{header}.{_b64(claims)}".encode()
    sig = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    token = f"{header}.{_b64(claims)}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"
    with pytest.raises(InvalidToken):
        keys.verifier().verify(token, audience="mubayiro")


def test_wrong_issuer_and_garbage_are_refused(keys):
    other = TestKeys(issuer="someone-else", kid=keys.kid)
    other.private_key, other.private_pem = keys.private_key, keys.private_pem
    with pytest.raises(InvalidToken):
        keys.verifier().verify(other.business_token(1), audience="mubayiro")
    for junk in ("", "abc", "a.b.c"):
        with pytest.raises(InvalidToken):
            keys.verifier().verify(junk, audience="mubayiro")


def test_claims_must_match_role(keys):
    token = keys.token({"sub": "business:2", "role": "business", "business_id": 3})
    with pytest.raises(InvalidToken):
        keys.verifier().verify(token, audience="mubayiro")
    with pytest.raises(InvalidToken):
        keys.verifier().verify(keys.token({"sub": "x", "role": "admin"}), audience="mubayiro")


def test_jwks_is_fetched_once_and_refreshed_for_unknown_kid():
    first, second = TestKeys(), TestKeys()
    served = {"jwks": first.jwks}
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(200, json=served["jwks"])

    client = httpx.Client(transport=httpx.MockTransport(handler))
    verifier = TokenVerifier(issuer=first.issuer, jwks_url="http://auth/jwks", http=client)
    verifier.verify(first.business_token(1), audience="mubayiro")
    verifier.verify(first.business_token(1), audience="mubayiro")
    assert len(calls) == 1
    served["jwks"] = {"keys": first.jwks["keys"] + second.jwks["keys"]}
    verifier._fetched_at -= 60  # past the minimum refresh interval
    verifier.verify(second.business_token(2), audience="mubayiro")
    assert len(calls) == 2


def test_unknown_kid_does_not_refetch_within_minimum_interval(keys):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json=keys.jwks)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    verifier = TokenVerifier(issuer=keys.issuer, jwks_url="http://auth/jwks", http=client)
    verifier.verify(keys.business_token(1), audience="mubayiro")
    stranger = TestKeys()
    for _ in range(5):
        with pytest.raises(InvalidToken):
            verifier.verify(stranger.business_token(1), audience="mubayiro")
    assert len(calls) == 1


def test_pyjwt_decode_rejects_none_even_if_asked(keys):
    # Guard against a future refactor passing the header's alg through.
    with pytest.raises(jwt.PyJWTError):
        jwt.decode(keys.business_token(1), options={"verify_signature": True}, algorithms=["none"],
                   key="")


def test_a_remembered_token_is_refused_once_it_expires(keys):
    verifier = TokenVerifier(issuer=keys.issuer, jwks=keys.jwks, leeway_seconds=0)
    token = keys.business_token(3, expires_in=1)
    assert verifier.verify(token, audience="mubayiro").business_id == 3
    assert verifier.verify(token, audience="mubayiro").business_id == 3  # remembered
    time.sleep(2.1)  # exp is whole seconds: past it for certain
    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(token, audience="mubayiro")


def test_a_remembered_token_is_refused_once_its_key_is_rotated_out():
    old, new = TestKeys(), TestKeys()
    served = {"jwks": old.jwks}
    client = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json=served["jwks"])))
    verifier = TokenVerifier(issuer=old.issuer, jwks_url="http://auth/jwks", http=client,
                             cache_seconds=300)
    token = old.business_token(4)
    verifier.verify(token, audience="mubayiro")
    verifier.verify(token, audience="mubayiro")  # remembered
    served["jwks"] = new.jwks  # auth rotated the old key out
    verifier._fetched_at -= 400  # the JWKS cache has aged out: the next check refreshes it
    with pytest.raises(InvalidToken, match="unknown key"):
        verifier.verify(token, audience="mubayiro")


def test_a_token_remembered_for_one_audience_is_not_accepted_for_another(keys):
    verifier = keys.verifier()
    token = keys.business_token(5)
    verifier.verify(token, audience="mubayiro")
    with pytest.raises(InvalidToken, match="audience"):
        verifier.verify(token, audience="mubayiro-internal")


def test_remembered_answers_without_io_only_what_verify_would_accept(keys):
    # The async dependencies ask remembered() on the event loop and verify() in a thread
    # only when it says None: it must never say yes where verify() would refuse, and must
    # leave a key refresh (I/O) to verify().
    calls = []
    client = httpx.Client(transport=httpx.MockTransport(
        lambda request: calls.append(1) or httpx.Response(200, json=keys.jwks)))
    verifier = TokenVerifier(issuer=keys.issuer, jwks_url="http://auth/jwks", http=client,
                             cache_seconds=300, leeway_seconds=0)
    token, short = keys.business_token(6), keys.business_token(7, expires_in=1)
    assert verifier.remembered(token, audience="mubayiro") is None  # never verified
    assert verifier.verify(token, audience="mubayiro").business_id == 6
    verifier.verify(short, audience="mubayiro")
    assert calls == [1]
    assert verifier.remembered(token, audience="mubayiro").business_id == 6
    assert verifier.remembered(token, audience="mubayiro-internal") is None
    time.sleep(2.1)
    assert verifier.remembered(short, audience="mubayiro") is None  # expired
    verifier._fetched_at -= 400  # the keys are due for a refresh: verify() fetches them
    assert verifier.remembered(token, audience="mubayiro") is None
    assert calls == [1]
    assert verifier.verify(token, audience="mubayiro").business_id == 6
    assert calls == [1, 1]
    assert verifier.remembered(token, audience="mubayiro").business_id == 6

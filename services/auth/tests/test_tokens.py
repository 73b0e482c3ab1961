"""The token issuer: exact claims, lifetimes, header; auth's own service token."""

from __future__ import annotations

import jwt

from mubayiro.auth.keys import KeySet
from mubayiro.auth.tokens import SelfServiceToken, TokenIssuer


def _decode(app, token: str, audience: str) -> dict:
    return jwt.decode(token, app.state.key_set.signing_key.public_key(), algorithms=["RS256"],
                      audience=audience, issuer="mubayiro-auth")


def test_business_token_has_exactly_the_designed_claims(make_settings):
    settings = make_settings(business_token_seconds=1234)
    keys = KeySet.from_settings(settings)
    issued = TokenIssuer(keys, settings, clock=lambda: 1_900_000_000.5).business_token(7)
    assert issued.expires_in == 1234
    header = jwt.get_unverified_header(issued.access_token)
    assert header["alg"] == "RS256"
    assert header["kid"] == keys.kid
    claims = jwt.decode(issued.access_token, keys.signing_key.public_key(),
                        algorithms=["RS256"], audience="mubayiro",
                        options={"verify_exp": False, "verify_iat": False})
    jti = claims.pop("jti")
    assert len(jti) == 32
    assert claims == {"iss": "mubayiro-auth", "aud": "mubayiro", "sub": "business:7",
                      "role": "business", "business_id": 7, "iat": 1_900_000_000,
                      "exp": 1_900_001_234}


def test_service_token_uses_the_internal_audience(app):
    issued = app.state.token_issuer.service_token("loyalty")
    assert issued.expires_in == 900
    claims = _decode(app, issued.access_token, "mubayiro-internal")
    assert claims["sub"] == "service:loyalty"
    assert claims["role"] == "service"
    assert claims["client_id"] == "loyalty"
    assert claims["exp"] - claims["iat"] == 900


def test_customer_token_names_the_phone(app):
    claims = _decode(app, app.state.token_issuer.customer_token("+263771234567").access_token,
                     "mubayiro")
    assert claims["sub"] == "customer:+263771234567"
    assert claims["phone_number"] == "+263771234567"
    assert claims["role"] == "customer"


def test_every_token_has_its_own_jti(app):
    issuer = app.state.token_issuer
    first = _decode(app, issuer.business_token(1).access_token, "mubayiro")
    second = _decode(app, issuer.business_token(1).access_token, "mubayiro")
    assert first["jti"] != second["jti"]


def test_issued_tokens_verify_with_the_apps_own_verifier(app):
    principal = app.state.token_verifier.verify(
        app.state.token_issuer.business_token(3).access_token, audience="mubayiro")
    assert principal.business_id == 3


def test_self_service_token_is_reused_until_shortly_before_expiry(app):
    now = [1_000.0]
    provider = SelfServiceToken(app.state.token_issuer, "auth", clock=lambda: now[0])
    first = provider()
    now[0] += 800
    assert provider() == first
    now[0] += 60  # 860 s: within a minute of the 900 s lifetime
    assert provider() != first

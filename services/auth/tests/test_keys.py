"""Signing keys: the development key file, key ids, the JWKS, rotation."""

from __future__ import annotations

import base64
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from mubayiro.auth.keys import KeySet, jwk_thumbprint, load_or_create_key_file
from mubayiro.auth.main import create_app
from mubayiro.common.errors import Unauthorized
from mubayiro.common.tokens import TokenVerifier


def _uint(b64: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)), "big")


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _public_pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def test_kid_is_the_rfc7638_thumbprint():
    # The example of RFC 7638 §3.1.
    n = ("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_B"
         "JECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
         "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTW"
         "hAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")
    public_key = rsa.RSAPublicNumbers(_uint("AQAB"), _uint(n)).public_key()
    assert jwk_thumbprint(public_key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_development_key_is_generated_private_and_reused_across_restarts(make_settings,
                                                                         loyalty):
    settings = make_settings(jwt_private_key=None)
    first = create_app(settings, outbox_transport=loyalty.transport)
    key_file = settings.data_dir / "auth" / "jwt_private_key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with TestClient(first) as client:
        client.post("/auth/register_business", json={
            "name": "A", "contact_person": "B", "email": "a@example.com",
            "password": "password 1"})
        token = client.post("/auth/login_business", json={
            "email": "a@example.com", "password": "password 1"}).json()["access_token"]
        first_kid = client.get("/auth/.well-known/jwks.json").json()["keys"][0]["kid"]

    second = create_app(make_settings(jwt_private_key=None), outbox_transport=loyalty.transport)
    with TestClient(second) as client:
        assert client.get("/auth/.well-known/jwks.json").json()["keys"][0]["kid"] == first_kid
        # A token from before the restart is still good.
        assert client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}
                          ).status_code == 200
    # No temporary files left; the OTP pepper lives next to the key.
    assert sorted(key_file.parent.iterdir()) == [key_file, key_file.parent / "otp_secret"]


def test_an_existing_key_file_is_never_replaced(tmp_path, signing_pem):
    path = tmp_path / "auth" / "jwt_private_key.pem"
    path.parent.mkdir()
    path.write_text(signing_pem)
    key = load_or_create_key_file(path)
    assert _pem(key) == signing_pem
    assert path.read_text() == signing_pem


def test_a_configured_key_wins_over_the_key_file(make_settings, signing_pem):
    settings = make_settings()
    keys = KeySet.from_settings(settings)
    assert _pem(keys.signing_key) == signing_pem
    assert not (settings.data_dir / "auth").exists()


@pytest.mark.parametrize(
    "pem",
    ["not a pem",
     "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"],
)
def test_an_unusable_private_key_refuses_to_start(make_settings, pem):
    with pytest.raises(ValueError, match="private key"):
        create_app(make_settings(jwt_private_key=pem))


def test_a_short_rsa_key_refuses_to_start(make_settings):
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(ValueError, match="2048"):
        create_app(make_settings(jwt_private_key=_pem(weak)))


def test_a_non_rsa_key_refuses_to_start(make_settings):
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    with pytest.raises(ValueError, match="RSA"):
        create_app(make_settings(jwt_private_key=pem))


def test_previous_public_keys_stay_in_the_jwks_after_rotation(make_settings, loyalty,
                                                               signing_pem):
    old = make_settings()
    old_app = create_app(old, outbox_transport=loyalty.transport)
    old_kid = old_app.state.key_set.kid
    old_token = old_app.state.token_issuer.customer_token("+263771234567").access_token

    new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    old_public = _public_pem(old_app.state.key_set.signing_key)
    rotated = create_app(
        make_settings(jwt_private_key=_pem(new_key),
                      jwt_previous_public_keys=[old_public, _public_pem(new_key)]),
        outbox_transport=loyalty.transport,
    )
    with TestClient(rotated) as client:
        kids = [k["kid"] for k in client.get("/auth/.well-known/jwks.json").json()["keys"]]
        jwks = client.get("/auth/.well-known/jwks.json").json()
    assert kids == [rotated.state.key_set.kid, old_kid]  # current first, duplicates dropped
    principal = rotated.state.token_verifier.verify(old_token, audience="mubayiro")
    assert principal.phone_number == "+263771234567"
    # Another service, verifying from the published JWKS alone, takes both keys' tokens
    # during the rotation, and nobody else's.
    elsewhere = TokenVerifier(issuer="mubayiro-auth", jwks=jwks)
    new_token = rotated.state.token_issuer.customer_token("+263779876543").access_token
    assert elsewhere.verify(old_token, audience="mubayiro").phone_number == "+263771234567"
    assert elsewhere.verify(new_token, audience="mubayiro").phone_number == "+263779876543"
    stranger = create_app(make_settings(jwt_private_key=_pem(
        rsa.generate_private_key(public_exponent=65537, key_size=2048))),
        outbox_transport=loyalty.transport)
    forged = stranger.state.token_issuer.customer_token("+263771234567").access_token
    with pytest.raises(Unauthorized):
        elsewhere.verify(forged, audience="mubayiro")


def test_a_previous_key_that_is_not_a_public_key_refuses_to_start(make_settings, signing_pem):
    with pytest.raises(ValueError, match="public key"):
        create_app(make_settings(jwt_previous_public_keys=[signing_pem]))

"""The RSA keys that sign every token of the platform, and the JWKS that publishes them.

How it works:

- **One signing key.** Auth signs with a single RSA private key (RS256, at least 2048
  bits). In production it comes from ``AUTH_JWT_PRIVATE_KEY`` (a PEM; the settings
  refuse to build without it). In development and test, when that variable is not set,
  a 2048-bit key is generated on first start and written to
  ``data_dir/auth/jwt_private_key.pem`` with mode 0600; every later start reads it back,
  so tokens survive a restart. The file is created atomically (written to a private
  temporary file, then hard-linked into place, which fails if the file appeared
  meanwhile), so two processes starting together end up with the same key.
- **Key ids.** Each key's ``kid`` is its RFC 7638 JWK thumbprint: the SHA-256 of the
  canonical JSON ``{"e":…,"kty":"RSA","n":…}``, base64url without padding. It is derived
  from the key itself, so every replica holding the same PEM announces the same ``kid``
  and nothing has to be configured.
- **Rotation.** Put the new private key in ``AUTH_JWT_PRIVATE_KEY`` and the old key's
  public half in ``AUTH_JWT_PREVIOUS_PUBLIC_KEYS``. New tokens are signed with the new
  key; the JWKS lists both, so verifiers (which refresh on an unknown ``kid``) accept
  tokens of either until the old ones have expired; then drop the old key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.files import create_private_file

logger = logging.getLogger(__name__)

ALGORITHM = "RS256"
MIN_KEY_BITS = 2048
GENERATED_KEY_BITS = 2048


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """The RFC 7638 thumbprint of an RSA public key (used as its ``kid``)."""
    numbers = public_key.public_numbers()
    # RFC 7638 §3: only the required members, sorted, no whitespace.
    canonical = json.dumps(
        {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)},
        separators=(",", ":"),
        sort_keys=True,
    )
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def public_jwk(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """The JWK of an RSA public key, as published in the JWKS."""
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "kid": jwk_thumbprint(public_key),
        "use": "sig",
        "alg": ALGORITHM,
        "n": _b64url_uint(numbers.n),
        "e": _b64url_uint(numbers.e),
    }


def load_private_key(pem: str | bytes) -> rsa.RSAPrivateKey:
    """Parse an unencrypted RSA private key PEM.

    Raises:
        ValueError: not an RSA private key PEM, or shorter than 2048 bits.
    """
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(data.strip(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError("the JWT private key is not an unencrypted PEM private key") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the JWT private key must be an RSA key (RS256)")
    if key.key_size < MIN_KEY_BITS:
        raise ValueError(f"the JWT private key must have at least {MIN_KEY_BITS} bits")
    return key


def load_public_key(pem: str | bytes) -> rsa.RSAPublicKey:
    """Parse an RSA public key PEM (a previous signing key's public half).

    Raises:
        ValueError: not an RSA public key PEM.
    """
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data.strip())
    except (ValueError, TypeError) as exc:
        raise ValueError("a previous JWT public key is not a PEM public key") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("previous JWT public keys must be RSA keys")
    return key


def _private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_or_create_key_file(path: Path) -> rsa.RSAPrivateKey:
    """Read the development signing key at ``path``, generating it (mode 0600) if missing.

    Raises:
        ValueError: the file exists but does not hold a usable RSA private key.
    """
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=GENERATED_KEY_BITS)
        if create_private_file(path, _private_pem(key)):
            logger.info("generated a development JWT signing key", extra={"path": str(path)})
    return load_private_key(path.read_bytes())


@dataclass(frozen=True)
class KeySet:
    """The signing key and every public key published in the JWKS."""

    signing_key: rsa.RSAPrivateKey
    previous_public_keys: tuple[rsa.RSAPublicKey, ...] = ()

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> KeySet:
        """The key set the settings describe (see the module doc for where keys come from).

        Raises:
            ValueError: a configured key cannot be used.
            RuntimeError: production without a signing key (the settings prevent it).
        """
        if settings.jwt_private_key is not None:
            signing = load_private_key(settings.jwt_private_key.get_secret_value())
        elif settings.is_development:
            signing = load_or_create_key_file(settings.key_file)
        else:
            raise RuntimeError("AUTH_JWT_PRIVATE_KEY is required in production")
        previous = tuple(load_public_key(pem) for pem in settings.jwt_previous_public_keys)
        return cls(signing_key=signing, previous_public_keys=previous)

    @cached_property
    def kid(self) -> str:
        """The key id of the signing key (its RFC 7638 thumbprint)."""
        return jwk_thumbprint(self.signing_key.public_key())

    def public_keys(self) -> Iterable[rsa.RSAPublicKey]:
        """The signing key's public half first, then the previous keys."""
        yield self.signing_key.public_key()
        yield from self.previous_public_keys

    def jwks(self) -> dict[str, Any]:
        """The JWKS document: every published key once, the current one first."""
        keys: list[dict[str, str]] = []
        seen: set[str] = set()
        for public_key in self.public_keys():
            jwk = public_jwk(public_key)
            if jwk["kid"] not in seen:
                seen.add(jwk["kid"])
                keys.append(jwk)
        return {"keys": keys}

"""Opaque random tokens handed to people (refresh tokens, password reset tokens).

A token is 32 random bytes (256 bits) in URL-safe base64. Only its SHA-256 is stored:
a token that cannot be guessed needs no salt or slow hash, and a copy of the database
gives nobody a usable token.
"""

from __future__ import annotations

import hashlib
import secrets

#: Longer than any token :func:`new_token` makes; what a request may send at most.
MAX_TOKEN_LENGTH = 128


def new_token() -> str:
    """A fresh random token (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The hex SHA-256 of ``token``, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

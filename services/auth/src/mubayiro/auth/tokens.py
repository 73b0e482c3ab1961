"""Minting the platform's JWTs (docs/architecture.md, Identity and tokens).

:class:`TokenIssuer` signs with the :class:`~mubayiro.auth.keys.KeySet`'s current key,
always RS256 (fixed here, never taken from input), with the key's ``kid`` in the header
so verifiers pick the right public key from the JWKS. Every token carries ``iss``,
``aud``, ``sub``, ``role``, ``iat``, ``exp`` and a random ``jti``, plus the claim that
names the caller:

============  =====================  ============================  ===================
role          ``sub``                extra claim                   audience
============  =====================  ============================  ===================
business      ``business:<id>``      ``business_id`` (int),        ``jwt_audience``
                                     ``staff_id`` (int),
                                     ``staff_role``
                                     (``owner``/``cashier``)
customer      ``customer:<E.164>``   ``phone_number``              ``jwt_audience``
service       ``service:<client>``   ``client_id``                 ``jwt_service_audience``
============  =====================  ============================  ===================

Service tokens get their own audience, so one can never be used on a public route and
an API token can never call ``/internal/*``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.keys import ALGORITHM, KeySet
from mubayiro.common.tokens import TokenVerifier


@dataclass(frozen=True)
class IssuedToken:
    """A signed token and how many seconds it is valid for."""

    access_token: str
    expires_in: int
    token_type: str = "bearer"


class TokenIssuer:
    """Signs business, customer and service tokens with auth's current key."""

    def __init__(
        self,
        keys: KeySet,
        settings: AuthSettings,
        *,
        clock: Callable[[], float] = time.time,
    ):
        self.keys = keys
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self.service_audience = settings.jwt_service_audience
        self.business_seconds = settings.business_token_seconds
        self.customer_seconds = settings.customer_token_seconds
        self.service_seconds = settings.service_token_seconds
        self._clock = clock

    def _mint(self, claims: dict[str, Any], *, audience: str, lifetime: int) -> IssuedToken:
        now = int(self._clock())
        payload = {
            "iss": self.issuer,
            "aud": audience,
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        token = jwt.encode(
            payload, self.keys.signing_key, algorithm=ALGORITHM, headers={"kid": self.keys.kid}
        )
        return IssuedToken(access_token=token, expires_in=lifetime)

    def business_token(
        self, business_id: int, *, staff_id: int | None = None, staff_role: str | None = None
    ) -> IssuedToken:
        """A token for a staff member of a business who just proved their password (or
        their session's refresh token).

        ``role`` stays ``business`` for every member, so every service's business checks
        hold for cashiers and owners alike; ``staff_role`` tells owner-only routes apart
        (:func:`mubayiro.common.security.require_owner`). Without ``staff_id`` it is a
        token of the kind issued before staff accounts (tests of that compatibility).
        """
        claims: dict[str, Any] = {
            "sub": f"business:{business_id}", "role": "business", "business_id": business_id
        }
        if staff_id is not None:
            claims.update(staff_id=staff_id, staff_role=staff_role)
        return self._mint(claims, audience=self.audience, lifetime=self.business_seconds)

    def customer_token(self, phone_number: str, *, lifetime: int | None = None) -> IssuedToken:
        """A token for a customer who proved the E.164 ``phone_number`` (by OTP, or by
        texting from it: then a short ``lifetime``)."""
        return self._mint(
            {"sub": f"customer:{phone_number}", "role": "customer", "phone_number": phone_number},
            audience=self.audience,
            lifetime=lifetime or self.customer_seconds,
        )

    def service_token(self, client_id: str) -> IssuedToken:
        """A token for a service client that proved its secret (internal audience)."""
        return self._mint(
            {"sub": f"service:{client_id}", "role": "service", "client_id": client_id},
            audience=self.service_audience,
            lifetime=self.service_seconds,
        )


def local_verifier(keys: KeySet, settings: AuthSettings) -> TokenVerifier:
    """A verifier that trusts auth's own published keys without fetching its own JWKS."""
    return TokenVerifier(issuer=settings.jwt_issuer, jwks=keys.jwks())


class SelfServiceToken:
    """Auth's own service token (for delivering its events), minted locally and reused.

    Other services fetch theirs over HTTP; auth holds the key, so it signs one and
    keeps it until a minute before it expires.
    """

    def __init__(
        self, issuer: TokenIssuer, client_id: str, *, clock: Callable[[], float] = time.time
    ):
        self._issuer = issuer
        self._client_id = client_id
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0

    def __call__(self) -> str:
        """A valid service token for ``client_id``."""
        now = self._clock()
        if self._token is None or now >= self._expires_at - 60:
            issued = self._issuer.service_token(self._client_id)
            self._token = issued.access_token
            self._expires_at = now + issued.expires_in
        return self._token

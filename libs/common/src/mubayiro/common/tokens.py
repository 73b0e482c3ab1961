"""Token verification (every service) and service-token fetching (callers of /internal).

How a token is checked (docs/architecture.md, "Identity and tokens"):

1. The header is read *without* trusting it, only to find ``alg`` and ``kid``. The
   algorithm must be exactly RS256 (:data:`ALGORITHMS`): ``none`` and HS256 (the
   RS/HS confusion attack, where the public key is used as an HMAC secret) fail here.
2. The public key for ``kid`` comes from the auth service's JWKS, cached for
   ``cache_seconds``. An unknown ``kid`` triggers one refresh (keys rotate), but at
   most once every ``MIN_REFRESH_SECONDS`` so random kids cannot flood auth.
3. PyJWT checks the signature, ``exp``, ``iat``, ``iss`` and ``aud``; all are required.
4. A token that passed is remembered (up to :data:`VERIFIED_CACHE_SIZE`, per audience)
   with its ``exp`` and the key that checked it: a till sends the same token with every
   award, and parsing and checking it again cost more than the rest of a lookup's
   framework work (issue 14). A remembered token is accepted again only while it has not
   expired and ``kid`` still names that same key object in the current JWKS, so a key
   rotated out stops its tokens at the next JWKS refresh, exactly as without the memory.

Any failure is a 401 (:class:`InvalidToken`) with a short reason, never a 500.

A business token is signed for one staff member of the business: besides
``role = "business"`` and ``business_id`` (which every ownership check uses, unchanged)
it carries ``staff_id`` and ``staff_role`` (``owner`` or ``cashier``). Owner-only routes
ask :attr:`Principal.is_owner` (through :func:`mubayiro.common.security.require_owner`).
A business token without the two staff claims was issued before staff accounts
existed, when every token was the owner's; it is read as the owner's. Only auth can
sign a token, so nobody can leave the claims out to gain anything.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import jwt

from mubayiro.common.errors import Unauthorized, UpstreamUnavailable
from mubayiro.common.settings import ServiceSettings

ALGORITHMS = ["RS256"]
MIN_REFRESH_SECONDS = 10.0
#: How many verified tokens a verifier remembers (module doc, step 4); the oldest go first.
VERIFIED_CACHE_SIZE = 4096
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]

Role = Literal["business", "customer", "service"]
StaffRole = Literal["owner", "cashier"]
STAFF_ROLES: tuple[StaffRole, ...] = ("owner", "cashier")


class InvalidToken(Unauthorized):
    default_detail = "Invalid or expired token"


@dataclass(frozen=True)
class Principal:
    """Who is calling, as proven by a verified token."""

    role: Role
    subject: str
    business_id: int | None = None
    phone_number: str | None = None
    client_id: str | None = None
    #: The staff member a business token was issued to (None: a token from before staff).
    staff_id: int | None = None
    #: That member's role at the business (None: a token from before staff, the owner's).
    staff_role: StaffRole | None = None
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_owner(self) -> bool:
        """True for a business token of an owner (or from before staff accounts existed)."""
        return self.role == "business" and self.staff_role in (None, "owner")

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        """Build the principal from verified claims.

        Raises:
            InvalidToken: the claims do not describe a known kind of caller.
        """
        role = claims.get("role")
        sub = str(claims.get("sub", ""))
        if role == "business":
            bid = claims.get("business_id")
            if not _is_id(bid) or sub != f"business:{bid}":
                raise InvalidToken("Token has no valid business_id")
            staff_id, staff_role = claims.get("staff_id"), claims.get("staff_role")
            if staff_id is None and staff_role is None:
                return cls(role="business", subject=sub, business_id=bid, claims=claims)
            if not _is_id(staff_id) or staff_role not in STAFF_ROLES:
                raise InvalidToken("Token has no valid staff_id and staff_role")
            return cls(role="business", subject=sub, business_id=bid, staff_id=staff_id,
                       staff_role=staff_role, claims=claims)
        if role == "customer":
            phone = claims.get("phone_number")
            if not isinstance(phone, str) or sub != f"customer:{phone}":
                raise InvalidToken("Token has no valid phone_number")
            return cls(role="customer", subject=sub, phone_number=phone, claims=claims)
        if role == "service":
            client = claims.get("client_id")
            if not isinstance(client, str) or sub != f"service:{client}":
                raise InvalidToken("Token has no valid client_id")
            return cls(role="service", subject=sub, client_id=client, claims=claims)
        raise InvalidToken("Token has an unknown role")


def _is_id(value: Any) -> bool:
    """True for a positive integer id (JSON ``true`` is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


class TokenVerifier:
    """Verifies RS256 JWTs against the auth service's JWKS (or a fixed JWKS in tests)."""

    def __init__(
        self,
        *,
        issuer: str,
        jwks_url: str | None = None,
        jwks: dict[str, Any] | None = None,
        cache_seconds: float = 300.0,
        http: httpx.Client | None = None,
        leeway_seconds: float = 5.0,
    ):
        if jwks_url is None and jwks is None:
            raise ValueError("give jwks_url or jwks")
        self.issuer = issuer
        self.jwks_url = jwks_url
        self.cache_seconds = cache_seconds
        self.leeway = leeway_seconds
        self._http = http
        self._lock = threading.Lock()
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        # (token, audience) → (principal, exp, kid, key): module doc, step 4.
        self._verified: dict[tuple[str, str], tuple[Principal, float, str, Any]] = {}
        if jwks is not None:
            self._keys = self._parse_jwks(jwks)
            self._fetched_at = float("inf")

    @staticmethod
    def _parse_jwks(jwks: dict[str, Any]) -> dict[str, Any]:
        keys: dict[str, Any] = {}
        for entry in jwks.get("keys", []):
            if entry.get("kty") != "RSA" or "kid" not in entry:
                continue
            keys[entry["kid"]] = jwt.PyJWK(entry, algorithm="RS256").key
        return keys

    def _fetch(self) -> None:
        assert self.jwks_url is not None
        client = self._http or httpx.Client(timeout=5.0)
        try:
            resp = client.get(self.jwks_url)
            resp.raise_for_status()
            self._keys = self._parse_jwks(resp.json())
            self._fetched_at = time.monotonic()
        except (httpx.HTTPError, ValueError) as exc:
            if not self._keys:
                raise UpstreamUnavailable("Cannot fetch signing keys from auth") from exc
            # Keep serving the keys we have; try again after the minimum interval.
            self._fetched_at = time.monotonic() - self.cache_seconds + MIN_REFRESH_SECONDS
        finally:
            if self._http is None:
                client.close()

    def _key_for(self, kid: str) -> Any:
        with self._lock:
            age = time.monotonic() - self._fetched_at
            if self.jwks_url and (age > self.cache_seconds or (
                kid not in self._keys and age > MIN_REFRESH_SECONDS
            )):
                self._fetch()
            key = self._keys.get(kid)
        if key is None:
            raise InvalidToken("Token signed with an unknown key")
        return key

    def remembered(self, token: str, *, audience: str) -> Principal | None:
        """Who ``token`` names, if it was verified before and still holds (unexpired, its
        key still the current one), else None — without any I/O, so an async dependency
        can call it on the event loop and leave only the rest to :meth:`verify` in a
        thread. None when the keys are due for a refresh: :meth:`verify` fetches them."""
        remembered = self._verified.get((token, audience))
        if remembered is None:
            return None
        principal, expires, known_kid, known_key = remembered
        fresh = not self.jwks_url or time.monotonic() - self._fetched_at <= self.cache_seconds
        if fresh and time.time() < expires + self.leeway and \
                self._keys.get(known_kid) is known_key:
            return principal
        return None

    def verify(self, token: str, *, audience: str) -> Principal:
        """Check ``token`` completely and return who it names.

        Raises:
            InvalidToken: anything wrong with the token (401).
            UpstreamUnavailable: the keys could not be fetched at all (503).
        """
        remembered = self.remembered(token, audience=audience)
        if remembered is not None:
            return remembered
        # Never seen, expired, or its key is due for a refresh or gone: check it afresh
        # (a refresh makes new key objects, so a remembered token is checked once again).
        self._verified.pop((token, audience), None)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("Malformed token") from exc
        if header.get("alg") not in ALGORITHMS:
            raise InvalidToken("Token algorithm not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("Token has no key id")
        key = self._key_for(kid)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("Token expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise InvalidToken("Token audience not accepted") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken("Invalid token") from exc
        principal = Principal.from_claims(claims)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            with contextlib.suppress(RuntimeError, StopIteration):  # another thread's change
                self._verified.pop(next(iter(self._verified)), None)  # the oldest
        self._verified[(token, audience)] = (principal, float(claims["exp"]), kid, key)
        return principal


class ServiceTokenProvider:
    """Gets and caches this service's own token from auth (OAuth2 client credentials).

    The token is reused until shortly before it expires; :meth:`invalidate` drops it
    (after a peer answered 401, say) so the next call fetches a fresh one.
    """

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        http: httpx.Client | None = None,
        timeout: float = 5.0,
    ):
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self._http = http
        self._timeout = timeout
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    def token(self) -> str:
        """A valid service token, fetched when the cached one is missing or nearly expired.

        Raises:
            UpstreamUnavailable: auth could not be reached or refused the credentials.
        """
        with self._lock:
            if self._token and time.monotonic() < self._expires_at - 30:
                return self._token
            client = self._http or httpx.Client(timeout=self._timeout)
            try:
                resp = client.post(
                    self.token_url,
                    data={
                        "grant_type": "client_credentials",
                        "client_id": self.client_id,
                        "client_secret": self._secret,
                    },
                )
                resp.raise_for_status()
                body = resp.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise UpstreamUnavailable("Cannot get a service token from auth") from exc
            finally:
                if self._http is None:
                    client.close()
            self._token = str(body["access_token"])
            self._expires_at = time.monotonic() + float(body.get("expires_in", 300))
            return self._token

    def invalidate(self) -> None:
        """Forget the cached token."""
        with self._lock:
            self._token = None

    @classmethod
    def for_service(cls, settings: ServiceSettings, *, http: httpx.Client) -> ServiceTokenProvider:
        """The provider for a service's own credentials at the platform's auth service."""
        secret = settings.service_client_secret
        return cls(
            token_url=f"{settings.auth_url.rstrip('/')}/auth/token",
            client_id=settings.service_client_id or settings.service_name,
            client_secret=secret.get_secret_value() if secret else "",
            http=http,
        )

"""Who is calling: the bearer token checked here, by this server, on every request.

The MCP authorization spec makes the MCP server an OAuth protected resource: it
validates the access token itself (signature, expiry, issuer, audience — the platform's
:class:`~mubayiro.common.tokens.TokenVerifier`), answers 401 with a ``WWW-Authenticate``
challenge pointing at its protected-resource metadata, and never passes the token on.

- :class:`RateLimiter` — a sliding window of requests per token (429 + ``Retry-After``).
- :func:`authenticate` — a verified business or customer principal, or the error.
- :class:`BearerGuard` — the ASGI wrapper around the SDK's streamable-HTTP endpoint:
  it refuses before the SDK sees the request, and hands the principal to the tools on
  the request's ``state`` (tools read it back through the SDK's request context).

Limits are counted per process unless ``MCP_RATE_LIMIT_STORAGE_URL`` names a shared
storage (Redis): without one, with several replicas a token gets the limit on each.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable

import anyio.to_thread
from limits import RateLimitItemPerSecond
from limits.storage import MovingWindowSupport, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from mubayiro.common.errors import AppError, Forbidden, Unauthorized, error_body
from mubayiro.common.logs import current_request_id
from mubayiro.common.tokens import Principal, TokenVerifier
from mubayiro.mcp_server.exceptions import RateLimited

#: ``request.state`` keys the guard fills for the tools.
PRINCIPAL_STATE = "principal"
REQUEST_ID_STATE = "request_id"
#: The most distinct tokens tracked at once (oldest forgotten first).
MAX_TRACKED_TOKENS = 100_000


class RateLimiter:
    """At most ``limit`` requests per token in any ``window`` seconds: the ``limits``
    library's moving window, counted in memory, or in the storage at ``storage_url``
    (``redis://…``) so that every replica counts together."""

    def __init__(self, limit: int, window: float, *, storage_url: str | None = None):
        storage = storage_from_string(storage_url or "memory://")
        if not isinstance(storage, MovingWindowSupport) or not isinstance(storage, Storage):
            raise ValueError(f"{storage_url!r}: a storage with moving windows is needed")
        self.item = RateLimitItemPerSecond(limit, max(1, math.ceil(window)))
        self._strategy = MovingWindowRateLimiter(storage)

    def hit(self, key: str) -> None:
        """Count one request for ``key``.

        Raises:
            RateLimited: over the limit; ``Retry-After`` says when the oldest hit expires.
        """
        if not self._strategy.hit(self.item, "mcp-token", key):
            reset = self._strategy.get_window_stats(self.item, "mcp-token", key).reset_time
            retry = max(1, math.ceil(reset - time.time()))
            raise RateLimited(headers={"Retry-After": str(retry)})


def token_key(token: str) -> str:
    """The rate-limit key of a token (a digest: raw tokens are not kept in memory)."""
    return hashlib.sha256(token.encode()).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, else ``None``."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def authenticate(
    verifier: TokenVerifier, audience: str, limiter: RateLimiter, authorization: str | None
) -> Principal:
    """The business or customer behind the header, after counting the request.

    Raises:
        Unauthorized: no bearer token (401).
        InvalidToken: a token that fails any check (401).
        Forbidden: a valid token of another role (a service's) (403).
        RateLimited: too many requests with this token (429).
    """
    token = bearer_token(authorization)
    if token is None:
        raise Unauthorized("Missing bearer token")
    principal = verifier.verify(token, audience=audience)
    if principal.role not in ("business", "customer"):
        raise Forbidden("The MCP server is for businesses and customers")
    limiter.hit(token_key(token))
    return principal


def challenge(resource_metadata_url: str, error: str | None = None) -> str:
    """The ``WWW-Authenticate`` value of a 401 (RFC 6750 + RFC 9728 ``resource_metadata``)."""
    parts = [f'resource_metadata="{resource_metadata_url}"']
    if error:
        parts.append(f'error="{error}"')
    return "Bearer " + ", ".join(parts)


class BearerGuard:
    """Checks the bearer token before the wrapped MCP endpoint sees the request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        verifier: Callable[[], TokenVerifier],
        audience: str,
        limiter: RateLimiter,
        resource_metadata_url: str,
    ):
        self.app = app
        self._verifier = verifier
        self.audience = audience
        self.limiter = limiter
        self.resource_metadata_url = resource_metadata_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authorization = None
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                authorization = value.decode("latin-1")
                break
        try:
            # Verification may fetch auth's JWKS (blocking I/O): off the event loop.
            principal = await anyio.to_thread.run_sync(
                authenticate, self._verifier(), self.audience, self.limiter, authorization
            )
        except AppError as exc:
            await self._refuse(send, exc, had_token=authorization is not None)
            return
        state = scope.setdefault("state", {})
        state[PRINCIPAL_STATE] = principal
        state[REQUEST_ID_STATE] = current_request_id()
        await self.app(scope, receive, send)

    async def _refuse(self, send: Send, exc: AppError, *, had_token: bool) -> None:
        headers = dict(exc.headers or {})
        if exc.status_code == 401:
            headers["WWW-Authenticate"] = challenge(
                self.resource_metadata_url, "invalid_token" if had_token else None
            )
        body = json.dumps(error_body(exc.detail, exc.error)).encode()
        raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        raw += [(k.lower().encode(), v.encode("latin-1")) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": exc.status_code, "headers": raw})
        await send({"type": "http.response.body", "body": body})

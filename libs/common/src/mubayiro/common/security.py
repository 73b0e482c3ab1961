"""FastAPI dependencies that turn a bearer token into a verified caller.

- :func:`current_business` — a business token (``role=business``), API audience.
- :func:`current_customer` — a customer token (``role=customer``), API audience.
- :func:`current_principal` — either of the two.
- :func:`optional_principal` — either of the two, or None when no token was sent.
- :func:`service_caller` — a service token (``role=service``), internal audience;
  only these may call ``/internal/*``.

- :func:`require_owner` — a business token of one of the business's owners (a
  cashier's is 403 :class:`OwnerOnly`). A cashier may award, redeem, look up customers
  and track referrals; every other business route takes :data:`CurrentOwner`.

A missing or invalid token is 401; a valid token of the wrong role is 403. Ownership
checks (:func:`ensure_business`, :func:`ensure_phone`) answer 403 when a caller
names data that is not theirs. The verifier lives on ``app.state.token_verifier``.

The dependencies are ``async``: FastAPI runs a plain ``def`` dependency in its thread
pool, a hop per dependency per request (issue 14: six hops per award). A token verified
before is answered on the event loop (:meth:`TokenVerifier.remembered`, no I/O); only a
new one is verified in a thread, since that may fetch the keys from auth.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from mubayiro.common.errors import Forbidden, Unauthorized
from mubayiro.common.tokens import Principal, TokenVerifier

# Two schemes for OpenAPI: the OAuth2 one gives Swagger's Authorize button a login form.
_business_scheme = OAuth2PasswordBearer(
    tokenUrl="/auth/login_business", auto_error=False, scheme_name="BusinessLogin"
)
_bearer_scheme = HTTPBearer(auto_error=False, scheme_name="BearerToken")


def _verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier


def _audiences(request: Request) -> tuple[str, str]:
    settings = request.app.state.settings
    return settings.jwt_audience, settings.jwt_service_audience


def _require(token: str | None) -> str:
    if not token:
        raise Unauthorized("Missing bearer token")
    return token


async def _verified(request: Request, token: str, audience: str) -> Principal:
    """Who ``token`` names for ``audience`` (see the module doc: a thread only if new)."""
    verifier = _verifier(request)
    principal = verifier.remembered(token, audience=audience)
    if principal is None:
        principal = await run_in_threadpool(verifier.verify, token, audience=audience)
    return principal


async def current_principal(
    request: Request,
    oauth_token: Annotated[str | None, Depends(_business_scheme)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Principal:
    """The business or customer behind the request's API token."""
    token = _require(oauth_token or (bearer.credentials if bearer else None))
    api_audience, _ = _audiences(request)
    principal = await _verified(request, token, api_audience)
    if principal.role not in ("business", "customer"):
        raise Forbidden("This route is for businesses and customers")
    return principal


async def optional_principal(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Principal | None:
    """The verified caller of a public route, or None when no token was sent.

    A token that *is* sent must be valid (401 otherwise): silently ignoring a bad
    token would hide an expired session from the admin app.
    """
    if bearer is None:
        return None
    api_audience, _ = _audiences(request)
    return await _verified(request, bearer.credentials, api_audience)


async def current_business(
    principal: Annotated[Principal, Depends(current_principal)],
) -> Principal:
    """The business behind the request's token (403 for any other role)."""
    if principal.role != "business":
        raise Forbidden("This route needs a business token")
    return principal


class OwnerOnly(Forbidden):
    default_detail = "Only an owner of the business may do this"


async def require_owner(
    principal: Annotated[Principal, Depends(current_business)],
) -> Principal:
    """The business behind the request's token, when it is one of the business's owners.

    Raises:
        Unauthorized: no valid token (401).
        Forbidden: not a business token (403).
        OwnerOnly: a cashier's token (403).
    """
    if not principal.is_owner:
        raise OwnerOnly()
    return principal


async def current_customer(
    principal: Annotated[Principal, Depends(current_principal)],
) -> Principal:
    """The customer behind the request's token (403 for any other role)."""
    if principal.role != "customer":
        raise Forbidden("This route needs a customer token")
    return principal


async def service_caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Principal:
    """The service behind an internal call (401 without a valid service token)."""
    token = _require(bearer.credentials if bearer else None)
    _, service_audience = _audiences(request)
    principal = await _verified(request, token, service_audience)
    if principal.role != "service":
        raise Forbidden("Internal routes need a service token")
    return principal


def ensure_business(principal: Principal, business_id: int) -> None:
    """Refuse (403) when ``business_id`` is not the calling business's own.

    Raises:
        Forbidden: the caller is not that business.
    """
    if principal.role != "business" or principal.business_id != business_id:
        raise Forbidden("You can only act on your own business")


def ensure_phone(principal: Principal, phone_number: str) -> None:
    """Refuse (403) when a customer asks about a phone number that is not theirs.

    Raises:
        Forbidden: the caller is a customer with another phone number.
    """
    if principal.role == "customer" and principal.phone_number != phone_number:
        raise Forbidden("You can only see your own phone number's data")


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
CurrentBusiness = Annotated[Principal, Depends(current_business)]
CurrentOwner = Annotated[Principal, Depends(require_owner)]
CurrentCustomer = Annotated[Principal, Depends(current_customer)]
ServiceCaller = Annotated[Principal, Depends(service_caller)]

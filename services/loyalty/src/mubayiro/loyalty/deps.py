"""FastAPI dependencies of the loyalty service, as ``Annotated`` aliases.

The shared ones (the request's ``ReadSession`` / ``WriteSession``, the
``SeparateTransactions`` of the business-copy fallback, principals) come from
``libs/common``; the ones below hand endpoints what
:func:`~mubayiro.loyalty.main.create_app` put on ``app.state``: settings, the event
publisher, the auth client and the recommender.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mubayiro.common.deps import ReadSession, SeparateTransactions, WriteSession, app_state
from mubayiro.common.events import EventPublisher
from mubayiro.common.security import (
    CurrentBusiness,
    CurrentCustomer,
    CurrentOwner,
    CurrentPrincipal,
    ServiceCaller,
)
from mubayiro.common.tokens import Principal, TokenVerifier
from mubayiro.loyalty.clients.auth import AuthClient
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.recommendations.base import Recommender

__all__ = [
    "AuthClientDep",
    "CurrentBusiness",
    "CurrentCustomer",
    "CurrentOwner",
    "CurrentPrincipal",
    "OptionalPrincipal",
    "PublisherDep",
    "ReadSession",
    "RecommenderDep",
    "SeparateTransactions",
    "ServiceCaller",
    "SettingsDep",
    "WriteSession",
]


_optional_bearer = HTTPBearer(auto_error=False, scheme_name="BearerToken")


async def optional_principal(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_optional_bearer)],
) -> Principal | None:
    """The verified caller of a public route, or None when no token was sent.

    A token that *is* sent must be valid (401 otherwise): silently ignoring a bad
    token would hide an expired session from the admin app.
    """
    if bearer is None:
        return None
    settings: LoyaltySettings = request.app.state.settings
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier.verify(bearer.credentials, audience=settings.jwt_audience)


SettingsDep = Annotated[LoyaltySettings, Depends(app_state("settings"))]
PublisherDep = Annotated[EventPublisher, Depends(app_state("publisher"))]
AuthClientDep = Annotated[AuthClient, Depends(app_state("auth_client"))]
RecommenderDep = Annotated[Recommender, Depends(app_state("recommender"))]
#: Ids of the businesses this process has seen known here (``businesses.dependencies``).
KnownBusinessIds = Annotated[set[int], Depends(app_state("known_business_ids"))]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]

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

from mubayiro.common.deps import ReadSession, SeparateTransactions, WriteSession
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


def get_settings(request: Request) -> LoyaltySettings:
    """The app's settings."""
    settings: LoyaltySettings = request.app.state.settings
    return settings


def get_publisher(request: Request) -> EventPublisher:
    """The outbox publisher for points events."""
    publisher: EventPublisher = request.app.state.publisher
    return publisher


def get_auth_client(request: Request) -> AuthClient:
    """The client for auth's internal routes."""
    auth_client: AuthClient = request.app.state.auth_client
    return auth_client


def get_recommender(request: Request) -> Recommender:
    """The recommendation engine."""
    recommender: Recommender = request.app.state.recommender
    return recommender


_optional_bearer = HTTPBearer(auto_error=False, scheme_name="BearerToken")


def optional_principal(
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


SettingsDep = Annotated[LoyaltySettings, Depends(get_settings)]
PublisherDep = Annotated[EventPublisher, Depends(get_publisher)]
AuthClientDep = Annotated[AuthClient, Depends(get_auth_client)]
RecommenderDep = Annotated[Recommender, Depends(get_recommender)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]

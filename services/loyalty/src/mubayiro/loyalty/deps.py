"""FastAPI dependencies of the loyalty service, as ``Annotated`` aliases.

The shared ones (the request's ``ReadSession`` / ``WriteSession``, the
``SeparateTransactions`` of the business-copy fallback, principals) come from
``libs/common``; the ones below hand endpoints what
:func:`~mubayiro.loyalty.main.create_app` put on ``app.state``: settings, the event
publisher, the auth client and the recommender.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mubayiro.common.deps import ReadSession, SeparateTransactions, WriteSession, app_state
from mubayiro.common.events import EventPublisher
from mubayiro.common.security import (
    CurrentBusiness,
    CurrentCustomer,
    CurrentOwner,
    CurrentPrincipal,
    OptionalPrincipal,
    ServiceCaller,
)
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


SettingsDep = Annotated[LoyaltySettings, Depends(app_state("settings"))]
PublisherDep = Annotated[EventPublisher, Depends(app_state("publisher"))]
AuthClientDep = Annotated[AuthClient, Depends(app_state("auth_client"))]
RecommenderDep = Annotated[Recommender, Depends(app_state("recommender"))]
#: Ids of the businesses this process has seen known here (``businesses.dependencies``).
KnownBusinessIds = Annotated[set[int], Depends(app_state("known_business_ids"))]

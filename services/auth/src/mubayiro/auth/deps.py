"""FastAPI dependencies of the auth service.

The shared ones (session, callers) come from :mod:`mubayiro.common`; auth adds a
read-only session for logins, and its token issuer and event publisher, which live on
``app.state`` (built once in :func:`mubayiro.auth.main.create_app`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.keys import KeySet
from mubayiro.auth.tokens import TokenIssuer
from mubayiro.common.deps import SessionDep
from mubayiro.common.events import EventPublisher
from mubayiro.common.security import CurrentBusiness, ServiceCaller

__all__ = [
    "CurrentBusiness",
    "IssuerDep",
    "KeySetDep",
    "PublisherDep",
    "ReadSessionDep",
    "ServiceCaller",
    "SessionDep",
    "SettingsDep",
]


def get_read_session(request: Request) -> Iterator[Session]:
    """A session whose transaction never takes SQLite's write lock.

    Logins only read, then spend ~0.1 s verifying a password hash: in a write
    transaction (``BEGIN IMMEDIATE``) that would hold every other writer back.
    """
    with request.app.state.database.session(write=False) as session:
        yield session


def get_settings(request: Request) -> AuthSettings:
    """The service's settings."""
    return request.app.state.settings


def get_issuer(request: Request) -> TokenIssuer:
    """The token issuer."""
    return request.app.state.token_issuer


def get_key_set(request: Request) -> KeySet:
    """The signing and published keys."""
    return request.app.state.key_set


def get_publisher(request: Request) -> EventPublisher:
    """The outbox publisher."""
    return request.app.state.event_publisher


ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]
SettingsDep = Annotated[AuthSettings, Depends(get_settings)]
IssuerDep = Annotated[TokenIssuer, Depends(get_issuer)]
KeySetDep = Annotated[KeySet, Depends(get_key_set)]
PublisherDep = Annotated[EventPublisher, Depends(get_publisher)]

"""FastAPI dependencies of the auth service.

The shared ones (the request's ``ReadSession`` / ``WriteSession``, callers) come from
:mod:`mubayiro.common`; auth adds what lives on ``app.state`` (built once in
:func:`mubayiro.auth.main.create_app`): the token issuer, the event publisher, the OTP
hasher and policy, and the clock. The clock is injectable so tests move time forward
(code expiry, the request window) without sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.keys import KeySet
from mubayiro.auth.otp.codes import OtpHasher
from mubayiro.auth.otp.service import OtpPolicy
from mubayiro.auth.tokens import TokenIssuer
from mubayiro.common.deps import ReadSession, WriteSession
from mubayiro.common.events import EventPublisher
from mubayiro.common.security import CurrentBusiness, ServiceCaller

#: Returns the current time, timezone-aware UTC.
Clock = Callable[[], datetime]

__all__ = [
    "Clock",
    "ClockDep",
    "CurrentBusiness",
    "IssuerDep",
    "KeySetDep",
    "OtpHasherDep",
    "OtpPolicyDep",
    "PublisherDep",
    "ReadSession",
    "ServiceCaller",
    "SettingsDep",
    "WriteSession",
]


def get_settings(request: Request) -> AuthSettings:
    """The service's settings."""
    settings: AuthSettings = request.app.state.settings
    return settings


def get_issuer(request: Request) -> TokenIssuer:
    """The token issuer."""
    token_issuer: TokenIssuer = request.app.state.token_issuer
    return token_issuer


def get_key_set(request: Request) -> KeySet:
    """The signing and published keys."""
    key_set: KeySet = request.app.state.key_set
    return key_set


def get_publisher(request: Request) -> EventPublisher:
    """The outbox publisher."""
    event_publisher: EventPublisher = request.app.state.event_publisher
    return event_publisher


def get_clock(request: Request) -> Clock:
    """The app's clock (``utcnow`` unless a test replaced it)."""
    clock: Clock = request.app.state.clock
    return clock


def get_otp_hasher(request: Request) -> OtpHasher:
    """The keyed hash of one-time codes."""
    otp_hasher: OtpHasher = request.app.state.otp_hasher
    return otp_hasher


def get_otp_policy(request: Request) -> OtpPolicy:
    """Lifetime, tries and request limit of one-time codes."""
    otp_policy: OtpPolicy = request.app.state.otp_policy
    return otp_policy


SettingsDep = Annotated[AuthSettings, Depends(get_settings)]
IssuerDep = Annotated[TokenIssuer, Depends(get_issuer)]
KeySetDep = Annotated[KeySet, Depends(get_key_set)]
PublisherDep = Annotated[EventPublisher, Depends(get_publisher)]
ClockDep = Annotated[Clock, Depends(get_clock)]
OtpHasherDep = Annotated[OtpHasher, Depends(get_otp_hasher)]
OtpPolicyDep = Annotated[OtpPolicy, Depends(get_otp_policy)]

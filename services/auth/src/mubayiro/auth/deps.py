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

from fastapi import Depends

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.keys import KeySet
from mubayiro.auth.otp.codes import OtpHasher
from mubayiro.auth.otp.service import OtpPolicy
from mubayiro.auth.tokens import TokenIssuer
from mubayiro.common.deps import ReadSession, WriteSession, app_state
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


SettingsDep = Annotated[AuthSettings, Depends(app_state("settings"))]
IssuerDep = Annotated[TokenIssuer, Depends(app_state("token_issuer"))]
KeySetDep = Annotated[KeySet, Depends(app_state("key_set"))]
PublisherDep = Annotated[EventPublisher, Depends(app_state("event_publisher"))]
ClockDep = Annotated[Clock, Depends(app_state("clock"))]
OtpHasherDep = Annotated[OtpHasher, Depends(app_state("otp_hasher"))]
OtpPolicyDep = Annotated[OtpPolicy, Depends(app_state("otp_policy"))]

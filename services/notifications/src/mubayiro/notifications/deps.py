"""FastAPI dependencies of the notifications service, as ``Annotated`` aliases.

The session (``SessionDep``) and the caller checks (``ServiceCaller`` …) come from
``mubayiro.common``; these add what only this service has on ``app.state``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.sms.providers import SmsProvider


def get_settings(request: Request) -> NotificationsSettings:
    """The settings the app was built with."""
    return request.app.state.settings


def get_sms_provider(request: Request) -> SmsProvider:
    """The provider the app sends SMS with."""
    return request.app.state.sms_provider


SettingsDep = Annotated[NotificationsSettings, Depends(get_settings)]
SmsProviderDep = Annotated[SmsProvider, Depends(get_sms_provider)]

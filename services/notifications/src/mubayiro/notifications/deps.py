"""FastAPI dependencies of the notifications service, as ``Annotated`` aliases.

The sessions (``ReadSession``, ``WriteSession``, ``SeparateTransactions``) and the caller
checks (``ServiceCaller`` …) come from ``mubayiro.common``; these add what only this service
has on ``app.state``.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from mubayiro.common.deps import app_state
from mubayiro.notifications.clients.chatbot import ChatbotClient
from mubayiro.notifications.clients.loyalty import LoyaltyClient
from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.sms.providers import SmsProvider


def get_sms_wakeup(request: Request) -> threading.Event:
    """The event that wakes the SMS sender (set when a queued SMS commits)."""
    wakeup: threading.Event = request.app.state.sms_sender.wakeup
    return wakeup


SettingsDep = Annotated[NotificationsSettings, Depends(app_state("settings"))]
SmsProviderDep = Annotated[SmsProvider, Depends(app_state("sms_provider"))]
SmsWakeupDep = Annotated[threading.Event, Depends(get_sms_wakeup)]
LoyaltyClientDep = Annotated[LoyaltyClient, Depends(app_state("loyalty_client"))]
ChatbotClientDep = Annotated[ChatbotClient | None, Depends(app_state("chatbot_client"))]

"""FastAPI dependencies of the notifications service, as ``Annotated`` aliases.

The sessions (``ReadSession``, ``WriteSession``, ``SeparateTransactions``) and the caller
checks (``ServiceCaller`` …) come from ``mubayiro.common``; these add what only this service
has on ``app.state``.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from mubayiro.notifications.clients.chatbot import ChatbotClient
from mubayiro.notifications.clients.loyalty import LoyaltyClient
from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.sms.providers import SmsProvider


def get_settings(request: Request) -> NotificationsSettings:
    """The settings the app was built with."""
    settings: NotificationsSettings = request.app.state.settings
    return settings


def get_sms_provider(request: Request) -> SmsProvider:
    """The provider the app sends SMS with."""
    sms_provider: SmsProvider = request.app.state.sms_provider
    return sms_provider


def get_sms_wakeup(request: Request) -> threading.Event:
    """The event that wakes the SMS sender (set when a queued SMS commits)."""
    wakeup: threading.Event = request.app.state.sms_sender.wakeup
    return wakeup


def get_loyalty_client(request: Request) -> LoyaltyClient:
    """The client for loyalty's internal routes."""
    loyalty_client: LoyaltyClient = request.app.state.loyalty_client
    return loyalty_client


def get_chatbot_client(request: Request) -> ChatbotClient | None:
    """The client for the chatbot's internal routes (None when no chatbot is deployed)."""
    chatbot_client: ChatbotClient | None = request.app.state.chatbot_client
    return chatbot_client


SettingsDep = Annotated[NotificationsSettings, Depends(get_settings)]
SmsProviderDep = Annotated[SmsProvider, Depends(get_sms_provider)]
SmsWakeupDep = Annotated[threading.Event, Depends(get_sms_wakeup)]
LoyaltyClientDep = Annotated[LoyaltyClient, Depends(get_loyalty_client)]
ChatbotClientDep = Annotated[ChatbotClient | None, Depends(get_chatbot_client)]

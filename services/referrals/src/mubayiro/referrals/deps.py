"""FastAPI dependencies of the referrals service, as ``Annotated`` aliases.

The shared ones (the request's ``ReadSession`` / ``WriteSession``, principals) come
from ``libs/common``; the ones below hand endpoints what
:func:`~mubayiro.referrals.main.create_app` put on ``app.state``: settings, the peer
clients, the event publisher and the invitation sender's wake-up.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from mubayiro.common.events import EventPublisher
from mubayiro.referrals.clients.loyalty import LoyaltyClient
from mubayiro.referrals.config import ReferralsSettings


def get_settings(request: Request) -> ReferralsSettings:
    """The app's settings."""
    settings: ReferralsSettings = request.app.state.settings
    return settings


def get_loyalty_client(request: Request) -> LoyaltyClient:
    """The client for loyalty's internal routes."""
    loyalty_client: LoyaltyClient = request.app.state.loyalty_client
    return loyalty_client


def get_publisher(request: Request) -> EventPublisher:
    """The outbox publisher for ``referral.completed``."""
    publisher: EventPublisher = request.app.state.publisher
    return publisher


def get_invitation_wakeup(request: Request) -> threading.Event:
    """The event that wakes the invitation-SMS sender (set when an invitation commits)."""
    wakeup: threading.Event = request.app.state.invitation_sender.wakeup
    return wakeup


SettingsDep = Annotated[ReferralsSettings, Depends(get_settings)]
LoyaltyClientDep = Annotated[LoyaltyClient, Depends(get_loyalty_client)]
PublisherDep = Annotated[EventPublisher, Depends(get_publisher)]
InvitationWakeupDep = Annotated[threading.Event, Depends(get_invitation_wakeup)]

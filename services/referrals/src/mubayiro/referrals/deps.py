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

from mubayiro.common.deps import app_state
from mubayiro.common.events import EventPublisher
from mubayiro.referrals.clients.loyalty import LoyaltyClient
from mubayiro.referrals.config import ReferralsSettings


def get_invitation_wakeup(request: Request) -> threading.Event:
    """The event that wakes the invitation-SMS sender (set when an invitation commits)."""
    wakeup: threading.Event = request.app.state.invitation_sender.wakeup
    return wakeup


SettingsDep = Annotated[ReferralsSettings, Depends(app_state("settings"))]
LoyaltyClientDep = Annotated[LoyaltyClient, Depends(app_state("loyalty_client"))]
PublisherDep = Annotated[EventPublisher, Depends(app_state("publisher"))]
InvitationWakeupDep = Annotated[threading.Event, Depends(get_invitation_wakeup)]

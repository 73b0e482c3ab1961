"""SMS routes: the development outbox.

The inbound Twilio webhook, ``POST /sms/inbound`` (form ``From``/``Body``, checked
``X-Twilio-Signature``, TwiML reply; BALANCE/HELP/STOP/START), goes in this module in
the next issue, feeding a channel-independent command handler.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from mubayiro.common.deps import SessionDep
from mubayiro.common.errors import error_responses
from mubayiro.common.phone import PhoneNumber
from mubayiro.notifications.sms.dependencies import OutboxNotAvailable, outbox_enabled
from mubayiro.notifications.sms.schemas import OutboxMessage
from mubayiro.notifications.sms.service import sms_service

router = APIRouter(tags=["notifications"])


@router.get(
    "/notifications/outbox",
    response_model=list[OutboxMessage],
    responses=error_responses(OutboxNotAvailable),
    dependencies=[Depends(outbox_enabled)],
)
def list_outbox(
    session: SessionDep,
    to: Annotated[PhoneNumber | None, Query(description="Only messages to this number")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OutboxMessage]:
    """The SMS that would have been sent, newest first (console provider, development only)."""
    messages = sms_service.outbox(session, to=to, limit=limit)
    return [OutboxMessage.model_validate(m) for m in messages]

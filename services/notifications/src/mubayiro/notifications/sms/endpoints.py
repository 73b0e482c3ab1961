"""SMS routes: the development outbox, and SMS other services ask for.

Inbound SMS (``POST /sms/inbound``) are in the ``inbound`` module.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from mubayiro.common.deps import ReadSession, SessionRoute, WriteSession
from mubayiro.common.errors import Conflict, Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.common.idempotency import idempotent
from mubayiro.common.phone import PhoneNumber
from mubayiro.common.security import ServiceCaller
from mubayiro.notifications.deps import SettingsDep, SmsProviderDep, SmsWakeupDep
from mubayiro.notifications.sms.dependencies import outbox_enabled
from mubayiro.notifications.sms.exceptions import OutboxNotAvailable
from mubayiro.notifications.sms.schemas import OutboxMessage, SmsAccepted, SmsRequest
from mubayiro.notifications.sms.service import sms_service

router = APIRouter(tags=["notifications"], route_class=SessionRoute)


@router.get(
    "/notifications/outbox",
    response_model=list[OutboxMessage],
    responses=error_responses(OutboxNotAvailable),
    dependencies=[Depends(outbox_enabled)],
)
def list_outbox(
    session: ReadSession,
    to: Annotated[PhoneNumber | None, Query(description="Only messages to this number")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OutboxMessage]:
    """The SMS that would have been sent, newest first (console provider, development only)."""
    messages = sms_service.outbox(session, to=to, limit=limit)
    return [OutboxMessage.model_validate(m) for m in messages]


@router.post(
    "/internal/sms",
    response_model=SmsAccepted,
    status_code=202,
    responses=error_responses(Unauthorized, Forbidden, Conflict, InvalidInput),
    tags=["internal"],
)
@idempotent
def request_sms(
    caller: ServiceCaller,
    body: SmsRequest,
    session: WriteSession,
    provider: SmsProviderDep,
    wakeup: SmsWakeupDep,
    settings: SettingsDep,
) -> SmsAccepted:
    """Queue an SMS for another service (``skipped`` when a non-essential one meets STOP).

    With an ``Idempotency-Key`` the same request from the same service is queued once;
    a retry gets the first answer back."""
    return sms_service.request_sms(
        session, body, caller=caller, provider=provider.name,
        countries=settings.sms_countries, wakeup=wakeup,
    )

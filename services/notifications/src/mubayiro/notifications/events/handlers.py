"""Event handlers: each turns one event into queued SMS.

A handler runs inside the consumer's transaction (``mubayiro.common.events``), after
the event id was recorded in ``processed_event``: the id record and the queued SMS
commit together, so a redelivered event is acknowledged without queuing anything. The
``(event_id, kind)`` unique constraint on ``sms_message`` backs that up.

A payload that does not match the contract is answered 422 and nothing is recorded:
the producer keeps the event in its outbox and retries it (its last error says why),
so a contract mismatch is visible and no SMS is lost once it is fixed.
"""

from __future__ import annotations

import logging
import threading
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from mubayiro.common.errors import InvalidInput
from mubayiro.common.events import EventEnvelope, EventHandler
from mubayiro.notifications.events.schemas import PointsEarned
from mubayiro.notifications.sms.service import sms_service
from mubayiro.notifications.sms.texts import KIND_POINTS_EARNED, points_earned_text

logger = logging.getLogger(__name__)

POINTS_EARNED = "points.earned"


class InvalidEventPayload(InvalidInput):
    default_detail = "The event's data does not match its type"


_Payload = TypeVar("_Payload", bound=BaseModel)


def _parse(model: type[_Payload], envelope: EventEnvelope) -> _Payload:
    try:
        return model.model_validate(envelope.data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise InvalidEventPayload(f"{envelope.type} event has invalid data: {fields}") from exc


def event_handlers(*, provider_name: str, wakeup: threading.Event) -> dict[str, EventHandler]:
    """The handlers by event type; queued SMS name ``provider_name`` and wake ``wakeup``."""

    def on_points_earned(session: Session, envelope: EventEnvelope) -> None:
        """``points.earned`` → "You earned … points at … Balance: …" to the customer."""
        data = _parse(PointsEarned, envelope)
        if data.points == 0:
            # A purchase too small to earn anything: an SMS saying so costs and annoys.
            logger.info("no sms for zero points", extra={"event_id": envelope.id})
            return
        sms_service.enqueue(
            session,
            to=data.customer_phone_number,
            body=points_earned_text(
                points=data.points,
                business_name=data.business_name,
                total_points=data.total_points,
            ),
            kind=KIND_POINTS_EARNED,
            provider=provider_name,
            event_id=envelope.id,
            wakeup=wakeup,
        )

    return {POINTS_EARNED: on_points_earned}

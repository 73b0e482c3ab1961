"""The handler of the event referrals consumes on ``POST /internal/events``.

``points.earned`` (from loyalty) is a purchase at a shop: see ``purchases.service``. The
shared :func:`~mubayiro.common.events.events_router` records the event id in
``processed_event`` in the handler's transaction, so a redelivery changes nothing; the
handler is idempotent anyway (the first purchase is kept, a claimed invitation stays
claimed). A payload that does not fit is a 422 and nothing is recorded: loyalty keeps
the event as a dead letter for an operator.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from mubayiro.common.events import EventEnvelope, EventHandler, event_data
from mubayiro.common.phone import PhoneNumber
from mubayiro.referrals.purchases.service import purchase_service

POINTS_EARNED = "points.earned"


class PointsEarned(BaseModel):
    """What referrals reads of a ``points.earned`` event's data."""

    model_config = ConfigDict(extra="ignore")

    transaction_id: int = Field(ge=1)
    business_id: int = Field(ge=1, le=2**31 - 1)
    customer_phone_number: PhoneNumber
    timestamp: datetime
    imported: bool = False


def on_points_earned(session: Session, envelope: EventEnvelope) -> None:
    """Apply the purchase a ``points.earned`` event describes (see ``purchases.service``)."""
    data = event_data(PointsEarned, envelope)
    purchase_service.record(
        session, business_id=data.business_id, phone_number=data.customer_phone_number,
        at=data.timestamp, transaction_id=data.transaction_id, imported=data.imported,
    )


def event_handlers() -> dict[str, EventHandler]:
    """The handlers by event type."""
    return {POINTS_EARNED: on_points_earned}

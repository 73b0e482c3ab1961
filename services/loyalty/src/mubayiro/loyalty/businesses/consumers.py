"""Consumers of auth's business events (``POST /internal/events``, service token only).

The shared :func:`~mubayiro.common.events.events_router` deduplicates by event id and
runs the handler in the same transaction, so a redelivered event changes nothing.
The handlers themselves are also safe to repeat (one upsert statement), and a status
older than the copy's (an event redelivered after a newer one) is not applied.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mubayiro.common.events import EventEnvelope, EventHandler, event_data
from mubayiro.loyalty.businesses.schemas import BusinessEventData
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.config import LoyaltySettings

BUSINESS_REGISTERED = "business.registered"
BUSINESS_UPDATED = "business.updated"


def business_event_handlers(settings: LoyaltySettings) -> dict[str, EventHandler]:
    """Handlers for ``business.registered`` and ``business.updated``."""

    def on_business_event(session: Session, envelope: EventEnvelope) -> None:
        # A 422 rolls back the dedup row too, so a fixed redelivery is processed.
        data = event_data(BusinessEventData, envelope)
        business_service.apply_business_event(
            session, data, registered=envelope.type == BUSINESS_REGISTERED,
            occurred_at=envelope.occurred_at, settings=settings,
        )

    return {BUSINESS_REGISTERED: on_business_event, BUSINESS_UPDATED: on_business_event}

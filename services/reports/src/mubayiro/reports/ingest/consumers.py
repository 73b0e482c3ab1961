"""Handlers of the events reports consumes on ``POST /internal/events``.

``points.earned``, ``points.redeemed``, ``points.referral_bonus``, ``points.reversed``
and ``points.expired`` (from loyalty) each describe one ledger transaction, and
``points.imported`` up to 200 of them (one per imported balance); the handler turns the
payload into :class:`~mubayiro.reports.ingest.schemas.LedgerFact` s and applies each
through :func:`~mubayiro.reports.ingest.service.IngestService.apply`.

Two layers of deduplication: the consumer (``mubayiro.common.events.events_router``)
records the event id in ``processed_event`` in the same transaction and acknowledges a
redelivery without running the handler; the handler itself is idempotent by
``transaction_id`` (see ``ingest.service``), which is what makes events and the
id-less ledger backfill converge.

A payload that does not match the contract is answered 422 and nothing is recorded
(not even the event id): loyalty keeps the event in its outbox and retries it, with the
reason as its last error, so nothing is lost once the mismatch is fixed.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from mubayiro.common.events import EventEnvelope, EventHandler, event_data
from mubayiro.reports.ingest.schemas import (
    PointsEarned,
    PointsExpired,
    PointsImported,
    PointsRedeemed,
    PointsReferralBonus,
    PointsReversed,
)
from mubayiro.reports.ingest.service import ingest_service
from mubayiro.reports.models import SOURCE_EVENT

POINTS_EARNED = "points.earned"
POINTS_REDEEMED = "points.redeemed"
POINTS_REFERRAL_BONUS = "points.referral_bonus"
POINTS_REVERSED = "points.reversed"
POINTS_EXPIRED = "points.expired"
POINTS_IMPORTED = "points.imported"


_Payload = TypeVar(
    "_Payload", PointsEarned, PointsRedeemed, PointsReferralBonus, PointsReversed,
    PointsExpired,
)


def _handler(model: type[_Payload]) -> EventHandler:
    def handle(session: Session, envelope: EventEnvelope) -> None:
        ingest_service.apply(session, event_data(model, envelope).to_fact(), source=SOURCE_EVENT)

    handle.__doc__ = f"Count the transaction a ``{model.__name__}`` event describes, once."
    return handle


def on_points_imported(session: Session, envelope: EventEnvelope) -> None:
    """Count each balance a ``points.imported`` event carries, once (its own ledger row)."""
    for fact in event_data(PointsImported, envelope).to_facts():
        ingest_service.apply(session, fact, source=SOURCE_EVENT)


def event_handlers() -> dict[str, EventHandler]:
    """The handlers by event type."""
    return {
        POINTS_EARNED: _handler(PointsEarned),
        POINTS_REDEEMED: _handler(PointsRedeemed),
        POINTS_REFERRAL_BONUS: _handler(PointsReferralBonus),
        POINTS_REVERSED: _handler(PointsReversed),
        POINTS_EXPIRED: _handler(PointsExpired),
        POINTS_IMPORTED: on_points_imported,
    }

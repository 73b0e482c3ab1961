"""The one way a transaction enters the read model: :meth:`IngestService.apply`.

Both feeds call it — the event handlers (``ingest.consumers``) inside the event consumer's
transaction, and the backfill (``ingest.backfill``) for every ledger row it replays —
so live traffic and a replay cannot count a transaction differently.

How it stays exactly-once without event ids: the fact row is inserted first, keyed by
loyalty's transaction id (``INSERT … ON CONFLICT DO NOTHING``). Only when that insert
actually added a row are the aggregates incremented, in the same transaction. A
transaction already counted (the same event under a new id, the backfill replaying what
an event delivered, a second backfill run) finds its fact and changes nothing. Two
writers applying the same transaction at once are ordered by the primary key: SQLite
serialises writers (``BEGIN IMMEDIATE``), and on PostgreSQL the second insert waits for
the first to commit and then does nothing.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from mubayiro.reports.ingest.repository import ingest_repository
from mubayiro.reports.ingest.schemas import LedgerFact

logger = logging.getLogger(__name__)

_COMPARED = ("business_id", "phone_number", "type", "points", "shortfall")


class IngestService:
    """Applies ledger facts to the read model (a module singleton: ``ingest_service``)."""

    def apply(self, session: Session, fact: LedgerFact, *, source: str) -> bool:
        """Count ``fact`` once; True when it was new, False when it was already counted.

        Runs in ``session``'s transaction; the caller commits (see module doc).
        """
        if ingest_repository.insert_fact(session, fact, source=source):
            ingest_repository.add_to_aggregates(session, fact)
            return True
        existing = ingest_repository.get_fact(session, fact.transaction_id)
        if existing is not None and any(
            getattr(existing, name) != getattr(fact, name) for name in _COMPARED
        ):
            # Loyalty's ids never change meaning; a mismatch is a bug upstream. The first
            # version stays counted (changing it would need the old figures back out).
            logger.warning(
                "transaction seen again with different data; kept the first",
                extra={"transaction_id": fact.transaction_id, "source": source},
            )
        return False


ingest_service = IngestService()

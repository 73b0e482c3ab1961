"""The expiry job: ``expire`` rows for points left in lots that reached their date.

Run by ``python -m mubayiro.loyalty expire`` and by a periodic worker in the service
(:class:`ExpiryWorker`, every ``expiry_interval_seconds``), in write transactions of
:data:`BATCH` lots each. Safe with several replicas (and the command) at once: each lot
is emptied under its customer's row lock, after reading what is left in it again
(:meth:`~mubayiro.loyalty.lots.repository.LotRepository.empty`), so a lot that another
worker emptied, or that a redemption spent meanwhile, is never expired twice or for
points that are gone; on SQLite the write lock orders the workers anyway.

For each lot: the balance loses what is left in it, an ``expire`` ledger row (at the
business that gave the points, "Points expired") records it, and ``points.expired`` is
written to the outbox for reports — all in one transaction, like every ledger change.

Before expiring, each pass reminds customers of what will expire within
:data:`REMINDER_WINDOW` (7 days), at most once per customer per :data:`REMINDER_WINDOW`:
someone who shops every day at a shop whose points expire has a new lot coming within
the week every day, and one SMS a day would be spam. A customer with lots that have
points left, expire within the window and were not announced yet, and who was not
reminded in the last 7 days (no lot of theirs has ``reminded_at`` after ``now`` - 7
days), gets one ``points.expiring`` event summing all those lots (their points, the
earliest expiry date and moment, the latest date), and the lots get ``reminded_at`` in
the same transaction. Lots that come within the window during the next 7 days wait for
the next reminder (they expire after it is due). Safe with several replicas: the
customer's row is locked and the last reminder read again before anything is written,
so whichever replica gets there first reminds, and the others skip. The figure is what
is left in the lots then: points spent afterwards never expire anyway.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mubayiro.common.db import Database, utcnow
from mubayiro.common.events import EventPublisher
from mubayiro.common.workers import BackgroundWorker
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.customers.repository import customer_repository
from mubayiro.loyalty.lots.repository import lot_repository
from mubayiro.loyalty.reversals.repository import reversal_repository
from mubayiro.loyalty.transactions.repository import transaction_repository
from mubayiro.loyalty.transactions.service import POINTS_EXPIRED, POINTS_EXPIRING

logger = logging.getLogger(__name__)

#: Lots expired per transaction (a short write lock, however many are due).
BATCH = 200
#: The ledger row's description of expired points.
EXPIRED_DESCRIPTION = "Points expired"
#: How long before points expire the customer is told (``points.expiring``).
REMINDER_WINDOW = timedelta(days=7)


class ExpiryService:
    """Point expiry (a module singleton: ``expiry_service``)."""

    def expire_due(self, session: Session, publisher: EventPublisher, *, now: datetime,
                   limit: int = BATCH) -> tuple[int, int]:
        """Expire up to ``limit`` lots due by ``now`` (see module doc); return (lots
        looked at, lots expired)."""
        due = lot_repository.due(session, now, limit)
        expired = 0
        for lot_id, customer_id in due:
            customer_repository.locked_balance(session, customer_id)
            emptied = lot_repository.empty(session, lot_id)
            if emptied is None:
                continue
            business_id, points = emptied
            business = business_service.get_program(session, business_id)
            total = customer_repository.add_to_balance(session, customer_id, -points)
            transaction_id = transaction_repository.insert(
                session, business_id=business.id, customer_id=customer_id, type="expire",
                points=-points, reward_description=EXPIRED_DESCRIPTION,
                created_at=now,
            )
            publisher.emit(session, POINTS_EXPIRED, {
                "transaction_id": transaction_id,
                "business_id": business.id,
                "business_name": business.name,
                "customer_phone_number": reversal_repository.phone_of(session, customer_id),
                "points": points,
                "total_points": total,
                "timestamp": now.isoformat(),
            })
            expired += 1
        return len(due), expired

    def remind_due(self, session: Session, publisher: EventPublisher, *, now: datetime,
                   limit: int = BATCH) -> tuple[int, int]:
        """Remind the customers of up to ``limit`` lots expiring within
        :data:`REMINDER_WINDOW` of ``now`` that were not announced yet, skipping those
        reminded in the last :data:`REMINDER_WINDOW` (see module doc); return (customers
        looked at, ``points.expiring`` events written)."""
        until = now + REMINDER_WINDOW
        since = now - REMINDER_WINDOW
        customers = lot_repository.to_remind(session, now, until, since, limit)
        events = 0
        for customer_id in customers:
            total = customer_repository.locked_balance(session, customer_id)
            # Read again under the lock: another replica may have just reminded them.
            if lot_repository.reminded_since(session, customer_id, since):
                continue
            lots = lot_repository.mark_reminded(session, customer_id, now=now, until=until)
            if not lots:
                continue
            soonest = min(expires_at for _remaining, expires_at in lots)
            latest = max(expires_at for _remaining, expires_at in lots)
            publisher.emit(session, POINTS_EXPIRING, {
                "customer_phone_number": reversal_repository.phone_of(session, customer_id),
                "points": sum(remaining for remaining, _expires_at in lots),
                "date": soonest.date().isoformat(),
                "last_date": latest.date().isoformat(),
                "expires_at": soonest.isoformat(),
                "total_points": total,
                "timestamp": now.isoformat(),
            })
            events += 1
        return len(customers), events

    def run(self, database: Database, publisher: EventPublisher, *,
            now: datetime | None = None) -> int:
        """Announce what expires soon, then expire everything due by ``now`` (default:
        now), a batch per transaction; return how many lots were expired."""
        moment = now or utcnow()
        while True:
            with database.session(write=True) as session:
                customers, _events = self.remind_due(session, publisher, now=moment)
            if customers == 0:
                break
        total = 0
        while True:
            with database.session(write=True) as session:
                seen, expired = self.expire_due(session, publisher, now=moment)
            total += expired
            if seen < BATCH:
                return total


expiry_service = ExpiryService()


class ExpiryWorker(BackgroundWorker):
    """Runs the expiry job in the service every ``poll_seconds`` (see module doc)."""

    name = "point-expiry"

    def __init__(self, database: Database, publisher: EventPublisher, *,
                 poll_seconds: float):
        super().__init__(poll_seconds=poll_seconds)
        self.database = database
        self.publisher = publisher

    def run_once(self) -> bool:
        """One pass over what is due now; never more work right away."""
        expired = expiry_service.run(self.database, self.publisher)
        if expired:
            logger.info("points expired", extra={"lots": expired})
        return False

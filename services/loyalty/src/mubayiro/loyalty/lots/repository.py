"""SQL of point lots (``point_lot``, see ``models``).

Every change to a customer's lots happens while the transaction holds that customer's
balance row (the ``UPDATE`` of ``total_points`` that goes with it, or ``SELECT … FOR
UPDATE``): on PostgreSQL two transactions never change one customer's lots at once, and
on SQLite the write lock orders them anyway. So reading a customer's lots and then
updating them in Python is safe here — the lock, not the statement, makes it atomic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, exists, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from mubayiro.loyalty.models import PointLot

_lots = cast(Table, PointLot.__table__)
_OPEN = insert(_lots)  # built once: an award opens a lot (mubayiro.common.sql)
# Every balance lookup shows the next expiry: built once too.
_SOONEST_EXPIRY = select(func.min(PointLot.expires_at)).where(
    PointLot.customer_id == bindparam("customer_id"), PointLot.remaining > 0,
    PointLot.expires_at.is_not(None))
# A redemption's: the spendable lots in spending order, and one lot's deduction.
_SPEND_ORDER = (PointLot.expires_at.is_(None), PointLot.expires_at, PointLot.id)
_SPENDABLE = (
    select(PointLot.id, PointLot.remaining)
    .where(PointLot.customer_id == bindparam("customer_id"), PointLot.remaining > 0)
    .order_by(*_SPEND_ORDER).with_for_update()
)
_TAKE = update(_lots).where(_lots.c.id == bindparam("lot_id")).values(
    remaining=_lots.c.remaining - bindparam("take"))
_EXPIRING_ON = select(PointLot.remaining, PointLot.expires_at).where(
    PointLot.customer_id == bindparam("customer_id"), PointLot.remaining > 0,
    PointLot.expires_at >= bindparam("soonest"), PointLot.expires_at < bindparam("day_end"))


class LotRepository:
    """Opens, spends and expires lots."""

    def open(self, session: Session, lots: Sequence[dict[str, Any]]) -> None:
        """Open lots: each ``{customer_id, business_id, transaction_id, points,
        expires_at, created_at}``; lots of 0 points are not kept."""
        rows = [{**lot, "remaining": lot["points"]} for lot in lots if lot["points"] > 0]
        if rows:
            session.execute(_OPEN, rows)

    def spend(self, session: Session, customer_id: int, points: int, *,
              first_transaction_id: int | None = None) -> None:
        """Take ``points`` from the customer's lots: the lot ``first_transaction_id``
        opened first (a refund takes back its own earn), then the earliest expiry
        first (never-expiring last), oldest first among equals.

        Raises:
            RuntimeError: the lots hold fewer points (the balance and the lots disagree:
                a bug, so the transaction must not go on).
        """
        if first_transaction_id is None:  # a redemption: statements built once
            lots = session.execute(_SPENDABLE, {"customer_id": customer_id})
        else:
            lots = session.execute(
                _SPENDABLE.order_by(None).order_by(
                    case((PointLot.transaction_id == first_transaction_id, 0), else_=1),
                    *_SPEND_ORDER),
                {"customer_id": customer_id})
        left = points
        for lot_id, remaining in lots:
            if left <= 0:
                break
            take = min(left, remaining)
            session.execute(_TAKE, {"lot_id": lot_id, "take": take})
            left -= take
        if left > 0:
            raise RuntimeError(f"customer {customer_id}'s lots lack {left} points")

    def due(self, session: Session, now: datetime, limit: int) -> list[tuple[int, int]]:
        """Up to ``limit`` lots expired by ``now`` with points left, soonest first:
        ``(id, customer_id)``."""
        return [(lot_id, customer_id) for lot_id, customer_id in session.execute(
            select(PointLot.id, PointLot.customer_id)
            .where(PointLot.expires_at <= now, PointLot.remaining > 0)
            .order_by(PointLot.expires_at, PointLot.id).limit(limit)
        )]

    def empty(self, session: Session, lot_id: int) -> tuple[int, int] | None:
        """Empty lot ``lot_id`` (its customer's row is locked): ``(business_id,
        remaining)`` as it was, or None when another worker emptied it first."""
        business_id, remaining = session.execute(
            select(PointLot.business_id, PointLot.remaining)
            .where(PointLot.id == lot_id).with_for_update()
        ).one()
        if remaining == 0:
            return None
        # Only lots with an expiry are due, and every such lot names its business.
        assert business_id is not None
        session.execute(update(_lots)
                        .where(_lots.c.id == lot_id, _lots.c.remaining == remaining)
                        .values(remaining=0))
        return business_id, remaining

    def to_remind(self, session: Session, now: datetime, until: datetime, since: datetime,
                  limit: int) -> list[int]:
        """Customers (ids) of up to ``limit`` lots with points left that expire after
        ``now`` and by ``until`` and were not announced yet, soonest first, each once —
        leaving out customers reminded after ``since`` (they wait for their next turn)."""
        recent = aliased(PointLot)
        customers = session.scalars(
            select(PointLot.customer_id)
            .where(PointLot.expires_at > now, PointLot.expires_at <= until,
                   PointLot.reminded_at.is_(None), PointLot.remaining > 0,
                   ~exists().where(recent.customer_id == PointLot.customer_id,
                                   recent.reminded_at > since))
            .order_by(PointLot.expires_at, PointLot.id).limit(limit)
        )
        return list(dict.fromkeys(customers))

    def reminded_since(self, session: Session, customer_id: int, since: datetime) -> bool:
        """Whether the customer was reminded after ``since`` (read again under the
        customer's row lock: another worker may have just done it)."""
        return session.scalar(
            select(exists().where(PointLot.customer_id == customer_id,
                                  PointLot.reminded_at > since))) is True

    def mark_reminded(self, session: Session, customer_id: int, *, now: datetime,
                      until: datetime) -> list[tuple[int, datetime]]:
        """Mark the customer's lots with points left that expire after ``now`` and by
        ``until`` and were not announced yet as announced (``reminded_at`` = ``now``; the
        customer's row is locked) and return each one's ``(remaining, expires_at)``."""
        lots = session.execute(
            select(PointLot.id, PointLot.remaining, PointLot.expires_at)
            .where(PointLot.customer_id == customer_id, PointLot.expires_at > now,
                   PointLot.expires_at <= until, PointLot.reminded_at.is_(None),
                   PointLot.remaining > 0)
            .with_for_update()
        ).all()
        if lots:
            session.execute(update(_lots).where(_lots.c.id.in_([lot.id for lot in lots]))
                            .values(reminded_at=now))
        # Only lots with an expiry are found, so ``expires_at`` is never None here.
        return [(lot.remaining, cast(datetime, lot.expires_at)) for lot in lots]

    def next_expiry(self, session: Session, customer_id: int) -> tuple[int, date] | None:
        """The points of the customer's lots expiring on the earliest day, and that day."""
        soonest = session.scalar(_SOONEST_EXPIRY, {"customer_id": customer_id})
        if soonest is None:
            return None
        day = soonest.date()
        lots = session.execute(_EXPIRING_ON, {
            "customer_id": customer_id, "soonest": soonest,
            "day_end": datetime.combine(day, datetime.max.time(), tzinfo=soonest.tzinfo),
        }).all()
        return sum(lot.remaining for lot in lots), day

    def remaining_of(self, session: Session, customer_id: int) -> int:
        """The points left in the customer's lots (equal to the balance)."""
        return int(session.scalar(select(func.coalesce(func.sum(PointLot.remaining), 0))
                                  .where(PointLot.customer_id == customer_id)) or 0)


lot_repository = LotRepository()

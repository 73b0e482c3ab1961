"""SQL of reversals: the original row under its lock, and its reversals so far."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mubayiro.loyalty.models import Customer, PointTransaction
from mubayiro.loyalty.reversals.schemas import ReversedSoFar


class ReversalRepository:
    """Reads what a reversal needs; the reversal row itself is a ledger insert."""

    def lock_original(self, session: Session, transaction_id: int) -> PointTransaction | None:
        """The ledger row ``transaction_id``, locked until the transaction ends, or None.

        ``SELECT … FOR UPDATE``: on PostgreSQL concurrent reversals of one row queue
        here, so each one sums the reversals committed before it (READ COMMITTED takes
        a new snapshot per statement). The row itself is never changed. On SQLite the
        write transaction (``BEGIN IMMEDIATE``) already serialises every writer.
        """
        return session.scalar(
            select(PointTransaction).where(PointTransaction.id == transaction_id)
            .with_for_update()
        )

    def reversed_so_far(self, session: Session, transaction_id: int) -> ReversedSoFar:
        """Money and points the reversals of ``transaction_id`` account for so far.

        A reversal's points are what it took or gave back plus its ``shortfall`` (the
        part it could not take): both count against the original.
        """
        amount, points = session.execute(
            select(
                func.coalesce(func.sum(PointTransaction.amount_spent), 0),
                func.coalesce(func.sum(func.abs(PointTransaction.points)
                                       + func.coalesce(PointTransaction.shortfall, 0)), 0),
            ).where(PointTransaction.reversed_transaction_id == transaction_id)
        ).one()
        return ReversedSoFar(amount=Decimal(amount), points=int(points))

    def phone_of(self, session: Session, customer_id: int) -> str:
        """The E.164 phone number of customer ``customer_id``."""
        return session.execute(
            select(Customer.phone_number).where(Customer.id == customer_id)
        ).scalar_one()


reversal_repository = ReversalRepository()

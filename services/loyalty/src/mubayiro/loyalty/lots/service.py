"""Rules of point lots: when a credit's points expire, and spending them in order.

Each credit opens a lot (:meth:`LotService.open`) expiring ``points_expire_after_days``
after it, as the crediting business had it set then (null: never); a later change of
the setting applies to later credits only, so nobody's points start expiring, or expire
sooner, because of a change they were not told about. Spending (a redemption, a refund
that takes points back) takes from the lots with the earliest expiry first — the order
that costs the customer least — and expiry (``lots.expiry``) removes only what is left
in a lot: points that were spent are never expired.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mubayiro.loyalty.lots.repository import lot_repository
from mubayiro.loyalty.lots.schemas import NextExpiry
from mubayiro.loyalty.models import Business


def expiry_for(business: Business, credited_at: datetime) -> datetime | None:
    """When points ``business`` credits at ``credited_at`` expire (None: never)."""
    days = business.points_expire_after_days
    return credited_at + timedelta(days=days) if days else None


class LotService:
    """Point lots (a module singleton: ``lot_service``)."""

    def open(self, session: Session, business: Business, *, customer_id: int,
             transaction_id: int, points: int, credited_at: datetime) -> None:
        """Open the lot of one credit (see module doc)."""
        lot_repository.open(session, [{
            "customer_id": customer_id, "business_id": business.id,
            "transaction_id": transaction_id, "points": points,
            "expires_at": expiry_for(business, credited_at), "created_at": credited_at,
        }])

    def spend(self, session: Session, customer_id: int, points: int, *,
              first_transaction_id: int | None = None) -> None:
        """Take ``points`` from the customer's lots, earliest expiry first (see module
        doc); the lot of ``first_transaction_id`` first when given."""
        if points > 0:
            lot_repository.spend(session, customer_id, points,
                                 first_transaction_id=first_transaction_id)

    def next_expiry(self, session: Session, customer_id: int | None) -> NextExpiry | None:
        """The customer's next expiring points (those of the earliest day), or None."""
        if customer_id is None:
            return None
        found = lot_repository.next_expiry(session, customer_id)
        return None if found is None else NextExpiry(points=found[0], date=found[1])


lot_service = LotService()

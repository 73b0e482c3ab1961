"""SQL for ``shop_purchase``: who has bought at which business, and when first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.referrals.models import ShopPurchase


class PurchaseRepository:
    """Reads and writes the first purchase of each customer at each business."""

    def first_purchase_at(
        self, session: Session, business_id: int, phone_number: str
    ) -> datetime | None:
        """When ``phone_number`` first bought at ``business_id``, if this service knows."""
        return session.scalar(select(ShopPurchase.first_purchase_at).where(
            ShopPurchase.business_id == business_id, ShopPurchase.phone_number == phone_number
        ))

    def record(
        self, session: Session, business_id: int, phone_number: str, *, at: datetime,
        transaction_id: int,
    ) -> bool:
        """Record a purchase; keep the earliest one. True when it is the first seen there."""
        try:
            with session.begin_nested():
                session.add(ShopPurchase(
                    business_id=business_id, phone_number=phone_number,
                    first_purchase_at=at, transaction_id=transaction_id,
                ))
                session.flush()
        except IntegrityError:
            # Known already: an earlier purchase delivered later still becomes the first.
            session.execute(
                update(ShopPurchase)
                .where(ShopPurchase.business_id == business_id,
                       ShopPurchase.phone_number == phone_number,
                       ShopPurchase.first_purchase_at > at)
                .values(first_purchase_at=at, transaction_id=transaction_id)
                .execution_options(synchronize_session=False)
            )
            return False
        return True


purchase_repository = PurchaseRepository()

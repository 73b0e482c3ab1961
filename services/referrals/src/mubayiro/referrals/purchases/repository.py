"""SQL for ``shop_purchase``: who has bought at which business, and when first."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from mubayiro.common.sql import PerDialect, dialect_insert
from mubayiro.referrals.models import ShopPurchase

_purchases = cast(Table, ShopPurchase.__table__)


def _record_statement(dialect: str) -> Any:
    upsert = dialect_insert(dialect, _purchases).values(
        business_id=bindparam("business_id"), phone_number=bindparam("phone_number"),
        first_purchase_at=bindparam("at"), transaction_id=bindparam("transaction_id"))
    return upsert.on_conflict_do_update(
        index_elements=[_purchases.c.business_id, _purchases.c.phone_number],
        set_={"first_purchase_at": upsert.excluded.first_purchase_at,
              "transaction_id": upsert.excluded.transaction_id},
        where=_purchases.c.first_purchase_at > upsert.excluded.first_purchase_at,
    ).returning(_purchases.c.first_purchase_at)


_RECORD = PerDialect(_record_statement)


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
    ) -> datetime | None:
        """Record a purchase; keep the earliest one. Returns the first purchase's time as
        now stored when this one is it (new, or earlier than the one known), else None.

        One ``INSERT … ON CONFLICT (business_id, phone_number) DO UPDATE … WHERE the
        known one is later … RETURNING``, built once (every award's event runs it: see
        ``mubayiro.common.sql``): an earlier purchase delivered later still becomes the
        first, and no row back means the known one stays.
        """
        kept = session.execute(_RECORD.for_(session), {
            "business_id": business_id, "phone_number": phone_number, "at": at,
            "transaction_id": transaction_id}).first()
        return None if kept is None else cast(datetime, kept[0])


purchase_repository = PurchaseRepository()

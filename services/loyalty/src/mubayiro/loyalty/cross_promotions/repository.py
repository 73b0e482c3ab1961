"""SQL for cross-promotions (the ``cross_promotion`` table)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.loyalty.models import Business, CrossPromotion


class CrossPromotionRepository:
    """Reads and replaces a business's partners."""

    def partners(self, session: Session, business_id: int) -> list[Business]:
        """The businesses ``business_id`` promotes, by id."""
        query = (
            select(Business)
            .join(CrossPromotion, CrossPromotion.partner_business_id == Business.id)
            .where(CrossPromotion.business_id == business_id)
            .order_by(Business.id)
        )
        return list(session.scalars(query))

    def known_ids(self, session: Session, ids: Iterable[int]) -> set[int]:
        """Which of ``ids`` are businesses known here."""
        wanted = list(ids)
        if not wanted:
            return set()
        return set(session.scalars(select(Business.id).where(Business.id.in_(wanted))))

    def replace(self, session: Session, business_id: int, partner_ids: list[int]) -> None:
        """Make ``partner_ids`` the exact set of ``business_id``'s partners."""
        session.execute(delete(CrossPromotion).where(CrossPromotion.business_id == business_id))
        if partner_ids:
            now = utcnow()
            session.execute(
                insert(CrossPromotion),
                [
                    {"business_id": business_id, "partner_business_id": pid, "created_at": now}
                    for pid in partner_ids
                ],
            )


cross_promotion_repository = CrossPromotionRepository()

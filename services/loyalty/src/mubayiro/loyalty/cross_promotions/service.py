"""Rules of cross-promotions: a business names up to 10 partners to promote.

``PUT`` replaces the whole list (sending it twice changes nothing, so no
Idempotency-Key is needed). Every partner must be a business known here and not the
business itself (422 otherwise, nothing changed); a partner named twice counts once.
Who promotes whom is public knowledge once a customer sees the recommendation, but
the list itself is only for the business that owns it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mubayiro.loyalty.businesses.schemas import BusinessSummary
from mubayiro.loyalty.cross_promotions.exceptions import SelfPromotion, UnknownPartner
from mubayiro.loyalty.cross_promotions.repository import cross_promotion_repository
from mubayiro.loyalty.cross_promotions.schemas import CrossPromotions, CrossPromotionsUpdate


class CrossPromotionService:
    """Cross-promotions (a module singleton: ``cross_promotion_service``)."""

    def get(self, session: Session, business_id: int) -> CrossPromotions:
        """The partners ``business_id`` promotes."""
        partners = cross_promotion_repository.partners(session, business_id)
        return CrossPromotions(
            partner_business_ids=[p.id for p in partners],
            partners=[BusinessSummary.model_validate(p) for p in partners],
        )

    def replace(
        self, session: Session, business_id: int, update: CrossPromotionsUpdate
    ) -> CrossPromotions:
        """Make ``update`` the business's list of partners; return the new list.

        Raises:
            SelfPromotion: the business named itself (422).
            UnknownPartner: a partner is not a business known here (422).
        """
        ids = sorted(set(update.partner_business_ids))
        if business_id in ids:
            raise SelfPromotion()
        unknown = sorted(set(ids) - cross_promotion_repository.known_ids(session, ids))
        if unknown:
            raise UnknownPartner(f"Unknown partner business ids: {unknown}")
        cross_promotion_repository.replace(session, business_id, ids)
        return self.get(session, business_id)


cross_promotion_service = CrossPromotionService()

"""What a purchase at a shop means for referrals (``points.earned``). Never commits.

Loyalty emits ``points.earned`` for every purchase; referrals subscribes (docs/events.md)
and, for each one, in the event's transaction:

1. records that the customer has bought at the business (``shop_purchase``, the first
   purchase kept) — a referral the shop tracks later takes its ``first_purchase_at``
   from there;
2. marks the shop's own referral of that customer, if any, as bought
   (``first_purchase_at``): completing it becomes possible;
3. when the shop has no referral of that customer and a customer's invitation to them
   is still open (no shop has it yet), gives the invitation to this shop: the friend
   invited from the portal who then buys becomes a pending referral at the shop where
   they bought, with nobody at the till having to do anything. The first shop wins;
   an invitation is one referral, paid once.

History brought in by a shop (``imported``: purchases from before the platform) counts
as a purchase at the shop (1, 2) but claims no invitation: it is not the invited friend
coming in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.referrals.purchases.repository import purchase_repository
from mubayiro.referrals.tracking.repository import referral_repository


class PurchaseService:
    """Purchases at shops, as referrals sees them (a module singleton: ``purchase_service``)."""

    def record(
        self, session: Session, *, business_id: int, phone_number: str, at: datetime,
        transaction_id: int, imported: bool,
    ) -> None:
        """Apply one purchase (see module doc); safe to apply the same one again."""
        first = purchase_repository.record(
            session, business_id, phone_number, at=at, transaction_id=transaction_id)
        own, invitation = referral_repository.of_purchase(session, business_id, phone_number)
        if own:
            referral_repository.note_purchase(session, business_id, phone_number, at)
            return
        if imported or invitation is None:
            return
        # False only if a shop took it meanwhile: then it is that shop's, and fine.
        referral_repository.claim(
            session, invitation, business_id=business_id, code=None, now=utcnow(),
            first_purchase_at=first
            or purchase_repository.first_purchase_at(session, business_id, phone_number),
        )


purchase_service = PurchaseService()

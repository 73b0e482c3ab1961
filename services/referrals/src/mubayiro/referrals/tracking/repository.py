"""SQL for ``referral``. Status changes are conditional UPDATEs that say whether they won."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.common.sql import rowcount
from mubayiro.referrals.models import COMPLETED, PENDING, Referral

# Every purchase (every award's event) runs these: built once (mubayiro.common.sql).
_OF_PURCHASE = select(Referral.id, Referral.business_id).where(
    Referral.referred_phone_number == bindparam("phone_number"),
    or_(Referral.business_id == bindparam("business_id"), Referral.business_id.is_(None)),
)
_NOTE_PURCHASE = (
    update(Referral)
    .where(Referral.business_id == bindparam("b_business_id"),
           Referral.referred_phone_number == bindparam("b_phone_number"),
           or_(Referral.first_purchase_at.is_(None),
               Referral.first_purchase_at > bindparam("b_at")))
    .values(first_purchase_at=bindparam("b_at"))
    .execution_options(synchronize_session=False)
)


class ReferralRepository:
    """Reads and writes referrals."""

    def get(self, session: Session, referral_id: int) -> Referral | None:
        """The referral with this id, as the database has it now."""
        return session.get(Referral, referral_id, populate_existing=True)

    def of_business(
        self, session: Session, business_id: int, phone_number: str
    ) -> Referral | None:
        """``business_id``'s referral of this referred phone number (there is at most one)."""
        return session.scalar(select(Referral).where(
            Referral.business_id == business_id, Referral.referred_phone_number == phone_number
        ))

    def of_purchase(
        self, session: Session, business_id: int, phone_number: str
    ) -> tuple[bool, int | None]:
        """For a purchase by ``phone_number`` at ``business_id``, in one read: whether that
        business has its own referral of the phone, and the id of the phone's open
        invitation (no business has it yet), if there is one."""
        own, invitation = False, None
        for referral_id, owner in session.execute(_OF_PURCHASE, {
                "phone_number": phone_number, "business_id": business_id}):
            if owner is None:
                invitation = referral_id
            else:
                own = True
        return own, invitation

    def open_invitation(self, session: Session, phone_number: str) -> Referral | None:
        """The invitation of this phone that no business has claimed yet (at most one)."""
        return session.scalar(select(Referral).where(
            Referral.business_id.is_(None), Referral.referred_phone_number == phone_number
        ))

    def has_any(self, session: Session, phone_number: str) -> bool:
        """Whether this phone has a referral anywhere (an invitation or a shop's)."""
        return session.scalar(select(Referral.id).where(
            Referral.referred_phone_number == phone_number).limit(1)) is not None

    def try_insert(self, session: Session, referral: Referral) -> bool:
        """Insert ``referral``; False when its phone has been referred meanwhile (by the
        same business, or as an open invitation)."""
        try:
            with session.begin_nested():
                session.add(referral)
                session.flush()
        except IntegrityError:
            return False
        return True

    def claim(
        self, session: Session, referral_id: int, *, business_id: int, code: str | None,
        now: datetime, first_purchase_at: datetime | None,
    ) -> bool:
        """Give a business an invitation no business has claimed; False if one has, or if
        the business has a referral of that phone meanwhile (nothing changes then)."""
        try:
            with session.begin_nested():
                result = session.execute(
                    update(Referral)
                    .where(Referral.id == referral_id, Referral.business_id.is_(None),
                           Referral.status == PENDING)
                    .values(business_id=business_id, tracked_at=now,
                            first_purchase_at=first_purchase_at,
                            referral_code_used=func.coalesce(Referral.referral_code_used,
                                                             code))
                    .execution_options(synchronize_session=False)
                )
        except IntegrityError:
            return False
        return rowcount(result) == 1

    def note_purchase(
        self, session: Session, business_id: int, phone_number: str, at: datetime
    ) -> None:
        """Record ``at`` as the friend's first purchase on ``business_id``'s referral of
        ``phone_number``, unless an earlier one is known (events may come out of order)."""
        # b_…: an UPDATE keeps its columns' own names for the values it sets.
        session.execute(_NOTE_PURCHASE, {
            "b_business_id": business_id, "b_phone_number": phone_number, "b_at": at})

    def mark_completed(
        self, session: Session, referral_id: int, *, business_id: int, points: int,
        transaction_id: int, now: datetime,
    ) -> bool:
        """Complete a pending referral of ``business_id``; False if it is not pending any more.

        The ``status = 'pending'`` condition makes this the single point where a referral
        becomes completed: of two requests racing here, exactly one changes the row.
        """
        result = session.execute(
            update(Referral)
            .where(Referral.id == referral_id, Referral.business_id == business_id,
                   Referral.status == PENDING)
            .values(status=COMPLETED, points_awarded=points,
                    loyalty_transaction_id=transaction_id, completed_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    def page_for_business(
        self, session: Session, business_id: int, *, status: str | None, limit: int,
        offset: int,
    ) -> tuple[list[Referral], int]:
        """A business's referrals, newest tracked first, and their total count."""
        conditions = [Referral.business_id == business_id]
        if status is not None:
            conditions.append(Referral.status == status)
        total = session.scalar(select(func.count()).select_from(Referral).where(*conditions))
        rows = session.scalars(
            select(Referral)
            .where(*conditions)
            .order_by(Referral.tracked_at.desc(), Referral.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(rows), int(total or 0)


referral_repository = ReferralRepository()

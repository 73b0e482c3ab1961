"""SQL for ``referral``. Status changes are conditional UPDATEs that say whether they won."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.common.sql import rowcount
from mubayiro.referrals.models import COMPLETED, PENDING, Referral


class ReferralRepository:
    """Reads and writes referrals."""

    def get(self, session: Session, referral_id: int) -> Referral | None:
        """The referral with this id, as the database has it now."""
        return session.get(Referral, referral_id, populate_existing=True)

    def by_referred_phone(self, session: Session, phone_number: str) -> Referral | None:
        """The referral of this referred phone number (there is at most one)."""
        return session.scalar(
            select(Referral).where(Referral.referred_phone_number == phone_number)
        )

    def try_insert(self, session: Session, referral: Referral) -> bool:
        """Insert ``referral``; False when its phone has been referred meanwhile."""
        try:
            with session.begin_nested():
                session.add(referral)
                session.flush()
        except IntegrityError:
            return False
        return True

    def claim(
        self, session: Session, referral_id: int, *, business_id: int, code: str | None,
        now: datetime,
    ) -> bool:
        """Give a business an invitation no business has tracked; False if one has."""
        result = session.execute(
            update(Referral)
            .where(Referral.id == referral_id, Referral.business_id.is_(None),
                   Referral.status == PENDING)
            .values(business_id=business_id, tracked_at=now,
                    referral_code_used=func.coalesce(Referral.referral_code_used, code))
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

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

"""SQL for redemption codes (``redemption_code``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from mubayiro.loyalty.models import RedemptionCode


class RedemptionCodeRepository:
    """Reads and writes ``redemption_code`` rows."""

    def request_times(
        self, session: Session, business_id: int, phone_number: str, *, since: datetime
    ) -> list[datetime]:
        """When the business asked for this phone's codes since ``since``, oldest first."""
        return list(session.scalars(
            select(RedemptionCode.created_at)
            .where(RedemptionCode.business_id == business_id,
                   RedemptionCode.phone_number == phone_number,
                   RedemptionCode.created_at > since)
            .order_by(RedemptionCode.created_at)
        ))

    def expire_live(
        self, session: Session, business_id: int, phone_number: str, *, now: datetime
    ) -> None:
        """End every code of the business for this phone that is still valid."""
        session.execute(
            update(RedemptionCode)
            .where(RedemptionCode.business_id == business_id,
                   RedemptionCode.phone_number == phone_number,
                   RedemptionCode.expires_at > now)
            .values(expires_at=now)
            .execution_options(synchronize_session=False)
        )

    def add(self, session: Session, code: RedemptionCode) -> RedemptionCode:
        """Insert a code row."""
        session.add(code)
        session.flush()
        return code

    def latest_locked(
        self, session: Session, business_id: int, phone_number: str
    ) -> RedemptionCode | None:
        """The business's newest code for this phone, locked until the transaction ends.

        ``SELECT … FOR UPDATE`` on PostgreSQL, so concurrent guesses take turns and
        cannot together spend more tries than allowed; on SQLite the write transaction
        (``BEGIN IMMEDIATE``) already serialises them.
        """
        return session.scalar(
            select(RedemptionCode)
            .where(RedemptionCode.business_id == business_id,
                   RedemptionCode.phone_number == phone_number)
            .order_by(RedemptionCode.id.desc())
            .limit(1)
            .with_for_update()
        )

    def count_wrong_try(self, session: Session, code: RedemptionCode) -> None:
        """Spend one of the code's tries."""
        code.attempts = code.attempts + 1
        session.flush()

    def confirm(self, session: Session, code: RedemptionCode, now: datetime) -> bool:
        """Mark that the customer gave the right code; True the first time."""
        if code.confirmed_at is not None:
            return False
        code.confirmed_at = now
        session.flush()
        return True

    def was_given(self, session: Session, business_id: int, phone_number: str) -> bool:
        """Whether this phone ever gave the business a right code."""
        query = select(RedemptionCode.id).where(
            RedemptionCode.business_id == business_id,
            RedemptionCode.phone_number == phone_number,
            RedemptionCode.confirmed_at.is_not(None),
        )
        return session.execute(select(exists(query))).scalar_one()


redemption_code_repository = RedemptionCodeRepository()

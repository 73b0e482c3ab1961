"""SQL for ``referral_code``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.referrals.models import ReferralCode


class CodeRepository:
    """Reads and writes customers' referral codes."""

    def code_of(self, session: Session, phone_number: str) -> str | None:
        """The code of ``phone_number``, if it has one."""
        return session.scalar(
            select(ReferralCode.code).where(ReferralCode.phone_number == phone_number)
        )

    def owner_of(self, session: Session, code: str) -> str | None:
        """The phone number whose code is ``code``, if any."""
        return session.scalar(select(ReferralCode.phone_number).where(ReferralCode.code == code))

    def try_insert(self, session: Session, phone_number: str, code: str, now: datetime) -> bool:
        """Give ``phone_number`` the ``code``; False when either is taken (nothing written)."""
        try:
            with session.begin_nested():
                session.execute(
                    insert(ReferralCode).values(phone_number=phone_number, code=code,
                                                created_at=now)
                )
        except IntegrityError:
            return False
        return True


code_repository = CodeRepository()

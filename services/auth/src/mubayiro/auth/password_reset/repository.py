"""The only place the password reset module builds SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from mubayiro.auth.models import PasswordResetToken
from mubayiro.common.sql import rowcount


def add(session: Session, token: PasswordResetToken) -> PasswordResetToken:
    """Insert ``token`` (flushes)."""
    session.add(token)
    session.flush()
    return token


def get_by_hash(session: Session, token_hash: str) -> PasswordResetToken | None:
    """The reset token with this hash, if any."""
    return session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash)
    ).first()


def count_since(session: Session, staff_id: int, since: datetime) -> int:
    """How many reset links the member was sent since ``since``."""
    return int(session.scalar(
        select(func.count()).select_from(PasswordResetToken).where(
            PasswordResetToken.staff_id == staff_id, PasswordResetToken.created_at >= since
        )
    ) or 0)


def spend(session: Session, token_id: int, *, now: datetime) -> bool:
    """Mark the token used if nobody did first (the conditional UPDATE is what makes a
    link work once even when it is submitted twice at the same moment)."""
    result = session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == token_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def spend_for_staff(session: Session, staff_id: int, *, now: datetime) -> None:
    """Mark every unused link of the member used (after a reset, or their removal)."""
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.staff_id == staff_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )


def delete_older_than(session: Session, staff_id: int, before: datetime) -> None:
    """Forget the member's links created before ``before`` (housekeeping)."""
    session.execute(
        delete(PasswordResetToken)
        .where(PasswordResetToken.staff_id == staff_id, PasswordResetToken.created_at < before)
        .execution_options(synchronize_session=False)
    )

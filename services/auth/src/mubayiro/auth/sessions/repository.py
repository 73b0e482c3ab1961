"""The only place the sessions module builds SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from mubayiro.auth.models import RefreshToken, Staff
from mubayiro.common.sql import rowcount


def get_by_hash(session: Session, token_hash: str) -> RefreshToken | None:
    """The refresh token with this hash, if any."""
    return session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    ).first()


def add(session: Session, token: RefreshToken) -> RefreshToken:
    """Insert ``token`` (flushes)."""
    session.add(token)
    session.flush()
    return token


def mark_used(session: Session, token_id: int, *, now: datetime) -> bool:
    """Mark the token exchanged, if it still was usable; False when another request
    exchanged or revoked it first (the conditional UPDATE is the guard against two
    concurrent refreshes with one token both getting a new pair)."""
    result = session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None),
               RefreshToken.revoked_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def revoke_family(session: Session, family_id: str, *, now: datetime) -> None:
    """Revoke every token of the session ``family_id`` not revoked yet."""
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def revoke_for_staff(session: Session, staff_ids: Sequence[int], *, now: datetime) -> None:
    """Revoke every live token of these members (all their sessions end)."""
    if not staff_ids:
        return
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.staff_id.in_(staff_ids), RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def revoke_for_business(session: Session, business_id: int, *, now: datetime) -> None:
    """Revoke every live token of the business's members."""
    members = select(Staff.id).where(Staff.business_id == business_id).scalar_subquery()
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.staff_id.in_(members), RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def delete_expired(session: Session, staff_id: int, *, before: datetime) -> None:
    """Forget the member's tokens whose session ended before ``before`` (housekeeping:
    an ended session's tokens are worth nothing, and reuse detection needs only the
    tokens of sessions that could still be live)."""
    session.execute(
        delete(RefreshToken)
        .where(RefreshToken.staff_id == staff_id, RefreshToken.expires_at < before)
        .execution_options(synchronize_session=False)
    )

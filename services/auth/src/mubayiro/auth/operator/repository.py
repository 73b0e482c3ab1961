"""The only place the operator module builds SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mubayiro.auth.models import Business


def get_for_update(session: Session, business_id: int) -> Business | None:
    """The business, its row locked (PostgreSQL) until the transaction ends."""
    return session.scalars(
        select(Business).where(Business.id == business_id).with_for_update()
    ).first()


def list_by_status(
    session: Session, status: str | None, *, limit: int, offset: int
) -> Sequence[Business]:
    """Businesses (with ``status`` only, when given), oldest first."""
    statement = select(Business).order_by(Business.id).limit(limit).offset(offset)
    if status is not None:
        statement = statement.where(Business.status == status)
    return session.scalars(statement).all()

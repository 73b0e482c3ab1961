"""The only place the businesses module builds SQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mubayiro.auth.models import Business


def get(session: Session, business_id: int) -> Business | None:
    """The business with ``business_id``, if any."""
    return session.get(Business, business_id)


def get_by_email(session: Session, email: str) -> Business | None:
    """The business with this (already lowercased) email, if any."""
    return session.scalars(select(Business).where(Business.email == email)).first()


def get_by_name_key(session: Session, name_key: str) -> Business | None:
    """The business whose name is ``name_key`` (see ``models.business_name_key``), if any."""
    return session.scalars(select(Business).where(Business.name_key == name_key)).first()


def add(session: Session, business: Business) -> Business:
    """Insert ``business`` and assign its id (flushes; the caller commits)."""
    session.add(business)
    session.flush()
    return business

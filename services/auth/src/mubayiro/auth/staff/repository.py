"""The only place the staff module builds SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mubayiro.auth.models import Business, Staff


def get_active(session: Session, staff_id: int) -> Staff | None:
    """The member with ``staff_id`` unless removed."""
    return session.scalars(
        select(Staff).where(Staff.id == staff_id, Staff.removed_at.is_(None))
    ).first()


def get_active_by_email(session: Session, email: str) -> Staff | None:
    """The member (not removed) who signs in with this (lowercased) email, if any."""
    return session.scalars(
        select(Staff).where(Staff.email == email, Staff.removed_at.is_(None))
    ).first()


def list_active(session: Session, business_id: int) -> Sequence[Staff]:
    """The business's members who are not removed, oldest first."""
    return session.scalars(
        select(Staff)
        .where(Staff.business_id == business_id, Staff.removed_at.is_(None))
        .order_by(Staff.id)
    ).all()


def list_all(session: Session, business_id: int) -> Sequence[Staff]:
    """Every member the business ever had, removed ones too, oldest first."""
    return session.scalars(
        select(Staff).where(Staff.business_id == business_id).order_by(Staff.id)
    ).all()


def count_active_owners(session: Session, business_id: int) -> int:
    """How many owners (not removed) the business has."""
    return int(session.scalar(
        select(func.count()).select_from(Staff).where(
            Staff.business_id == business_id, Staff.role == "owner",
            Staff.removed_at.is_(None),
        )
    ) or 0)


def lock_business(session: Session, business_id: int) -> None:
    """Take the business's row lock (PostgreSQL), so two owners' staff changes at one
    business run one after the other. On SQLite ``BEGIN IMMEDIATE`` already serialises
    every write transaction."""
    session.execute(select(Business.id).where(Business.id == business_id).with_for_update())


def add(session: Session, member: Staff) -> Staff:
    """Insert ``member`` and assign its id (flushes; the caller commits)."""
    session.add(member)
    session.flush()
    return member

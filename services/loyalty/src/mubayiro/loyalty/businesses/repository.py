"""SQL for loyalty programs (the ``business`` table)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.sql import dialect_insert
from mubayiro.loyalty.models import ACTIVE, Business

# Every award and redemption reads its program: built once (mubayiro.common.sql), where
# Session.get built its SELECT and that SELECT's cache key again each time (about 90 µs).
_BY_ID = select(Business).where(Business.id == bindparam("business_id"))


class BusinessRepository:
    """Reads and writes ``business`` rows."""

    def get(self, session: Session, business_id: int) -> Business | None:
        """The business with ``business_id``, or None."""
        return session.execute(_BY_ID, {"business_id": business_id}).scalar_one_or_none()

    def exists(self, session: Session, business_id: int) -> bool:
        """True when a business with ``business_id`` is known locally."""
        found = session.scalar(select(Business.id).where(Business.id == business_id))
        return found is not None

    def search(self, session: Session, *, q: str | None, limit: int, offset: int) -> list[Business]:
        """Businesses whose name contains ``q`` (any case), by name then id."""
        query = select(Business)
        if q:
            # autoescape: a "%" or "_" typed by a user is a literal, not a wildcard.
            query = query.where(Business.name.icontains(q, autoescape=True))
        query = query.order_by(func.lower(Business.name), Business.id).limit(limit).offset(offset)
        return list(session.scalars(query))

    def insert_if_absent(
        self, session: Session, *, business_id: int, name: str, loyalty_rate: Decimal,
        status: str,
    ) -> None:
        """Insert the business unless a row with its id exists (then change nothing)."""
        now = utcnow()
        stmt = dialect_insert(session, Business).values(
            id=business_id, name=name, loyalty_rate=loyalty_rate, status=status, status_at=now,
            created_at=now, updated_at=now,
        )
        session.execute(stmt.on_conflict_do_nothing(index_elements=[Business.id]))

    def upsert_copy(
        self,
        session: Session,
        *,
        business_id: int,
        name: str,
        default_rate: Decimal,
        registration_rate: Decimal | None,
        status: str | None,
        status_at: datetime,
    ) -> None:
        """Insert the business, or refresh the name of the existing row, in one statement.

        A new row gets ``registration_rate`` (or ``default_rate``). An existing row gets
        ``registration_rate`` only while the business has never set a rate itself
        (``loyalty_rate_set_at IS NULL``); otherwise its rate is left alone. ``status``
        (None: keep the row's, or ``active`` for a new row) replaces the row's only when
        ``status_at`` is not older than the status it has, so an event redelivered late
        cannot undo a newer approval or suspension. One statement, so a concurrent
        insert (the read-your-writes fallback) cannot make it fail.
        """
        now = utcnow()
        stmt = dialect_insert(session, Business).values(
            id=business_id,
            name=name,
            loyalty_rate=registration_rate if registration_rate is not None else default_rate,
            status=status or ACTIVE,
            status_at=status_at if status is not None else None,
            created_at=now,
            updated_at=now,
        )
        changes: dict[str, Any] = {"name": stmt.excluded.name, "updated_at": now}
        if status is not None:
            newer = or_(Business.status_at.is_(None), Business.status_at <= status_at)
            changes["status"] = case((newer, stmt.excluded.status), else_=Business.status)
            changes["status_at"] = case((newer, stmt.excluded.status_at),
                                        else_=Business.status_at)
        if registration_rate is not None:
            changes["loyalty_rate"] = case(
                (Business.loyalty_rate_set_at.is_(None), stmt.excluded.loyalty_rate),
                else_=Business.loyalty_rate,
            )
        session.execute(stmt.on_conflict_do_update(index_elements=[Business.id], set_=changes))

    def set_rate(self, session: Session, business: Business, rate: Decimal) -> None:
        """Change a program's loyalty rate as its business asked (``updated_at`` follows)."""
        business.loyalty_rate = rate
        business.loyalty_rate_set_at = utcnow()
        session.flush()

    def set_expiry(self, session: Session, business: Business, days: int | None) -> None:
        """Set how many days points earned from now on last (None: forever)."""
        business.points_expire_after_days = days
        session.flush()

    def set_award_limits(
        self, session: Session, business: Business, *, per_transaction: int | None,
        per_day: int | None,
    ) -> None:
        """Store the operator's award limits (None: back to the settings' default)."""
        business.award_limit_per_transaction = per_transaction
        business.award_limit_per_day = per_day
        session.flush()


business_repository = BusinessRepository()

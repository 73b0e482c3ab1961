"""The only place the one-time-code module builds SQL.

The verify path never reads a counter and writes it back: :func:`count_attempt` and
:func:`consume` are conditional UPDATEs whose WHERE clause is the rule, and their row
count says whether the rule held. Two concurrent verifies of one code are serialised
by the row (PostgreSQL re-checks the WHERE after the first commits; SQLite's
``BEGIN IMMEDIATE`` runs them one after the other), so no more than ``max_attempts``
guesses are ever compared and a code is consumed once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from mubayiro.auth.models import CLIENT_ADDRESS_LENGTH, CustomerOtp
from mubayiro.common.sql import rowcount


def lock_phone(session: Session, phone_number: str) -> None:
    """Serialise code requests for one phone until the transaction ends.

    On PostgreSQL a transaction-scoped advisory lock keyed by the phone: the rate limit
    counts rows and then inserts one, and two concurrent requests must not both see
    "2 so far". On SQLite the write transaction (``BEGIN IMMEDIATE``) already holds the
    database's single write lock, so nothing more is needed.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"customer_otp:{phone_number}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def delete_created_by(session: Session, phone_number: str, cutoff: datetime) -> None:
    """Forget the phone's codes created at or before ``cutoff``."""
    session.execute(
        delete(CustomerOtp).where(
            CustomerOtp.phone_number == phone_number, CustomerOtp.created_at <= cutoff
        )
    )


def request_times(
    session: Session, phone_number: str, client_address: str, *, since: datetime
) -> list[datetime]:
    """When the phone's codes created after ``since`` were requested from
    ``client_address``, oldest first."""
    query = (
        select(CustomerOtp.created_at)
        .where(
            CustomerOtp.phone_number == phone_number,
            CustomerOtp.requested_from == client_address[:CLIENT_ADDRESS_LENGTH],
            CustomerOtp.created_at > since,
        )
        .order_by(CustomerOtp.created_at, CustomerOtp.id)
    )
    return list(session.scalars(query))


def add(session: Session, otp: CustomerOtp) -> CustomerOtp:
    """Insert ``otp`` (flushes; the caller commits)."""
    session.add(otp)
    session.flush()
    return otp


def latest(session: Session, phone_number: str) -> CustomerOtp | None:
    """The phone's newest code: the only one that can still be accepted."""
    query = (
        select(CustomerOtp)
        .where(CustomerOtp.phone_number == phone_number)
        .order_by(CustomerOtp.created_at.desc(), CustomerOtp.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def count_attempt(session: Session, otp_id: int, *, now: datetime, max_attempts: int) -> bool:
    """Spend one try on the code; False when it is used, expired, or out of tries."""
    result = session.execute(
        update(CustomerOtp)
        .where(
            CustomerOtp.id == otp_id,
            CustomerOtp.consumed_at.is_(None),
            CustomerOtp.expires_at > now,
            CustomerOtp.attempts < max_attempts,
        )
        .values(attempts=CustomerOtp.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(rowcount(result))


def consume(session: Session, otp_id: int, *, now: datetime) -> bool:
    """Mark the code used; False when another verify used it first."""
    result = session.execute(
        update(CustomerOtp)
        .where(CustomerOtp.id == otp_id, CustomerOtp.consumed_at.is_(None))
        .values(consumed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(rowcount(result))


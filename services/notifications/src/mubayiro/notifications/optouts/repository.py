"""The only place that builds SQL for ``sms_opt_out``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.common.sql import rowcount
from mubayiro.notifications.models import SmsOptOut

# Every text checks it before it is stored: built once (mubayiro.common.sql).
_EXISTS = select(SmsOptOut.phone_number).where(SmsOptOut.phone_number == bindparam("phone_number"))


class OptOutRepository:
    """Reads and writes ``sms_opt_out`` rows."""

    def exists(self, session: Session, phone_number: str) -> bool:
        """True when ``phone_number`` (E.164) has opted out."""
        return session.scalar(_EXISTS, {"phone_number": phone_number}) is not None

    def add(self, session: Session, phone_number: str, *, now: datetime) -> bool:
        """Record the opt-out; False when it was already recorded (left unchanged)."""
        try:
            # A savepoint: on PostgreSQL two STOPs at once meet on the primary key, and
            # the loser's transaction must stay usable.
            with session.begin_nested():
                session.execute(
                    insert(SmsOptOut).values(phone_number=phone_number, opted_out_at=now)
                )
        except IntegrityError:
            return False
        return True

    def remove(self, session: Session, phone_number: str) -> bool:
        """Delete the opt-out; False when there was none."""
        result = session.execute(
            delete(SmsOptOut)
            .where(SmsOptOut.phone_number == phone_number)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))


optout_repository = OptOutRepository()

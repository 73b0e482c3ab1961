"""SQL for ``sms_message`` beyond the queue mechanics.

Claiming, recording outcomes and the dead-letter operations are the shared
:class:`~mubayiro.common.queue.WorkQueue` ones (``models.sms_queue``); what is
particular to SMS — storing one, the development outbox listing, the send-time opt-out
check — is here. The opt-out check is conditional on the claim token, so a sender only
ever changes rows it still holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.notifications.models import SMS_SKIPPED, SmsMessage, SmsOptOut


class SmsRepository:
    """Reads and writes ``sms_message`` rows."""

    def add(
        self,
        session: Session,
        *,
        to_number: str,
        body: str,
        kind: str,
        essential: bool,
        status: str,
        provider: str,
        event_id: str | None,
        now: datetime,
    ) -> int | None:
        """Insert a message (``queued`` ones are due now); return its id, or None if
        this ``(event_id, kind)`` was stored before (the unique constraint said so).
        """
        try:
            # A savepoint, so that a duplicate leaves the caller's transaction usable.
            with session.begin_nested():
                return session.execute(
                    insert(SmsMessage)
                    .values(
                        to_number=to_number, body=body, kind=kind, essential=essential,
                        status=status, provider=provider, attempts=0, next_attempt_at=now,
                        event_id=event_id, created_at=now,
                    )
                    .returning(SmsMessage.id)
                ).scalar_one()
        except IntegrityError:
            if event_id is None:
                raise
            return None

    def list_recent(
        self, session: Session, *, to_number: str | None, limit: int
    ) -> Sequence[SmsMessage]:
        """Messages newest first, optionally only those to ``to_number``."""
        query = select(SmsMessage).order_by(SmsMessage.created_at.desc(), SmsMessage.id.desc())
        if to_number is not None:
            query = query.where(SmsMessage.to_number == to_number)
        return session.scalars(query.limit(limit)).all()

    def skip_opted_out(self, session: Session, *, claim: str) -> list[int]:
        """Mark ``skipped`` the non-essential messages of this claim whose recipient has
        opted out since they were queued; return their ids (they must not be sent).
        """
        ids = list(
            session.scalars(
                select(SmsMessage.id).where(
                    SmsMessage.claim == claim,
                    SmsMessage.essential.is_(False),
                    SmsMessage.to_number.in_(select(SmsOptOut.phone_number)),
                )
            )
        )
        if ids:
            session.execute(
                update(SmsMessage)
                .where(SmsMessage.id.in_(ids), SmsMessage.claim == claim)
                .values(status=SMS_SKIPPED, claim=None)
                .execution_options(synchronize_session=False)
            )
        return ids


sms_repository = SmsRepository()

"""The only place that builds SQL for ``sms_message``.

The sender's statements (claim, skip, mark sent, reschedule, fail, release) are
conditional on the claim token, so a sender only ever changes rows it still holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.notifications.models import (
    SMS_FAILED,
    SMS_QUEUED,
    SMS_SENT,
    SMS_SKIPPED,
    SmsMessage,
    SmsOptOut,
)


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

    def claim_due(
        self, session: Session, *, claim: str, now: datetime, lease_until: datetime, limit: int
    ) -> Sequence[SmsMessage]:
        """Lease up to ``limit`` queued messages that are due; return those this claim won.

        The UPDATE repeats the "queued and due" test, so when two senders pick the same
        ids only the first UPDATE matches; the other finds nothing with its claim.
        """
        ids = list(
            session.scalars(
                select(SmsMessage.id)
                .where(SmsMessage.status == SMS_QUEUED, SmsMessage.next_attempt_at <= now)
                .order_by(SmsMessage.next_attempt_at, SmsMessage.id)
                .limit(limit)
            )
        )
        if not ids:
            return []
        session.execute(
            update(SmsMessage)
            .where(
                SmsMessage.id.in_(ids),
                SmsMessage.status == SMS_QUEUED,
                SmsMessage.next_attempt_at <= now,
            )
            .values(claim=claim, next_attempt_at=lease_until)
            .execution_options(synchronize_session=False)
        )
        return session.scalars(
            select(SmsMessage).where(SmsMessage.claim == claim).order_by(SmsMessage.id)
        ).all()

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

    def _update_claimed(
        self, session: Session, message_id: int, claim: str, **values: object
    ) -> bool:
        result = session.execute(
            update(SmsMessage)
            .where(SmsMessage.id == message_id, SmsMessage.claim == claim)
            .values(claim=None, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def mark_sent(
        self, session: Session, message_id: int, claim: str, *,
        provider: str, provider_message_id: str, attempts: int, now: datetime,
        body: str | None = None,
    ) -> bool:
        """Record a successful send (replacing the stored text when ``body`` is given);
        False if the claim was lost meanwhile."""
        replaced = {} if body is None else {"body": body}
        return self._update_claimed(
            session, message_id, claim, status=SMS_SENT, provider=provider,
            provider_message_id=provider_message_id, attempts=attempts, sent_at=now,
            last_error=None, **replaced,
        )

    def reschedule(
        self, session: Session, message_id: int, claim: str, *,
        attempts: int, error: str, next_attempt_at: datetime,
    ) -> bool:
        """Record a temporary failure and when to try again; the message stays queued."""
        return self._update_claimed(
            session, message_id, claim, attempts=attempts, last_error=error,
            next_attempt_at=next_attempt_at,
        )

    def mark_failed(
        self, session: Session, message_id: int, claim: str, *, attempts: int, error: str,
    ) -> bool:
        """Record a permanent failure: the message will not be tried again."""
        return self._update_claimed(
            session, message_id, claim, status=SMS_FAILED, attempts=attempts, last_error=error,
        )

    def release(
        self, session: Session, message_ids: Sequence[int], claim: str, *, not_before: datetime,
    ) -> None:
        """Give claimed messages back untried, due again at ``not_before``."""
        if not message_ids:
            return
        session.execute(
            update(SmsMessage)
            .where(SmsMessage.id.in_(message_ids), SmsMessage.claim == claim)
            .values(claim=None, next_attempt_at=not_before)
            .execution_options(synchronize_session=False)
        )


sms_repository = SmsRepository()

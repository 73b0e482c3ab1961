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
from typing import Any, cast

from sqlalchemy import Table, bindparam, literal, select, update
from sqlalchemy.orm import Session

from mubayiro.common.sql import PerDialect, dialect_insert
from mubayiro.notifications.models import SMS_SKIPPED, SmsMessage, SmsOptOut

_messages = cast(Table, SmsMessage.__table__)


def _add_statement(dialect: str) -> Any:
    columns = ("to_number", "body", "kind", "essential", "status", "provider",
               "next_attempt_at", "event_id", "created_at")
    return (
        dialect_insert(dialect, _messages)
        .values(attempts=literal(0), **{name: bindparam(name) for name in columns})
        .on_conflict_do_nothing(index_elements=[_messages.c.event_id, _messages.c.kind])
        .returning(_messages.c.id)
    )


_ADD = PerDialect(_add_statement)


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

        One ``INSERT … ON CONFLICT (event_id, kind) DO NOTHING RETURNING id``, built once
        (every award's event stores one: ``mubayiro.common.sql``); no row back is the
        duplicate. A message without an event id never conflicts (NULLs are distinct).
        """
        stored = session.execute(_ADD.for_(session), {
            "to_number": to_number, "body": body, "kind": kind, "essential": essential,
            "status": status, "provider": provider, "next_attempt_at": now,
            "event_id": event_id, "created_at": now,
        }).first()
        return None if stored is None else int(stored[0])

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

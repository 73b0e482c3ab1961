"""The only place that builds SQL for ``inbound_message``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.notifications.models import InboundMessage


class InboundRepository:
    """Reads and writes ``inbound_message`` rows."""

    def reply_for(
        self, session: Session, *, provider: str, provider_message_id: str
    ) -> str | None:
        """The reply already given to this provider message, or None if it is new."""
        return session.scalar(
            select(InboundMessage.reply).where(
                InboundMessage.provider == provider,
                InboundMessage.provider_message_id == provider_message_id,
            )
        )

    def add(
        self,
        session: Session,
        *,
        provider: str,
        provider_message_id: str,
        from_number: str,
        body: str,
        reply: str,
        now: datetime,
    ) -> bool:
        """Record a received message and its reply; False if this provider message was
        recorded meanwhile (the unique constraint said so; nothing is written).
        """
        try:
            # A savepoint, so that a duplicate leaves the caller's transaction usable.
            with session.begin_nested():
                session.execute(
                    insert(InboundMessage).values(
                        provider=provider, provider_message_id=provider_message_id,
                        from_number=from_number, body=body, reply=reply, created_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True


inbound_repository = InboundRepository()

"""The notifications service's tables (one metadata, migrated by Alembic).

- ``sms_message`` — this service's own outbox of SMS. Event handlers and routes only
  *insert* queued rows (in their own transaction); the background
  :class:`~mubayiro.notifications.sms.sender.SmsSender` sends them and records the
  outcome. A row is never deleted, so it is also the record of what was sent.
- ``processed_event`` — ids of the events already handled (from ``libs/common``), which
  makes event processing exactly-once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mubayiro.common.db import UTCDateTime, make_metadata, utcnow
from mubayiro.common.events import processed_event_table

SMS_QUEUED: Final = "queued"
SMS_SENT: Final = "sent"
SMS_FAILED: Final = "failed"


class Base(DeclarativeBase):
    """Declarative base holding the service's one metadata."""

    metadata = make_metadata()


class SmsMessage(Base):
    """One SMS to one number: queued, then sent or (permanently) failed.

    ``next_attempt_at`` is when the sender may try it next; while a sender holds the
    row it is pushed into the future (the lease) and ``claim`` names that sender's
    round. ``(event_id, kind)`` is unique so one event never produces the same SMS twice.
    """

    __tablename__ = "sms_message"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sent', 'failed')", name="status"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        UniqueConstraint("event_id", "kind", name="uq_sms_message_event_id_kind"),
        # The sender's query: queued rows whose time has come.
        Index("ix_sms_message_due", "status", "next_attempt_at"),
        # The outbox listing: one number's messages, newest first.
        Index("ix_sms_message_to_number_created_at", "to_number", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    to_number: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=SMS_QUEUED)
    provider: Mapped[str] = mapped_column(String(32))
    provider_message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    claim: Mapped[str | None] = mapped_column(String(36), default=None)
    event_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


processed_event = processed_event_table(Base.metadata)

"""The notifications service's tables (one metadata, migrated by Alembic).

- ``sms_message`` — this service's own outbox of SMS. Event handlers and routes only
  *insert* rows (in their own transaction); the background
  :class:`~mubayiro.notifications.sms.sender.SmsSender` sends them and records the
  outcome. A row is never deleted, so it is also the record of what was sent — and of
  what was *not* sent because the customer had opted out (``skipped``).
- ``sms_opt_out`` — phone numbers that replied STOP: no non-essential SMS for them
  until they reply START. Essential SMS (sign-in codes) ignore it.
- ``inbound_message`` — SMS received from customers and the reply each got, unique per
  provider message id, so a webhook delivered twice is answered once.
- ``processed_event`` — ids of the events already handled (from ``libs/common``), which
  makes event processing exactly-once.
- ``idempotency_record`` — ``Idempotency-Key`` records of ``POST /internal/sms``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mubayiro.common.db import UTCDateTime, make_metadata, utcnow
from mubayiro.common.events import processed_event_table
from mubayiro.common.idempotency import idempotency_table
from mubayiro.common.queue import WorkQueue

SMS_QUEUED: Final = "queued"
SMS_SENT: Final = "sent"
SMS_FAILED: Final = "failed"
#: Not sent because the recipient had opted out of non-essential SMS (decided when
#: queued, or again by the sender just before sending).
SMS_SKIPPED: Final = "skipped"
#: A failed SMS an operator gave up on (``python -m mubayiro.notifications outbox discard``).
SMS_DISCARDED: Final = "discarded"
SMS_STATUSES = (SMS_QUEUED, SMS_SENT, SMS_FAILED, SMS_SKIPPED, SMS_DISCARDED)


class Base(DeclarativeBase):
    """Declarative base holding the service's one metadata."""

    metadata = make_metadata()


class SmsMessage(Base):
    """One SMS to one number: queued, then sent or (permanently) failed; or skipped.

    A ``failed`` SMS (the provider refused it) is this service's dead letter: parked at
    ``parked_at`` with the reason in ``last_error``, listed by
    ``python -m mubayiro.notifications outbox list``, then retried or ``discarded``.

    ``essential`` SMS (sign-in codes) go out even to a number that opted out; any other
    SMS to an opted-out number is stored as ``skipped`` instead of being sent.
    ``next_attempt_at`` is when the sender may try it next; while a sender holds the
    row it is pushed into the future (the lease) and ``claim`` names that sender's
    round. ``(event_id, kind)`` is unique so one event never produces the same SMS twice.
    """

    __tablename__ = "sms_message"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in SMS_STATUSES) + ")", name="status"
        ),
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
    essential: Mapped[bool] = mapped_column(Boolean, default=False)
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
    parked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class SmsOptOut(Base):
    """A phone number that opted out of non-essential SMS (replied STOP).

    The row exists while the opt-out holds; START deletes it. ``opted_out_at`` is the
    first STOP of the current opt-out (a second STOP does not move it).
    """

    __tablename__ = "sms_opt_out"

    phone_number: Mapped[str] = mapped_column(String(16), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InboundMessage(Base):
    """One SMS received from a customer (through any provider) and the reply it got.

    ``(provider, provider_message_id)`` is unique: the provider's id for the message
    (Twilio's ``MessageSid``) is the same on every delivery of it, so a redelivery finds
    this row and gets ``reply`` again without the command being run twice.
    """

    __tablename__ = "inbound_message"
    __table_args__ = (
        UniqueConstraint(
            "provider", "provider_message_id", name="uq_inbound_message_provider_message_id"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(32))
    provider_message_id: Mapped[str] = mapped_column(String(64))
    from_number: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


processed_event = processed_event_table(Base.metadata)
idempotency_record = idempotency_table(Base.metadata)

#: ``sms_message`` as a work queue: the sender works through it; a refused SMS is parked
#: as ``failed`` (the operator CLI and ``/readyz`` read it through this).
sms_queue = WorkQueue(
    name="sms",
    table=Base.metadata.tables[SmsMessage.__tablename__],
    pending=SMS_QUEUED,
    done=SMS_SENT,
    parked=SMS_FAILED,
    discarded=SMS_DISCARDED,
    summary=("kind", "to_number"),
)
#: The queues of work owed to others: what the operator CLI and ``/readyz`` look at.
QUEUES = (sms_queue,)

"""The referrals service's tables (one metadata, migrated by Alembic).

- ``referral`` — "``referrer`` brought ``referred`` to a shop". At most one per business
  and referred phone number (``UNIQUE (business_id, referred_phone_number)``): each shop
  runs its own referrals, and what one shop recorded never answers another shop's
  question (issue 11: a shop must not learn who was referred, or is a customer, at
  another). It starts ``pending`` and becomes ``completed`` once, when the business pays
  the referrer's bonus through loyalty; it then holds the points and loyalty's
  transaction id. ``business_id`` is null while the referral is only a customer's
  invitation (``POST /referrals/invite``) — at most one open invitation per phone (a
  partial unique index); the first shop where the friend buys (or that tracks them with
  the inviter) claims it. ``tracked_at`` is when a business recorded (or claimed) it;
  ``first_purchase_at`` when the friend first bought at that business (learnt from
  loyalty's ``points.earned``), which completing requires. ``business_id`` is auth's
  business id, kept without a foreign key: businesses live in auth, and this service
  never needs their names.
- ``shop_purchase`` — each (business, phone) that has bought at the business, with the
  first purchase seen (from ``points.earned``): what a referral tracked after the
  purchase takes its ``first_purchase_at`` from.
- ``referral_setting`` — a business's referral settings: the bonus its owner offers by
  default when completing a referral.
- ``referral_code`` — each inviting customer's short code (see ``codes``), one per phone.
  A friend gives it at the till and the business tracks with it instead of the referrer's
  phone number.
- ``invitation`` — the invitation SMS of a referral made by ``POST /referrals/invite``,
  and its delivery state: a local outbox of one SMS (see ``invitations.sender``), a
  work queue (``invitation_queue``) whose dead letters are the SMS notifications
  refused. It is also what the invite rate limit counts.
- ``outbox_message``, ``idempotency_record``, ``processed_event`` — the shared event
  outbox (for ``referral.completed``), ``Idempotency-Key`` records and the ids of the
  events consumed (``points.earned``), from ``libs/common``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mubayiro.common.db import UTCDateTime, make_metadata, utcnow
from mubayiro.common.events import outbox_queue, outbox_table, processed_event_table
from mubayiro.common.idempotency import idempotency_table
from mubayiro.common.queue import WorkQueue
from mubayiro.common.ratelimit import rate_limit_table

PHONE_LENGTH = 16  # E.164: "+" and at most 15 digits
CODE_LENGTH = 6

PENDING: Final = "pending"
#: The rows that are open invitations: no business has them yet.
OPEN_INVITATION: Final = "business_id IS NULL"
COMPLETED: Final = "completed"

#: Delivery states of an invitation SMS: not yet taken by notifications (``pending``),
#: taken (``queued``), taken but not sent because the friend replied STOP (``skipped``),
#: refused by notifications (``failed``: a dead letter, parked until an operator retries
#: it) or given up by an operator (``discarded``).
SMS_PENDING: Final = "pending"
SMS_FAILED: Final = "failed"
SMS_STATUSES = ("pending", "queued", "skipped", "failed", "discarded")


class Base(DeclarativeBase):
    """Declarative base holding the service's one metadata (used by Alembic)."""

    metadata = make_metadata()


class Referral(Base):
    """One referrer → referred pair, pending until its bonus is paid (see module doc)."""

    __tablename__ = "referral"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'completed')", name="status"),
        CheckConstraint("referrer_phone_number <> referred_phone_number", name="not_self"),
        CheckConstraint("points_awarded IS NULL OR points_awarded > 0", name="points_positive"),
        # A completed referral carries everything its award produced; a pending one none.
        CheckConstraint(
            "(status = 'pending' AND points_awarded IS NULL"
            " AND loyalty_transaction_id IS NULL AND completed_at IS NULL)"
            " OR (status = 'completed' AND business_id IS NOT NULL"
            " AND points_awarded IS NOT NULL AND loyalty_transaction_id IS NOT NULL"
            " AND completed_at IS NOT NULL)",
            name="completion_consistent",
        ),
        # A business's list, newest first (read backwards).
        Index("ix_referral_business_id_tracked_at", "business_id", "tracked_at"),
        # One referral per shop and new customer; shops never share the answer.
        UniqueConstraint("business_id", "referred_phone_number",
                         name="uq_referral_business_id_referred_phone_number"),
        # One open invitation (no business yet) per friend.
        Index("ix_referral_open_invitation", "referred_phone_number", unique=True,
              sqlite_where=text(OPEN_INVITATION), postgresql_where=text(OPEN_INVITATION)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int | None] = mapped_column(Integer)
    referrer_phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    referred_phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    referral_code_used: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    points_awarded: Mapped[int | None] = mapped_column(BigInteger)
    loyalty_transaction_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    tracked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the friend first bought at ``business_id`` (null: not yet, or not known yet).
    first_purchase_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ShopPurchase(Base):
    """A phone has bought at a business: its first purchase there that this service saw."""

    __tablename__ = "shop_purchase"

    business_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH), primary_key=True)
    first_purchase_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Loyalty's ledger row of that purchase.
    transaction_id: Mapped[int] = mapped_column(BigInteger)


class ReferralSetting(Base):
    """A business's referral settings (a business without a row has the defaults)."""

    __tablename__ = "referral_setting"
    __table_args__ = (
        CheckConstraint("default_bonus_points > 0", name="default_bonus_positive"),
    )

    business_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    default_bonus_points: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReferralCode(Base):
    """A customer's referral code (made at their first invitation, never changed)."""

    __tablename__ = "referral_code"

    phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH), primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Invitation(Base):
    """The invitation SMS of an invited referral, and where its delivery stands.

    ``sms_body`` is fixed when the invitation is made, so every retry asks notifications
    for exactly the same SMS under the same ``Idempotency-Key``. ``sms_next_attempt_at``
    and ``sms_claim`` are the sender's schedule and lease (see ``invitations.sender``).
    """

    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint(
            "sms_status IN (" + ", ".join(f"'{s}'" for s in SMS_STATUSES) + ")",
            name="sms_status",
        ),
        CheckConstraint("sms_attempts >= 0", name="sms_attempts_not_negative"),
        # The rate limit: one inviter's invitations in the last 24 hours.
        Index("ix_invitation_inviter_phone_number_created_at", "inviter_phone_number",
              "created_at"),
        # The sender's query: SMS not yet taken whose time has come.
        Index("ix_invitation_sms_due", "sms_status", "sms_next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), unique=True)
    inviter_phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    friend_phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    sms_body: Mapped[str] = mapped_column(Text)
    sms_status: Mapped[str] = mapped_column(String(16), default=SMS_PENDING)
    sms_attempts: Mapped[int] = mapped_column(Integer, default=0)
    sms_next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sms_last_error: Mapped[str | None] = mapped_column(Text)
    sms_claim: Mapped[str | None] = mapped_column(String(36))
    #: Notifications' id of the stored SMS, once it took it.
    sms_id: Mapped[int | None] = mapped_column(BigInteger)
    sms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sms_parked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


outbox = outbox_table(Base.metadata)
#: Abuse-limit counters (invitation attempts).
rate_limit = rate_limit_table(Base.metadata)
#: The queues of work owed to peers: what the operator CLI and ``/readyz`` look at.
invitation_queue = WorkQueue(
    name="invitations",
    table=Base.metadata.tables[Invitation.__tablename__],
    prefix="sms_",
    pending=SMS_PENDING,
    done="queued",
    parked=SMS_FAILED,
    summary=("referral_id", "friend_phone_number"),
)
QUEUES = (outbox_queue(outbox), invitation_queue)
idempotency_record = idempotency_table(Base.metadata)
processed_event = processed_event_table(Base.metadata)

"""The auth service's tables (one metadata, migrated by Alembic).

- ``business``: a business's identity (name, contact person, email) and its
  ``status`` (``pending`` until an operator approves it, ``active``, ``suspended``).
  Its loyalty program (the rate) is loyalty's, fed by the ``business.*`` events;
  auth keeps only the rate given at registration, to tell loyalty again when loyalty
  asks before the ``business.registered`` event arrived (``/internal/businesses/{id}``).
- ``staff``: the people who sign in for a business, each with their own email, password
  hash and role (``owner`` or ``cashier``). The person who registered the business is
  its first owner. A removed member keeps the row (``removed_at``), so the ids that
  ledgers elsewhere recorded still name someone.
- ``refresh_token``: the shift-long sessions of staff members, rotating (see
  :mod:`mubayiro.auth.sessions.service`), stored as SHA-256 hashes.
- ``password_reset_token``: single-use password reset links, stored as SHA-256 hashes.
- ``customer_otp``: one-time sign-in codes sent to customers' phones, stored as HMACs
  (see :mod:`mubayiro.auth.otp.codes`), never in plain text.
- ``outbox_message``: events waiting to be delivered (see :mod:`mubayiro.common.events`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mubayiro.common.db import UTCDateTime, make_metadata, utcnow
from mubayiro.common.events import outbox_queue, outbox_table
from mubayiro.common.ratelimit import rate_limit_table


class Base(DeclarativeBase):
    """Declarative base of every auth model."""

    metadata = make_metadata()


#: A business's states: only an ``active`` one may award, redeem or complete referrals
#: (loyalty and referrals enforce it from their copy, fed by the ``business.*`` events).
BUSINESS_STATUSES = ("pending", "active", "suspended")
#: What a staff member may do: an owner everything, a cashier the till's work.
STAFF_ROLES = ("owner", "cashier")
#: Longest client address kept (an IPv6 address is at most 45 characters).
CLIENT_ADDRESS_LENGTH = 64


def business_name_key(name: str) -> str:
    """What makes two business names the same: case and runs of spaces ignored
    (``"Joe's  Café"`` and ``"JOE'S CAFÉ"`` are one name; customers could not tell
    them apart in an SMS)."""
    return " ".join(name.casefold().split())


class Business(Base):
    """A business that signs in to the admin app.

    ``email`` is stored lowercased, so the unique constraint is case-insensitive. It is
    the business's contact address; the people who sign in are its :class:`Staff`.
    ``name_key`` (:func:`business_name_key`) is unique: no two businesses share a name.
    """

    __tablename__ = "business"
    # AUTOINCREMENT: an id is never reused, since other services keep business ids.
    __table_args__ = (
        Index("uq_business_name_key", "name_key", unique=True),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    # The server default only fills rows older than the column; the code always sets it.
    name_key: Mapped[str] = mapped_column(String(120), server_default="")
    contact_person: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    #: One of :data:`BUSINESS_STATUSES`; changed only by an operator.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    #: The program's first rate as given at sign-up (None: loyalty's default). Never
    #: changed: the rate itself is loyalty's, and a business changes it there.
    registration_loyalty_rate: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 4), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Staff(Base):
    """A person who signs in for a business: its owner(s) and cashiers.

    ``email`` is lowercased and unique among members not removed (a partial unique
    index), because the login finds the member by email alone. ``removed_at`` is set
    when an owner removes the member: the row stays, its sign-ins stop.
    """

    __tablename__ = "staff"
    __table_args__ = (
        Index(
            "uq_staff_email_active",
            "email",
            unique=True,
            sqlite_where=text("removed_at IS NULL"),
            postgresql_where=text("removed_at IS NULL"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: One of :data:`STAFF_ROLES`.
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RefreshToken(Base):
    """One refresh token of a sign-in session (a *family*: the login and its rotations).

    Only the SHA-256 of the token is stored. ``used_at`` is set when the token is
    exchanged for the next one; ``revoked_at`` when its family is ended (logout, reuse
    of a used token, the member removed, the business suspended, a password reset).
    Every token of a family shares its ``expires_at``: a session lasts one shift from
    the login, however often it is refreshed.
    """

    __tablename__ = "refresh_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PasswordResetToken(Base):
    """A password reset link's token (only its SHA-256 is stored), usable once."""

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CustomerOtp(Base):
    """A one-time code sent to a phone (``/auth/customer/otp/*``).

    Only the newest row of a phone is ever accepted: a new request supersedes the older
    codes without touching them. ``attempts`` counts verify tries on this code and is
    only ever raised by a conditional UPDATE (see :mod:`mubayiro.auth.otp.repository`);
    ``consumed_at`` is set once, by the successful verify.
    """

    __tablename__ = "customer_otp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: E.164, at most 15 digits after the ``+``.
    phone_number: Mapped[str] = mapped_column(String(16), index=True)
    #: Hex HMAC-SHA256 of phone and code under ``otp_secret``.
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: The client address that asked (the request limit counts per phone and address).
    requested_from: Mapped[str] = mapped_column(
        String(CLIENT_ADDRESS_LENGTH), default="", server_default=""
    )


outbox = outbox_table(Base.metadata)
#: Abuse-limit counters (:mod:`mubayiro.auth.limits`).
rate_limit = rate_limit_table(Base.metadata)
#: The queues of work owed to peers: what the operator CLI and ``/readyz`` look at.
QUEUES = (outbox_queue(outbox),)

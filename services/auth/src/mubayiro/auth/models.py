"""The auth service's tables (one metadata, migrated by Alembic).

- ``business``: a business's identity and login (name, contact person, email, password
  hash). Its loyalty program (the rate) is loyalty's, fed by the ``business.*`` events;
  auth keeps only the rate given at registration, to tell loyalty again when loyalty
  asks before the ``business.registered`` event arrived (``/internal/businesses/{id}``).
- ``customer_otp``: one-time sign-in codes sent to customers' phones, stored as HMACs
  (see :mod:`mubayiro.auth.otp.codes`), never in plain text.
- ``outbox_message``: events waiting to be delivered (see :mod:`mubayiro.common.events`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Integer, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mubayiro.common.db import UTCDateTime, make_metadata, utcnow
from mubayiro.common.events import outbox_queue, outbox_table


class Base(DeclarativeBase):
    """Declarative base of every auth model."""

    metadata = make_metadata()


class Business(Base):
    """A business that signs in to the admin app.

    ``email`` is stored lowercased, so the unique constraint is case-insensitive.
    """

    __tablename__ = "business"
    # AUTOINCREMENT: an id is never reused, since other services keep business ids.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    contact_person: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: The program's first rate as given at sign-up (None: loyalty's default). Never
    #: changed: the rate itself is loyalty's, and a business changes it there.
    registration_loyalty_rate: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 4), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


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


outbox = outbox_table(Base.metadata)
#: The queues of work owed to peers: what the operator CLI and ``/readyz`` look at.
QUEUES = (outbox_queue(outbox),)

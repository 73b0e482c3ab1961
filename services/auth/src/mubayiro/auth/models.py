"""The auth service's tables (one metadata, migrated by Alembic).

- ``business``: a business's identity and login (name, contact person, email, password
  hash). Its loyalty program (the rate) is loyalty's, fed by the ``business.*`` events.
- ``outbox_message``: events waiting to be delivered (see :mod:`mubayiro.common.events`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mubayiro.common.db import UTCDateTime, make_metadata, utcnow
from mubayiro.common.events import outbox_table


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


# Customer OTP codes (DESIGN.md: /auth/customer/otp/*) will get their table here.

outbox = outbox_table(Base.metadata)

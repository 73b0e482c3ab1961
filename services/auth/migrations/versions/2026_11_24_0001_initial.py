"""Initial schema: businesses and the event outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import create_outbox_table, drop_outbox_table

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    op.create_table(
        "business",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("contact_person", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business")),
        sa.UniqueConstraint("email", name=op.f("uq_business_email")),
        sqlite_autoincrement=True,
    )
    create_outbox_table(op)


def downgrade() -> None:
    drop_outbox_table(op)
    op.drop_table("business")

"""Initial schema: the fact table, its aggregates, and processed events.

``business_day`` and ``business_customer_day`` are WITHOUT ROWID on SQLite (clustered on
their primary key; see ``mubayiro.reports.models``).

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import create_processed_event_table

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    op.create_table(
        "report_transaction",
        sa.Column("transaction_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("amount_spent", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(type = 'earn' AND points >= 0) OR (type = 'redeem' AND points < 0)"
            " OR (type = 'referral_bonus' AND points > 0)",
            name=op.f("ck_report_transaction_points_sign"),
        ),
        sa.CheckConstraint(
            "source IN ('event', 'backfill')", name=op.f("ck_report_transaction_source_known")
        ),
        sa.CheckConstraint(
            "type IN ('earn', 'redeem', 'referral_bonus')",
            name=op.f("ck_report_transaction_type_known"),
        ),
        sa.PrimaryKeyConstraint("transaction_id", name=op.f("pk_report_transaction")),
    )
    op.create_table(
        "business_day",
        sa.Column("business_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("points_issued", sa.BigInteger(), nullable=False),
        sa.Column("bonus_points", sa.BigInteger(), nullable=False),
        sa.Column("points_redeemed", sa.BigInteger(), nullable=False),
        sa.Column("earn_count", sa.Integer(), nullable=False),
        sa.Column("bonus_count", sa.Integer(), nullable=False),
        sa.Column("redemption_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_id", "day", name=op.f("pk_business_day")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "business_customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("points_earned", sa.BigInteger(), nullable=False),
        sa.Column("points_redeemed", sa.BigInteger(), nullable=False),
        sa.Column("transaction_count", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_customer")),
        sa.UniqueConstraint(
            "business_id", "phone_number", name="uq_business_customer_business_id_phone_number"
        ),
    )
    op.create_index(
        "ix_business_customer_top",
        "business_customer",
        ["business_id", sa.literal_column("points_earned DESC"), "phone_number"],
        unique=False,
    )
    op.create_table(
        "business_customer_day",
        sa.Column("business_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("points_earned", sa.BigInteger(), nullable=False),
        sa.Column("points_redeemed", sa.BigInteger(), nullable=False),
        sa.Column("transaction_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["business_customer.id"],
            name=op.f("fk_business_customer_day_customer_id_business_customer"),
        ),
        sa.PrimaryKeyConstraint(
            "business_id", "day", "customer_id", name=op.f("pk_business_customer_day")
        ),
        sqlite_with_rowid=False,
    )
    create_processed_event_table(op)


def downgrade() -> None:
    op.drop_table("processed_event")
    op.drop_table("business_customer_day")
    op.drop_index("ix_business_customer_top", table_name="business_customer")
    op.drop_table("business_customer")
    op.drop_table("business_day")
    op.drop_table("report_transaction")

"""Initial schema: programs, customers, the ledger, outbox, processed events, idempotency.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import create_idempotency_table, create_outbox_table, create_processed_event_table, drop_outbox_table

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    op.create_table(
        "business",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("loyalty_rate", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("loyalty_rate_set_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("loyalty_rate >= 0", name=op.f("ck_business_loyalty_rate_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business")),
    )
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("total_points", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("total_points >= 0", name=op.f("ck_customer_total_points_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        sa.UniqueConstraint("phone_number", name=op.f("uq_customer_phone_number")),
    )
    op.create_table(
        "point_transaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("amount_spent", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("reward_description", sa.String(length=500), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "type IN ('earn', 'redeem', 'referral_bonus')",
            name=op.f("ck_point_transaction_type_known"),
        ),
        sa.CheckConstraint(
            "(type = 'earn' AND points >= 0) OR (type = 'redeem' AND points < 0)"
            " OR (type = 'referral_bonus' AND points > 0)",
            name=op.f("ck_point_transaction_points_sign_matches_type"),
        ),
        sa.CheckConstraint(
            "amount_spent IS NULL OR amount_spent > 0",
            name=op.f("ck_point_transaction_amount_spent_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["business_id"], ["business.id"], name=op.f("fk_point_transaction_business_id_business")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_point_transaction_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_point_transaction")),
    )
    op.create_index(
        "ix_point_transaction_customer_id_id", "point_transaction", ["customer_id", "id"]
    )
    op.create_index(
        "ix_point_transaction_business_id_id", "point_transaction", ["business_id", "id"]
    )

    # Shared mechanics from libs/common: outbox, consumer deduplication, idempotency.
    create_outbox_table(op)
    create_processed_event_table(op)
    create_idempotency_table(op)


def downgrade() -> None:
    op.drop_table("idempotency_record")
    op.drop_table("processed_event")
    drop_outbox_table(op)
    op.drop_index("ix_point_transaction_business_id_id", table_name="point_transaction")
    op.drop_index("ix_point_transaction_customer_id_id", table_name="point_transaction")
    op.drop_table("point_transaction")
    op.drop_table("customer")
    op.drop_table("business")

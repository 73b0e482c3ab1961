"""Initial schema: programs, customers, the ledger, outbox, processed events, idempotency.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("destination", sa.String(length=64), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claim", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    op.create_index("ix_outbox_message_due", "outbox_message", ["delivered_at", "next_attempt_at"])
    op.create_index("ix_outbox_message_event_id", "outbox_message", ["event_id"])
    op.create_table(
        "processed_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_event")),
    )
    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=128), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint("scope", "key", name="uq_idempotency_record_scope_key"),
    )


def downgrade() -> None:
    op.drop_table("idempotency_record")
    op.drop_table("processed_event")
    op.drop_index("ix_outbox_message_event_id", table_name="outbox_message")
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.drop_table("outbox_message")
    op.drop_index("ix_point_transaction_business_id_id", table_name="point_transaction")
    op.drop_index("ix_point_transaction_customer_id_id", table_name="point_transaction")
    op.drop_table("point_transaction")
    op.drop_table("customer")
    op.drop_table("business")

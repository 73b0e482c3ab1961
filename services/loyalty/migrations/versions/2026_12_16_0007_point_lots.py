"""Point expiry: ``business.points_expire_after_days`` and ``point_lot``.

Every existing balance becomes one lot of that many points, never expiring: those
points were earned when nothing expired, and a rule set later must not take them away.
After this, a customer's lots' ``remaining`` add up to the balance (models).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-16
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The column's own CHECK: SQLite adds it without rebuilding ``business``.
    op.add_column("business", sa.Column(
        "points_expire_after_days", sa.Integer(),
        sa.CheckConstraint("points_expire_after_days IS NULL OR points_expire_after_days > 0",
                           name=op.f("ck_business_points_expire_after_days_positive")),
        nullable=True))
    op.create_table(
        "point_lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=True),
        sa.Column("transaction_id", sa.Integer(), nullable=True),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("remaining", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("remaining >= 0 AND remaining <= points",
                           name=op.f("ck_point_lot_remaining_within_points")),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"],
                                name=op.f("fk_point_lot_business_id_business")),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"],
                                name=op.f("fk_point_lot_customer_id_customer")),
        sa.ForeignKeyConstraint(["transaction_id"], ["point_transaction.id"],
                                name=op.f("fk_point_lot_transaction_id_point_transaction")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_point_lot")),
    )
    op.create_index("ix_point_lot_customer_id_expires_at", "point_lot",
                    ["customer_id", "expires_at"])
    op.create_index("ix_point_lot_expires_at", "point_lot", ["expires_at"])
    # Naive UTC, as UTCDateTime stores it (CURRENT_TIMESTAMP would be local on PostgreSQL).
    op.execute(sa.text(
        "INSERT INTO point_lot (customer_id, points, remaining, created_at) "
        "SELECT id, total_points, total_points, :now FROM customer WHERE total_points > 0"
    ).bindparams(now=datetime.now(UTC).replace(tzinfo=None)))


def downgrade() -> None:
    op.drop_index("ix_point_lot_expires_at", table_name="point_lot")
    op.drop_index("ix_point_lot_customer_id_expires_at", table_name="point_lot")
    op.drop_table("point_lot")
    op.drop_column("business", "points_expire_after_days")

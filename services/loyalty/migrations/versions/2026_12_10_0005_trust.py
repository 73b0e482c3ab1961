"""Trust in the coalition: business status and award limits, staff on the ledger,
the daily award counter and customers' redemption codes.

- ``business.status`` (``pending``/``active``/``suspended``, copied from auth; every
  existing row becomes ``active``: it was allowed to award before status existed),
  ``status_at``, and the operator's ``award_limit_per_transaction`` /
  ``award_limit_per_day`` (null: the settings' defaults);
- ``point_transaction.staff_id`` (nullable: older rows and service calls have none);
- ``award_day``: points a business awarded per UTC day;
- ``redemption_code``: customers' consent codes (hashed).

The CHECKs on ``business`` are column constraints, so SQLite adds them without
rebuilding the table (it is referenced by every other table).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Each CHECK is the column's own (ADD COLUMN … CONSTRAINT … CHECK): SQLite then needs
    # no rebuild of ``business``, which every other table references.
    op.add_column("business", sa.Column(
        "status", sa.String(length=16),
        sa.CheckConstraint("status IN ('pending', 'active', 'suspended')",
                           name=op.f("ck_business_status_known")),
        nullable=False, server_default="active"))
    op.add_column("business", sa.Column("status_at", UTCDateTime(), nullable=True))
    op.add_column("business", sa.Column(
        "award_limit_per_transaction", sa.BigInteger(),
        sa.CheckConstraint(
            "award_limit_per_transaction IS NULL OR award_limit_per_transaction > 0",
            name=op.f("ck_business_award_limit_per_transaction_positive")),
        nullable=True))
    op.add_column("business", sa.Column(
        "award_limit_per_day", sa.BigInteger(),
        sa.CheckConstraint("award_limit_per_day IS NULL OR award_limit_per_day > 0",
                           name=op.f("ck_business_award_limit_per_day_positive")),
        nullable=True))
    with op.batch_alter_table("point_transaction") as batch:
        batch.add_column(sa.Column("staff_id", sa.Integer(), nullable=True))
    op.create_table(
        "award_day",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("points >= 0", name=op.f("ck_award_day_points_not_negative")),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"],
                                name=op.f("fk_award_day_business_id_business")),
        sa.PrimaryKeyConstraint("business_id", "day", name=op.f("pk_award_day")),
    )
    op.create_table(
        "redemption_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("attempts >= 0",
                           name=op.f("ck_redemption_code_attempts_not_negative")),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"],
                                name=op.f("fk_redemption_code_business_id_business")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redemption_code")),
    )
    op.create_index("ix_redemption_code_business_id_phone_number_id", "redemption_code",
                    ["business_id", "phone_number", "id"])


def downgrade() -> None:
    op.drop_index("ix_redemption_code_business_id_phone_number_id",
                  table_name="redemption_code")
    op.drop_table("redemption_code")
    op.drop_table("award_day")
    with op.batch_alter_table("point_transaction") as batch:
        batch.drop_column("staff_id")
    # A column's own CHECK goes with it (SQLite's DROP COLUMN allows that).
    for column in ("award_limit_per_day", "award_limit_per_transaction", "status_at",
                   "status"):
        op.drop_column("business", column)

"""Fast customer figures for a date range (issue 14: the 365-day summary).

- business_customer.points_issued: points issued to the customer at the business
  (earned and bonuses, refunds not taken off), filled in from the fact table: the
  bound the range's top-customer search walks by (``mubayiro.reports.figures``);
- ix_business_customer_issued: that walk, most points first;
- ix_business_customer_last_seen: customers active since a day, counted from an index;
- ix_business_customer_day_customer: one customer's days over a range, read from the
  index alone.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-18
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"


def upgrade() -> None:
    with op.batch_alter_table("business_customer") as batch_op:
        batch_op.add_column(sa.Column("points_issued", sa.BigInteger(), nullable=False,
                                      server_default="0"))
    # One grouping of the facts, not a subquery per customer (UPDATE … FROM: SQLite
    # 3.33+, PostgreSQL).
    op.execute(
        "UPDATE business_customer SET points_issued = issued.points "
        "FROM (SELECT business_id, phone_number, SUM(points) AS points "
        "      FROM report_transaction WHERE type IN ('earn', 'referral_bonus') "
        "      GROUP BY business_id, phone_number) AS issued "
        "WHERE issued.business_id = business_customer.business_id "
        "AND issued.phone_number = business_customer.phone_number"
    )
    op.create_index(
        "ix_business_customer_issued", "business_customer",
        ["business_id", sa.literal_column("points_issued DESC")],
    )
    op.create_index("ix_business_customer_last_seen", "business_customer",
                    ["business_id", "last_seen_at"])
    op.create_index(
        "ix_business_customer_day_customer", "business_customer_day",
        ["business_id", "customer_id", "day", "points_earned", "transaction_count"],
    )


def downgrade() -> None:
    op.drop_index("ix_business_customer_day_customer", table_name="business_customer_day")
    op.drop_index("ix_business_customer_last_seen", table_name="business_customer")
    op.drop_index("ix_business_customer_issued", table_name="business_customer")
    with op.batch_alter_table("business_customer") as batch_op:
        batch_op.drop_column("points_issued")

"""Rewards catalog, cross-promotions, the reward of a redemption, the visits index.

- ``reward``: each business's catalog (soft-deleted through ``active``);
- ``cross_promotion``: partners a business promotes (ordered pair, never itself);
- ``point_transaction.reward_id``: the catalog reward a redemption was for (nullable,
  so every existing row stays valid);
- ``ix_point_transaction_customer_id_business_id``: the recommendation engine reads
  distinct (customer, business) visits from it.

On SQLite the new foreign key on ``point_transaction`` needs a table rebuild (batch
mode: copy into a new table, swap). Alembic reflects the ledger's named CHECK
constraints and recreates them (tests/test_app.py checks they survive).
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"

def upgrade() -> None:
    op.create_table(
        "reward",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("points_cost", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("points_cost > 0", name=op.f("ck_reward_points_cost_positive")),
        sa.ForeignKeyConstraint(
            ["business_id"], ["business.id"], name=op.f("fk_reward_business_id_business")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward")),
    )
    op.create_index("ix_reward_business_id_id", "reward", ["business_id", "id"])

    op.create_table(
        "cross_promotion",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("partner_business_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "business_id <> partner_business_id", name=op.f("ck_cross_promotion_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["business_id"], ["business.id"], name=op.f("fk_cross_promotion_business_id_business")
        ),
        sa.ForeignKeyConstraint(
            ["partner_business_id"],
            ["business.id"],
            name=op.f("fk_cross_promotion_partner_business_id_business"),
        ),
        sa.PrimaryKeyConstraint(
            "business_id", "partner_business_id", name=op.f("pk_cross_promotion")
        ),
    )

    with op.batch_alter_table("point_transaction") as batch:
        batch.add_column(sa.Column("reward_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_point_transaction_reward_id_reward", "reward", ["reward_id"], ["id"]
        )
    op.create_index(
        "ix_point_transaction_customer_id_business_id",
        "point_transaction",
        ["customer_id", "business_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_point_transaction_customer_id_business_id", table_name="point_transaction")
    with op.batch_alter_table("point_transaction") as batch:
        batch.drop_constraint("fk_point_transaction_reward_id_reward", type_="foreignkey")
        batch.drop_column("reward_id")
    op.drop_table("cross_promotion")
    op.drop_index("ix_reward_business_id_id", table_name="reward")
    op.drop_table("reward")

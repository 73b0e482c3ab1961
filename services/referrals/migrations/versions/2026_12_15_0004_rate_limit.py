"""The ``rate_limit`` table: invitation attempts are counted, refused ones included
(:mod:`mubayiro.common.ratelimit`)."""

from alembic import op

from mubayiro.common.migrations import rate_limit_table_upgrade

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    rate_limit_table_upgrade(op)


def downgrade() -> None:
    op.drop_table("rate_limit")

"""business.registration_loyalty_rate: the rate a business gave at sign-up.

Loyalty copies a business from ``/internal/businesses/{id}`` when a business token
reaches it before the ``business.registered`` event; the answer now carries the rate
given at registration, as the event does, so the program starts with it either way.
Businesses registered before this revision have NULL (their event carried the rate).
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    op.add_column(
        "business", sa.Column("registration_loyalty_rate", sa.Numeric(12, 4), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("business") as batch:
        batch.drop_column("registration_loyalty_rate")

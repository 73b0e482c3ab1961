"""Customer one-time codes: the customer_otp table.

Codes are stored as HMAC-SHA256 hex digests (64 characters), never in plain text; see
mubayiro.auth.otp.codes. Phone numbers are E.164 (at most 16 characters).
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"


def upgrade() -> None:
    op.create_table(
        "customer_otp",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("consumed_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_otp")),
    )
    with op.batch_alter_table("customer_otp", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_otp_phone_number"), ["phone_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_otp", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_otp_phone_number"))
    op.drop_table("customer_otp")

"""Two-way SMS: opt-outs, inbound messages, essential and skipped SMS, Idempotency-Key.

- sms_message.essential (existing rows: false) and the status 'skipped' (a non-essential
  SMS to a number that replied STOP);
- sms_opt_out: numbers that replied STOP (E.164, at most 16 characters);
- inbound_message: SMS received and the reply given, unique per provider message id;
- idempotency_record: Idempotency-Key records of POST /internal/sms.
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import allow_values, create_idempotency_table

revision: str = "0002"
down_revision: str | None = "0001"


def upgrade() -> None:
    with op.batch_alter_table("sms_message") as batch_op:
        batch_op.add_column(
            sa.Column("essential", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        allow_values(op, batch_op, "sms_message", "status",
                     ["queued", "sent", "failed", "skipped"])
    op.create_table(
        "sms_opt_out",
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("opted_out_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("phone_number", name=op.f("pk_sms_opt_out")),
    )
    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("provider_message_id", sa.String(length=64), nullable=False),
        sa.Column("from_number", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_message")),
        sa.UniqueConstraint(
            "provider", "provider_message_id", name="uq_inbound_message_provider_message_id"
        ),
    )
    create_idempotency_table(op)


def downgrade() -> None:
    op.drop_table("idempotency_record")
    op.drop_table("inbound_message")
    op.drop_table("sms_opt_out")
    # Skipped SMS were never sent; the older schema has no word for them.
    op.execute("UPDATE sms_message SET status = 'failed' WHERE status = 'skipped'")
    with op.batch_alter_table("sms_message") as batch_op:
        allow_values(op, batch_op, "sms_message", "status", ["queued", "sent", "failed"])
        batch_op.drop_column("essential")

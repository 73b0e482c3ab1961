"""Initial schema: the SMS outbox (sms_message) and consumed event ids (processed_event).

Revision ID: 0001
Revises:
Create Date: 2026-11-24 03:00:08
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import create_processed_event_table

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    create_processed_event_table(op)
    op.create_table(
        "sms_message",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("to_number", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("provider_message_id", sa.String(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claim", sa.String(length=36), nullable=True),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'failed')", name=op.f("ck_sms_message_status")
        ),
        sa.CheckConstraint(
            "attempts >= 0", name=op.f("ck_sms_message_attempts_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_message")),
        sa.UniqueConstraint("event_id", "kind", name="uq_sms_message_event_id_kind"),
    )
    with op.batch_alter_table("sms_message") as batch_op:
        batch_op.create_index("ix_sms_message_due", ["status", "next_attempt_at"])
        batch_op.create_index(
            "ix_sms_message_to_number_created_at", ["to_number", "created_at"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sms_message") as batch_op:
        batch_op.drop_index("ix_sms_message_to_number_created_at")
        batch_op.drop_index("ix_sms_message_due")
    op.drop_table("sms_message")
    op.drop_table("processed_event")

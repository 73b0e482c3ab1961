"""Initial schema: referrals, referral codes, invitations (with their SMS delivery state),
the event outbox and Idempotency-Key records.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 03:32:53
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import create_idempotency_table, create_outbox_table, drop_outbox_table

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        # Auth's business id; null while the referral is only a customer's invitation.
        sa.Column("business_id", sa.Integer(), nullable=True),
        sa.Column("referrer_phone_number", sa.String(length=16), nullable=False),
        sa.Column("referred_phone_number", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("referral_code_used", sa.String(length=6), nullable=True),
        sa.Column("points_awarded", sa.BigInteger(), nullable=True),
        sa.Column("loyalty_transaction_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tracked_at", UTCDateTime(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'completed')", name=op.f("ck_referral_status")),
        sa.CheckConstraint(
            "referrer_phone_number <> referred_phone_number", name=op.f("ck_referral_not_self")
        ),
        sa.CheckConstraint(
            "points_awarded IS NULL OR points_awarded > 0",
            name=op.f("ck_referral_points_positive"),
        ),
        sa.CheckConstraint(
            "(status = 'pending' AND points_awarded IS NULL"
            " AND loyalty_transaction_id IS NULL AND completed_at IS NULL)"
            " OR (status = 'completed' AND business_id IS NOT NULL"
            " AND points_awarded IS NOT NULL AND loyalty_transaction_id IS NOT NULL"
            " AND completed_at IS NOT NULL)",
            name=op.f("ck_referral_completion_consistent"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
        # One referrer per new customer, across all businesses.
        sa.UniqueConstraint(
            "referred_phone_number", name=op.f("uq_referral_referred_phone_number")
        ),
    )
    with op.batch_alter_table("referral") as batch_op:
        batch_op.create_index("ix_referral_business_id_tracked_at", ["business_id", "tracked_at"])

    op.create_table(
        "referral_code",
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("phone_number", name=op.f("pk_referral_code")),
        sa.UniqueConstraint("code", name=op.f("uq_referral_code_code")),
    )

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("inviter_phone_number", sa.String(length=16), nullable=False),
        sa.Column("friend_phone_number", sa.String(length=16), nullable=False),
        sa.Column("sms_body", sa.Text(), nullable=False),
        sa.Column("sms_status", sa.String(length=16), nullable=False),
        sa.Column("sms_attempts", sa.Integer(), nullable=False),
        sa.Column("sms_next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("sms_last_error", sa.Text(), nullable=True),
        sa.Column("sms_claim", sa.String(length=36), nullable=True),
        sa.Column("sms_id", sa.BigInteger(), nullable=True),
        sa.Column("sms_accepted_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "sms_status IN ('pending', 'queued', 'skipped', 'failed')",
            name=op.f("ck_invitation_sms_status"),
        ),
        sa.CheckConstraint(
            "sms_attempts >= 0", name=op.f("ck_invitation_sms_attempts_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_invitation_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("referral_id", name=op.f("uq_invitation_referral_id")),
    )
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.create_index(
            "ix_invitation_inviter_phone_number_created_at",
            ["inviter_phone_number", "created_at"],
        )
        batch_op.create_index("ix_invitation_sms_due", ["sms_status", "sms_next_attempt_at"])

    create_outbox_table(op)

    create_idempotency_table(op)


def downgrade() -> None:
    op.drop_table("idempotency_record")
    drop_outbox_table(op)
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.drop_index("ix_invitation_sms_due")
        batch_op.drop_index("ix_invitation_inviter_phone_number_created_at")
    op.drop_table("invitation")
    op.drop_table("referral_code")
    with op.batch_alter_table("referral") as batch_op:
        batch_op.drop_index("ix_referral_business_id_tracked_at")
    op.drop_table("referral")

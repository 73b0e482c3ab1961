"""Outbox dead letters: an event its subscriber refuses is parked, not retried forever.

outbox_message gets a status ('pending', 'delivered', 'dead', 'discarded') and
parked_at; existing rows become 'delivered' when they have a delivered_at, else
'pending'. The dispatcher's index moves from delivered_at to status. The steps are the
shared ones every service with an outbox runs (mubayiro.common.migrations).

The invitation SMS queue gets the same: invitation.sms_parked_at (existing 'failed'
rows get their created_at: the time they failed was not recorded) and the status
'discarded' (a failed invitation SMS an operator gave up on).
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import outbox_dead_letters_downgrade, outbox_dead_letters_upgrade

revision: str = "0002"
down_revision: str | None = "0001"


def upgrade() -> None:
    outbox_dead_letters_upgrade(op)
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.add_column(sa.Column("sms_parked_at", UTCDateTime(), nullable=True))
        batch_op.drop_constraint(op.f("ck_invitation_sms_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_invitation_sms_status"),
            "sms_status IN ('pending', 'queued', 'skipped', 'failed', 'discarded')",
        )
    op.execute("UPDATE invitation SET sms_parked_at = created_at WHERE sms_status = 'failed'")


def downgrade() -> None:
    # A discarded invitation SMS was a failed one; the older schema has no other word.
    op.execute("UPDATE invitation SET sms_status = 'failed' WHERE sms_status = 'discarded'")
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.drop_constraint(op.f("ck_invitation_sms_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_invitation_sms_status"),
            "sms_status IN ('pending', 'queued', 'skipped', 'failed')",
        )
        batch_op.drop_column("sms_parked_at")
    outbox_dead_letters_downgrade(op)

"""Dead letters: a refused SMS is parked (``failed``, ``parked_at``) until an operator acts.

- sms_message.parked_at: when the SMS was parked. Existing ``failed`` rows get their
  ``created_at`` (the time they failed was not recorded);
- the status 'discarded': a failed SMS an operator gave up on
  (``python -m mubayiro.notifications outbox discard <id>``).
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import allow_values

revision: str = "0003"
down_revision: str | None = "0002"


def upgrade() -> None:
    with op.batch_alter_table("sms_message") as batch_op:
        batch_op.add_column(sa.Column("parked_at", UTCDateTime(), nullable=True))
        allow_values(op, batch_op, "sms_message", "status",
                     ["queued", "sent", "failed", "skipped", "discarded"])
    op.execute("UPDATE sms_message SET parked_at = created_at WHERE status = 'failed'")


def downgrade() -> None:
    # A discarded SMS was a failed one; the older schema has no word for giving up on it.
    op.execute("UPDATE sms_message SET status = 'failed' WHERE status = 'discarded'")
    with op.batch_alter_table("sms_message") as batch_op:
        allow_values(op, batch_op, "sms_message", "status",
                     ["queued", "sent", "failed", "skipped"])
        batch_op.drop_column("parked_at")

"""Outbox dead letters: an event its subscriber refuses is parked, not retried forever.

outbox_message gets a status ('pending', 'delivered', 'dead', 'discarded') and
parked_at; existing rows become 'delivered' when they have a delivered_at, else
'pending'. The dispatcher's index moves from delivered_at to status. The steps are the
shared ones every service with an outbox runs (mubayiro.common.migrations).
"""

from alembic import op

from mubayiro.common.migrations import outbox_dead_letters_downgrade, outbox_dead_letters_upgrade

revision: str = "0003"
down_revision: str | None = "0002"


def upgrade() -> None:
    outbox_dead_letters_upgrade(op)


def downgrade() -> None:
    outbox_dead_letters_downgrade(op)

"""Schema steps that several services' Alembic migrations share.

Every service with an outbox owns an ``outbox_message`` table made by
:func:`mubayiro.common.events.outbox_table`; when that shape changes, each service
needs the same migration. The steps live here once and each service's revision calls
them, so the copies cannot drift. A function here is part of a released migration:
never change one, add a new one for the next change.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from mubayiro.common.db import UTCDateTime


def outbox_dead_letters_upgrade(op: Any) -> None:
    """Give ``outbox_message`` a status (``pending``/``delivered``/``dead``/``discarded``)
    and ``parked_at``, so a refused event can be parked as a dead letter.

    Existing rows become ``delivered`` when they have a ``delivered_at``, else
    ``pending``; the dispatcher's index moves from ``delivered_at`` to ``status``.
    ``op`` is the migration's ``alembic.op``.
    """
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="pending")
        )
        batch_op.add_column(sa.Column("parked_at", UTCDateTime(), nullable=True))
        batch_op.drop_index("ix_outbox_message_due")
    op.execute("UPDATE outbox_message SET status = 'delivered' WHERE delivered_at IS NOT NULL")
    with op.batch_alter_table("outbox_message") as batch_op:
        # The model has no server default: the publisher always writes the status.
        batch_op.alter_column("status", existing_type=sa.String(length=16), server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_outbox_message_status"),
            "status IN ('pending', 'delivered', 'dead', 'discarded')",
        )
        batch_op.create_index("ix_outbox_message_due", ["status", "next_attempt_at"])


def outbox_dead_letters_downgrade(op: Any) -> None:
    """Undo :func:`outbox_dead_letters_upgrade`.

    Dead letters become pending again (the older dispatcher retries them); discarded
    rows are deleted, since the older schema cannot tell them from pending ones.
    """
    op.execute("DELETE FROM outbox_message WHERE status = 'discarded'")
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_index("ix_outbox_message_due")
        batch_op.drop_constraint(op.f("ck_outbox_message_status"), type_="check")
        batch_op.drop_column("parked_at")
        batch_op.drop_column("status")
        batch_op.create_index("ix_outbox_message_due", ["delivered_at", "next_attempt_at"])

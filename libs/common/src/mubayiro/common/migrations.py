"""Schema steps that several services' Alembic migrations share.

Every service with an outbox owns an ``outbox_message`` table made by
:func:`mubayiro.common.events.outbox_table`; when that shape changes, each service
needs the same migration. The steps live here once and each service's revision calls
them, so the copies cannot drift. A function here is part of a released migration:
never change one, add a new one for the next change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from mubayiro.common.db import UTCDateTime


def allow_values(op: Any, batch_op: Any, table: str, column: str, values: Sequence[str]) -> None:
    """Let ``column`` hold exactly ``values``: replace its check constraint
    ``ck_<table>_<column>`` (a status gaining or losing a value). Call it inside
    ``op.batch_alter_table(table)`` (SQLite rebuilds the table to change a constraint).
    """
    name = op.f(f"ck_{table}_{column}")
    batch_op.drop_constraint(name, type_="check")
    allowed = ", ".join(f"'{value}'" for value in values)
    batch_op.create_check_constraint(name, f"{column} IN ({allowed})")


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


# --- The shared tables as the services' first migrations created them (2026-11-24) ------


def create_outbox_table(op: Any) -> None:
    """Create ``outbox_message`` in its first shape (before dead letters), with its indexes."""
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("destination", sa.String(length=64), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claim", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.create_index("ix_outbox_message_due", ["delivered_at", "next_attempt_at"])
        batch_op.create_index("ix_outbox_message_event_id", ["event_id"])


def drop_outbox_table(op: Any) -> None:
    """Undo :func:`create_outbox_table`."""
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_index("ix_outbox_message_event_id")
        batch_op.drop_index("ix_outbox_message_due")
    op.drop_table("outbox_message")


def create_processed_event_table(op: Any) -> None:
    """Create ``processed_event``, the consumer's record of the events it has handled."""
    op.create_table(
        "processed_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_event")),
    )


def create_idempotency_table(op: Any) -> None:
    """Create ``idempotency_record``, the stored answers of ``Idempotency-Key`` requests."""
    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=128), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint("scope", "key", name="uq_idempotency_record_scope_key"),
    )


def rate_limit_table_upgrade(op: Any) -> None:
    """Create the ``rate_limit`` table of :mod:`mubayiro.common.ratelimit` (empty).

    ``op`` is the migration's ``alembic.op``; the downgrade drops the table.
    """
    op.create_table(
        "rate_limit",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit")),
    )

"""Abuse limits and unique business names.

- ``rate_limit``: the counters of :mod:`mubayiro.common.ratelimit` (new, empty).
- ``customer_otp.requested_from``: the client address that asked for a code, so the
  per-phone request window counts per phone and address. Existing codes get ``""``.
- ``business.name_key``: the name with case and runs of spaces ignored, unique. Where
  businesses already share a name, the oldest keeps it and each later one's key gets
  ``#<id>`` appended, so nobody's visible name changes and the next sign-up with that
  name is refused.
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.migrations import rate_limit_table_upgrade

revision: str = "0006"
down_revision: str | None = "0005"


def _name_key(name: str) -> str:
    # The rule of mubayiro.auth.models.business_name_key as it was when written.
    return " ".join(name.casefold().split())


def upgrade() -> None:
    rate_limit_table_upgrade(op)
    # Plain ADD COLUMN (with a default, so NOT NULL holds for old rows): SQLite's batch
    # mode would copy and drop ``business``, which ``staff`` rows reference.
    op.add_column(
        "customer_otp",
        sa.Column("requested_from", sa.String(length=64), nullable=False, server_default=""),
    )
    op.add_column(
        "business",
        sa.Column("name_key", sa.String(length=120), nullable=False, server_default=""),
    )
    connection = op.get_bind()
    seen: set[str] = set()
    rows = connection.execute(sa.text("SELECT id, name FROM business ORDER BY id")).all()
    for business_id, name in rows:
        key = _name_key(name)
        if key in seen:
            key = f"{key[: 120 - 12]}#{business_id}"
        seen.add(key)
        connection.execute(
            sa.text("UPDATE business SET name_key = :key WHERE id = :id"),
            {"key": key, "id": business_id},
        )
    op.create_index("uq_business_name_key", "business", ["name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_business_name_key", table_name="business")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+ and PostgreSQL), not a batch copy: see above.
    op.execute("ALTER TABLE business DROP COLUMN name_key")
    op.execute("ALTER TABLE customer_otp DROP COLUMN requested_from")
    op.drop_table("rate_limit")

"""Business status, staff accounts, refresh tokens and password reset tokens.

- ``business.status``: businesses that existed before approval was introduced were
  already trading, so they become ``active``; new ones start ``pending`` (set by the
  code, from the ``AUTH_AUTO_APPROVE_BUSINESSES`` setting).
- ``staff``: every existing business gets its first owner, made from what the business
  row held: the contact person's name, the email and the password hash, which moves
  here (``business.password_hash`` is dropped: credentials live only with staff).
  The owner signs in exactly as before.
- ``refresh_token`` and ``password_reset_token``: new, empty.

The downgrade puts each business's oldest owner's password hash back on the business.
"""

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"


def upgrade() -> None:
    # The owners' data is put aside first, so ``business`` is rebuilt (SQLite batch mode:
    # copy, drop, rename) before any table points at it: dropping a table that ``staff``
    # rows reference fails while foreign keys are on.
    op.execute(
        "CREATE TABLE _owner_seed AS SELECT id AS business_id, contact_person AS name, email, "
        "password_hash, created_at, updated_at FROM business"
    )
    with op.batch_alter_table("business") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="active")
        )
    # The default only served the existing rows; the code always sets a status.
    with op.batch_alter_table("business") as batch:
        batch.alter_column("status", server_default=None)
        batch.drop_column("password_hash")

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["business_id"], ["business.id"], name=op.f("fk_staff_business_id_business")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_staff_business_id"), "staff", ["business_id"], unique=False)
    op.create_index(
        "uq_staff_email_active",
        "staff",
        ["email"],
        unique=True,
        sqlite_where=sa.text("removed_at IS NULL"),
        postgresql_where=sa.text("removed_at IS NULL"),
    )
    op.execute(
        "INSERT INTO staff (business_id, name, email, password_hash, role, created_at, "
        "updated_at) SELECT business_id, name, email, password_hash, 'owner', created_at, "
        "updated_at FROM _owner_seed ORDER BY business_id"
    )
    op.drop_table("_owner_seed")

    op.create_table(
        "refresh_token",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_refresh_token_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_token_token_hash")),
    )
    op.create_index(
        op.f("ix_refresh_token_family_id"), "refresh_token", ["family_id"], unique=False
    )
    op.create_index(
        op.f("ix_refresh_token_staff_id"), "refresh_token", ["staff_id"], unique=False
    )

    op.create_table(
        "password_reset_token",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_password_reset_token_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_token_hash")),
    )
    op.create_index(
        op.f("ix_password_reset_token_staff_id"),
        "password_reset_token",
        ["staff_id"],
        unique=False,
    )


def downgrade() -> None:
    # Each business's oldest remaining owner's hash goes back on the business row; as in
    # the upgrade, ``business`` is rebuilt only once nothing points at it.
    op.execute(
        "CREATE TABLE _owner_seed AS SELECT business_id, MIN(id) AS staff_id FROM staff "
        "WHERE role = 'owner' AND removed_at IS NULL GROUP BY business_id"
    )
    op.execute(
        "CREATE TABLE _owner_hash AS SELECT o.business_id, s.password_hash FROM _owner_seed o "
        "JOIN staff s ON s.id = o.staff_id"
    )
    op.drop_table("_owner_seed")
    op.drop_index(op.f("ix_password_reset_token_staff_id"), table_name="password_reset_token")
    op.drop_table("password_reset_token")
    op.drop_index(op.f("ix_refresh_token_staff_id"), table_name="refresh_token")
    op.drop_index(op.f("ix_refresh_token_family_id"), table_name="refresh_token")
    op.drop_table("refresh_token")
    op.drop_index("uq_staff_email_active", table_name="staff")
    op.drop_index(op.f("ix_staff_business_id"), table_name="staff")
    op.drop_table("staff")
    with op.batch_alter_table("business") as batch:
        batch.add_column(
            sa.Column("password_hash", sa.String(length=255), nullable=False, server_default="")
        )
        batch.drop_column("status")
    op.execute(
        "UPDATE business SET password_hash = (SELECT h.password_hash FROM _owner_hash h "
        "WHERE h.business_id = business.id) WHERE id IN (SELECT business_id FROM _owner_hash)"
    )
    op.drop_table("_owner_hash")
    with op.batch_alter_table("business") as batch:
        batch.alter_column("password_hash", server_default=None)

"""Referrals per shop: one referral per (business, referred phone), purchases, settings.

Issue 11: ``referral.referred_phone_number`` was unique across every business, so a
shop tracking a phone learnt (409 ``AlreadyReferred``) that another shop had referred
it. The constraint becomes ``UNIQUE (business_id, referred_phone_number)``, plus a
partial unique index keeping one open invitation (``business_id IS NULL``) per phone.
SQLite cannot drop a constraint in place: batch mode copies every row into a new table,
with the invitations pointing at them set aside meanwhile. Every
existing row satisfies both, since the old constraint was stricter. The referral gets
``first_purchase_at`` (when the friend first bought at its business).

Issue 16: ``shop_purchase`` (who has bought at which business, from loyalty's
``points.earned``), ``referral_setting`` (a business's default bonus) and
``processed_event`` (the ids of the events consumed).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-14 09:00:00
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

from mubayiro.common.db import UTCDateTime
from mubayiro.common.migrations import create_processed_event_table

revision: str = "0003"
down_revision: str | None = "0002"

OPEN_INVITATION = "business_id IS NULL"


@contextmanager
def _invitations_set_aside() -> Iterator[None]:
    """On SQLite, keep ``invitation``'s rows aside while ``referral`` is rebuilt.

    SQLite rebuilds a table by copying it and dropping the old one; with foreign keys on
    (and they cannot be turned off inside the migration's transaction) dropping a table
    that invitations point at fails, even deferred. PostgreSQL alters in place.
    """
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    op.execute("CREATE TABLE _invitation_aside AS SELECT * FROM invitation")
    op.execute("DELETE FROM invitation")
    yield
    op.execute("INSERT INTO invitation SELECT * FROM _invitation_aside")
    op.execute("DROP TABLE _invitation_aside")


def upgrade() -> None:
    with _invitations_set_aside(), op.batch_alter_table("referral") as batch_op:
        batch_op.drop_constraint(op.f("uq_referral_referred_phone_number"), type_="unique")
        batch_op.add_column(sa.Column("first_purchase_at", UTCDateTime(), nullable=True))
        batch_op.create_unique_constraint(
            op.f("uq_referral_business_id_referred_phone_number"),
            ["business_id", "referred_phone_number"],
        )
    op.create_index(
        "ix_referral_open_invitation", "referral", ["referred_phone_number"], unique=True,
        sqlite_where=sa.text(OPEN_INVITATION), postgresql_where=sa.text(OPEN_INVITATION),
    )

    op.create_table(
        "shop_purchase",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("first_purchase_at", UTCDateTime(), nullable=False),
        sa.Column("transaction_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("business_id", "phone_number", name=op.f("pk_shop_purchase")),
    )
    op.create_table(
        "referral_setting",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("default_bonus_points", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "default_bonus_points > 0", name=op.f("ck_referral_setting_default_bonus_positive")
        ),
        sa.PrimaryKeyConstraint("business_id", name=op.f("pk_referral_setting")),
    )
    create_processed_event_table(op)


def downgrade() -> None:
    # The older schema allows one referral per phone across every business: refuse to
    # go down rather than pick which shop's referral to delete.
    duplicated = op.get_bind().scalar(sa.text(
        "SELECT COUNT(*) FROM (SELECT referred_phone_number FROM referral"
        " GROUP BY referred_phone_number HAVING COUNT(*) > 1) AS d"
    ))
    if duplicated:
        raise RuntimeError(
            f"{duplicated} phone numbers are referred at more than one business; "
            "revision 0002 allows one referral per phone: resolve them before downgrading"
        )
    op.drop_table("processed_event")
    op.drop_table("referral_setting")
    op.drop_table("shop_purchase")
    op.drop_index("ix_referral_open_invitation", table_name="referral")
    with _invitations_set_aside(), op.batch_alter_table("referral") as batch_op:
        batch_op.drop_constraint(
            op.f("uq_referral_business_id_referred_phone_number"), type_="unique"
        )
        batch_op.drop_column("first_purchase_at")
        batch_op.create_unique_constraint(
            op.f("uq_referral_referred_phone_number"), ["referred_phone_number"]
        )

"""Ledger completeness: refunds (``reversal`` rows), ``expire`` and ``import`` rows.

- ``point_transaction.type`` admits ``reversal``, ``expire`` and ``import``; the sign
  CHECK learns them (a reversal may go either way: it takes an earn back or gives a
  redemption back; an expiry removes points; an import adds them or records 0);
- ``loyalty_rate``: the rate an earn was computed with (what a partial refund takes
  back by); earns written before this stay null (a refund then uses their
  ``points / amount_spent``);
- ``reversed_transaction_id`` (a reversal's original, CHECKed: a reversal always has
  one, nothing else does) and ``shortfall`` (what a reversal could not take back);
- ``ux_point_transaction_import_once``: one ``import`` row per business and customer.

SQLite cannot change a CHECK in place, so the table is rebuilt (batch mode); nothing
references ``point_transaction`` yet, and its rows are copied as they are.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-16
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_TYPES = "type IN ('earn', 'redeem', 'referral_bonus')"
NEW_TYPES = "type IN ('earn', 'redeem', 'referral_bonus', 'reversal', 'expire', 'import')"
OLD_SIGN = (
    "(type = 'earn' AND points >= 0) OR (type = 'redeem' AND points < 0)"
    " OR (type = 'referral_bonus' AND points > 0)"
)
NEW_SIGN = (
    OLD_SIGN + " OR type = 'reversal'"
    " OR (type = 'expire' AND points < 0) OR (type = 'import' AND points >= 0)"
)
IMPORT_ONCE = "type = 'import'"


def upgrade() -> None:
    with op.batch_alter_table("point_transaction") as batch:
        batch.add_column(sa.Column("loyalty_rate", sa.Numeric(precision=12, scale=4),
                                   nullable=True))
        batch.add_column(sa.Column("reversed_transaction_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("shortfall", sa.BigInteger(), nullable=True))
        batch.drop_constraint(op.f("ck_point_transaction_type_known"), type_="check")
        batch.drop_constraint(op.f("ck_point_transaction_points_sign_matches_type"),
                              type_="check")
        batch.create_check_constraint(op.f("ck_point_transaction_type_known"), NEW_TYPES)
        batch.create_check_constraint(op.f("ck_point_transaction_points_sign_matches_type"),
                                      NEW_SIGN)
        batch.create_check_constraint(
            op.f("ck_point_transaction_reversal_links_original"),
            "(type = 'reversal') = (reversed_transaction_id IS NOT NULL)")
        batch.create_check_constraint(op.f("ck_point_transaction_shortfall_not_negative"),
                                      "shortfall IS NULL OR shortfall >= 0")
        batch.create_foreign_key(
            op.f("fk_point_transaction_reversed_transaction_id_point_transaction"),
            "point_transaction", ["reversed_transaction_id"], ["id"])
    op.create_index("ix_point_transaction_reversed_transaction_id", "point_transaction",
                    ["reversed_transaction_id"])
    op.create_index("ux_point_transaction_import_once", "point_transaction",
                    ["business_id", "customer_id"], unique=True,
                    sqlite_where=sa.text(IMPORT_ONCE), postgresql_where=sa.text(IMPORT_ONCE))


def downgrade() -> None:
    # The older schema cannot hold the new kinds of rows: they go, and the balances they
    # changed are put back so that every balance still equals its ledger.
    op.execute(
        "UPDATE customer SET total_points = total_points - COALESCE((SELECT SUM(points) "
        "FROM point_transaction WHERE point_transaction.customer_id = customer.id AND "
        "type IN ('reversal', 'expire', 'import')), 0)")
    op.execute("DELETE FROM point_transaction WHERE type IN ('reversal', 'expire', 'import')")
    op.drop_index("ux_point_transaction_import_once", table_name="point_transaction")
    op.drop_index("ix_point_transaction_reversed_transaction_id",
                  table_name="point_transaction")
    with op.batch_alter_table("point_transaction") as batch:
        batch.drop_constraint(
            op.f("fk_point_transaction_reversed_transaction_id_point_transaction"),
            type_="foreignkey")
        batch.drop_constraint(op.f("ck_point_transaction_shortfall_not_negative"),
                              type_="check")
        batch.drop_constraint(op.f("ck_point_transaction_reversal_links_original"),
                              type_="check")
        batch.drop_constraint(op.f("ck_point_transaction_points_sign_matches_type"),
                              type_="check")
        batch.drop_constraint(op.f("ck_point_transaction_type_known"), type_="check")
        batch.create_check_constraint(op.f("ck_point_transaction_type_known"), OLD_TYPES)
        batch.create_check_constraint(op.f("ck_point_transaction_points_sign_matches_type"),
                                      OLD_SIGN)
        batch.drop_column("shortfall")
        batch.drop_column("reversed_transaction_id")
        batch.drop_column("loyalty_rate")

"""Ledger completeness (issue 15): refunds, expiry and imported balances are counted.

- report_transaction: the types ``reversal``, ``expire`` and ``import`` with loyalty's
  sign rule for them, and ``shortfall`` (a reversal's points it could not take back);
- business_day: points reversed, their shortfall, points given back (reversed
  redemptions), points expired and imported, and the number of rows of each new type.
  Existing days start at 0: before this revision those events were acknowledged and
  ignored, so a deployment that already had refunds, expiries or imports runs
  ``python -m mubayiro.reports backfill`` once after upgrading to count them.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"

_NEW_TYPES = ("reversal", "expire", "import")
_OLD_SIGN = (
    "(type = 'earn' AND points >= 0) OR (type = 'redeem' AND points < 0)"
    " OR (type = 'referral_bonus' AND points > 0)"
)
_NEW_SIGN = (
    _OLD_SIGN + " OR type = 'reversal'"
    " OR (type = 'expire' AND points < 0) OR (type = 'import' AND points >= 0)"
)
_OLD_TYPES = ("earn", "redeem", "referral_bonus")
_DAY_POINTS = ("points_reversed", "shortfall", "points_given_back", "points_expired",
               "points_imported")
_DAY_COUNTS = ("reversal_count", "expire_count", "import_count")


def _checks(batch_op: Any, types: tuple[str, ...], sign: str) -> None:
    batch_op.drop_constraint(op.f("ck_report_transaction_type_known"), type_="check")
    batch_op.drop_constraint(op.f("ck_report_transaction_points_sign"), type_="check")
    allowed = ", ".join(f"'{t}'" for t in types)
    batch_op.create_check_constraint(op.f("ck_report_transaction_type_known"),
                                     f"type IN ({allowed})")
    batch_op.create_check_constraint(op.f("ck_report_transaction_points_sign"), sign)


def upgrade() -> None:
    with op.batch_alter_table("report_transaction") as batch_op:
        batch_op.add_column(sa.Column("shortfall", sa.BigInteger(), nullable=True))
        _checks(batch_op, (*_OLD_TYPES, *_NEW_TYPES), _NEW_SIGN)
        batch_op.create_check_constraint(
            op.f("ck_report_transaction_shortfall_not_negative"),
            "shortfall IS NULL OR shortfall >= 0")
    with op.batch_alter_table("business_day") as batch_op:
        for name in _DAY_POINTS:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=False,
                                          server_default="0"))
        for name in _DAY_COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False,
                                          server_default="0"))


def downgrade() -> None:
    # The older schema cannot hold the new rows: their facts go, and the customers'
    # figures they changed are not restored (rebuild with the backfill after a downgrade).
    op.execute("DELETE FROM report_transaction WHERE type IN ('reversal', 'expire', 'import')")
    with op.batch_alter_table("business_day") as batch_op:
        for name in (*_DAY_POINTS, *_DAY_COUNTS):
            batch_op.drop_column(name)
    with op.batch_alter_table("report_transaction") as batch_op:
        batch_op.drop_constraint(op.f("ck_report_transaction_shortfall_not_negative"),
                                 type_="check")
        _checks(batch_op, _OLD_TYPES, _OLD_SIGN)
        batch_op.drop_column("shortfall")

"""Money and points types (the earning rule itself is loyalty's: ``transactions.earning``).

Money is a ``Decimal`` with at most 2 decimal places, strictly positive and at most
:data:`MAX_MONEY`, the platform's ceiling; a service may accept less (loyalty's
``max_amount_spent``, checked with its settings). Floats never touch money: JSON
numbers and numeric strings are read straight into ``Decimal``. Points are whole numbers.

The bounds are shared so that a producer and its consumers agree by construction:
:data:`MAX_POINTS` is the most points one ledger row, request or event may carry.
Loyalty refuses an award that would earn more (rather than writing an event its
subscribers would refuse); notifications, reports and referrals validate the
``points`` they receive with the same constant (:data:`Points`, :data:`PointsAmount`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

#: The most money one request may carry, anywhere on the platform (see module doc).
MAX_MONEY = Decimal("1000000.00")
#: The most points one transaction, request or event may carry (see module doc).
MAX_POINTS = 10_000_000


def _at_most_max_money(value: Decimal) -> Decimal:
    if value > MAX_MONEY:
        raise ValueError(f"must not exceed {MAX_MONEY}")
    return value.quantize(Decimal("0.01"))


#: An amount of money: > 0, at most 2 decimal places, at most :data:`MAX_MONEY`.
Money = Annotated[
    Decimal,
    Field(gt=0, decimal_places=2, max_digits=15, allow_inf_nan=False, examples=["25.50"]),
    AfterValidator(_at_most_max_money),
]

#: A positive whole number of points (booleans and fractions refused).
Points = Annotated[int, Field(gt=0, le=MAX_POINTS, strict=True, examples=[100])]

#: Points carried by an event or a ledger row as a consumer reads them: 0 (an earn too
#: small to give a point) up to :data:`MAX_POINTS`.
PointsAmount = Annotated[int, Field(ge=0, le=MAX_POINTS)]



def plain_decimal(value: Decimal) -> Decimal:
    """``value`` as a plain decimal: ``1e1`` → ``10``, and ``-0`` → ``0`` (a rate of
    ``-0`` would be stored and shown as ``-0.0000``). An ``AfterValidator`` for rates."""
    return Decimal(format(value.copy_abs() if value == 0 else value, "f"))

"""The earning rule of the coalition: how many points a purchase earns.

``floor(amount_spent × loyalty_rate)`` (docs/api.md), computed in exact ``Decimal``:
a float would turn 10.99 × 1.5 into 16.485000000000003 one day and 16.484999… the
next. Rounding down means a purchase never earns a point it did not fully pay for.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal


def points_for(amount: Decimal, rate: Decimal) -> int:
    """Points earned for ``amount`` at ``rate``: ``floor(amount × rate)``, exact in Decimal."""
    return int((amount * rate).to_integral_value(rounding=ROUND_FLOOR))

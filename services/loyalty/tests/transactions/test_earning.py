"""The earning rule: floor(amount × rate), exact."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mubayiro.loyalty.transactions.earning import points_for


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [("10.99", "1.5", 16), ("10", "1", 10), ("0.99", "1", 0), ("33.33", "0.3", 9), ("5", "0", 0)],
)
def test_points_are_floored_exactly(amount, rate, expected):
    assert points_for(Decimal(amount), Decimal(rate)) == expected

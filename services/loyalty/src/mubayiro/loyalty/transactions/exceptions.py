"""Errors of the ledger."""

from __future__ import annotations

from mubayiro.common.errors import Conflict


class InsufficientPoints(Conflict):
    """The customer's balance does not cover the redemption (nothing was changed)."""

    default_detail = "The customer does not have enough points"

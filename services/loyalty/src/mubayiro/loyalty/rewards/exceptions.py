"""Errors of the rewards module."""

from __future__ import annotations

from mubayiro.common.errors import InvalidInput, NotFound


class RewardNotFound(NotFound):
    """No reward with that id in this business's catalog."""

    default_detail = "Reward not found"


class RewardInactive(InvalidInput):
    """The reward was deactivated: it can no longer be redeemed."""

    default_detail = "This reward is no longer offered"


class RewardCostMismatch(InvalidInput):
    """A redemption of a catalog reward must redeem exactly its cost."""

    default_detail = "points_to_redeem must equal the reward's points_cost"

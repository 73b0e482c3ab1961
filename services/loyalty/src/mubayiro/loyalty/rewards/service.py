"""Rules of the rewards catalog.

A business manages its own catalog (the routes check ownership before anything
here runs). Rewards are never deleted: "delete" deactivates, so past redemptions
keep pointing at the reward they were for, and a deactivated reward can be brought
back with ``PATCH {"active": true}``. Customers see only active rewards; a
redemption may name only an active reward of the redeeming business, for exactly
its cost (:meth:`RewardService.reward_for_redemption`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mubayiro.loyalty.models import Reward
from mubayiro.loyalty.rewards.exceptions import (
    RewardCostMismatch,
    RewardInactive,
    RewardNotFound,
)
from mubayiro.loyalty.rewards.repository import reward_repository
from mubayiro.loyalty.rewards.schemas import (
    BusinessReward,
    CustomerReward,
    RewardCreate,
    RewardSummary,
    RewardUpdate,
)


class RewardService:
    """The rewards catalog (a module singleton: ``reward_service``)."""

    def list_for_business(
        self, session: Session, business_id: int, *, include_inactive: bool
    ) -> list[BusinessReward]:
        """A business's catalog, cheapest first."""
        rows = reward_repository.list_for_business(
            session, business_id, include_inactive=include_inactive
        )
        return [BusinessReward.model_validate(row) for row in rows]

    def active_summaries(self, session: Session, business_id: int) -> list[RewardSummary]:
        """A business's active rewards as the public sees them, cheapest first."""
        rows = reward_repository.list_for_business(session, business_id, include_inactive=False)
        return [RewardSummary.model_validate(row) for row in rows]

    def get(self, session: Session, business_id: int, reward_id: int) -> Reward:
        """The reward ``reward_id`` of ``business_id``'s catalog, active or not.

        Raises:
            RewardNotFound: no such reward, or it belongs to another business (the
                same 404, so ids of other catalogs cannot be probed).
        """
        reward = reward_repository.get_for_business(session, business_id, reward_id)
        if reward is None:
            raise RewardNotFound()
        return reward

    def create(self, session: Session, business_id: int, data: RewardCreate) -> BusinessReward:
        """Add a reward to the catalog."""
        reward = reward_repository.insert(session, business_id, data.model_dump())
        return BusinessReward.model_validate(reward)

    def update(self, session: Session, reward: Reward, changes: RewardUpdate) -> BusinessReward:
        """Change the fields sent."""
        updated = reward_repository.update(session, reward, changes.changes())
        return BusinessReward.model_validate(updated)

    def deactivate(self, session: Session, reward: Reward) -> None:
        """Take the reward out of the catalog (soft delete; repeating it changes nothing)."""
        reward_repository.update(session, reward, {"active": False})

    def reward_for_redemption(
        self, session: Session, business_id: int, reward_id: int, points: int
    ) -> Reward:
        """The reward a redemption names, checked: this business's, active, ``points`` cost.

        Raises:
            RewardNotFound: no such reward in this business's catalog (404).
            RewardInactive: the reward was deactivated (422).
            RewardCostMismatch: ``points`` is not the reward's ``points_cost`` (422).
        """
        reward = self.get(session, business_id, reward_id)
        if not reward.active:
            raise RewardInactive()
        if points != reward.points_cost:
            raise RewardCostMismatch(
                f"points_to_redeem is {points} but this reward costs {reward.points_cost} points"
            )
        return reward

    def catalog_for_customer(
        self, session: Session, balance: int, *, limit: int, offset: int
    ) -> list[CustomerReward]:
        """Every active reward of every business as seen with ``balance`` points.

        Redeemable first, then by the points still missing (see the repository).
        """
        rows = reward_repository.list_for_customer(session, balance, limit=limit, offset=offset)
        return [CustomerReward.model_validate(row) for row in rows]


reward_service = RewardService()

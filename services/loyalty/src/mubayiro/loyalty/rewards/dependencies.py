"""Dependencies that load a reward of the caller's own business as they inject it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mubayiro.loyalty.businesses.dependencies import OwnedBusinessId
from mubayiro.loyalty.deps import WriteSession
from mubayiro.loyalty.models import Reward
from mubayiro.loyalty.rewards.schemas import RewardIdPath
from mubayiro.loyalty.rewards.service import reward_service


def own_reward(
    business_id: OwnedBusinessId, reward_id: RewardIdPath, session: WriteSession
) -> Reward:
    """The reward ``reward_id`` of the caller's own business, for one of its owners
    (403 / 404 otherwise; changing the catalog is owner-only).

    Another business's reward under your own business's path is 404, not 403: the
    path names your catalog, and that reward is not in it.
    """
    return reward_service.get(session, business_id, reward_id)


OwnReward = Annotated[Reward, Depends(own_reward)]

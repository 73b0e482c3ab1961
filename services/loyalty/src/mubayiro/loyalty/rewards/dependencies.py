"""Dependencies that load a reward of the caller's own business as they inject it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mubayiro.loyalty.businesses.dependencies import OwnBusinessId
from mubayiro.loyalty.deps import WriteSession
from mubayiro.loyalty.models import Reward
from mubayiro.loyalty.rewards.schemas import RewardIdPath
from mubayiro.loyalty.rewards.service import reward_service


def own_reward(
    business_id: OwnBusinessId, reward_id: RewardIdPath, session: WriteSession
) -> Reward:
    """The reward ``reward_id`` of the caller's own business (403 / 404 otherwise).

    Another business's reward under your own business's path is 404, not 403: the
    path names your catalog, and that reward is not in it.
    """
    return reward_service.get(session, business_id, reward_id)


OwnReward = Annotated[Reward, Depends(own_reward)]

"""Routes of a business's rewards catalog (the business itself only): every staff
member may list it (a cashier redeems catalog rewards), only an owner changes it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.common.idempotency import idempotent
from mubayiro.common.security import OwnerOnly
from mubayiro.loyalty.businesses.dependencies import OwnBusinessId, OwnedBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.deps import CurrentOwner, ReadSession, WriteSession
from mubayiro.loyalty.rewards.dependencies import OwnReward
from mubayiro.loyalty.rewards.exceptions import RewardNotFound
from mubayiro.loyalty.rewards.schemas import BusinessReward, RewardCreate, RewardUpdate
from mubayiro.loyalty.rewards.service import reward_service

router = APIRouter(tags=["rewards"], route_class=SessionRoute)


@router.get(
    "/businesses/{business_id}/rewards",
    response_model=list[BusinessReward],
    responses=error_responses(Unauthorized, Forbidden, BusinessNotFound, InvalidInput),
)
def list_rewards(
    business_id: OwnBusinessId,
    session: ReadSession,
    include_inactive: Annotated[bool, Query(description="Also list deactivated ones.")] = False,
) -> list[BusinessReward]:
    """Your catalog, cheapest first (active rewards unless ``include_inactive``)."""
    return reward_service.list_for_business(
        session, business_id, include_inactive=include_inactive
    )


@router.post(
    "/businesses/{business_id}/rewards",
    response_model=BusinessReward,
    status_code=201,
    responses=error_responses(Unauthorized, OwnerOnly, BusinessNotFound, InvalidInput),
)
@idempotent
def create_reward(
    caller: CurrentOwner,
    business_id: OwnedBusinessId,
    body: RewardCreate,
    session: WriteSession,
) -> BusinessReward:
    """Add a reward to your catalog."""
    return reward_service.create(session, business_id, body)


@router.patch(
    "/businesses/{business_id}/rewards/{reward_id}",
    response_model=BusinessReward,
    responses=error_responses(
        Unauthorized, OwnerOnly, BusinessNotFound, RewardNotFound, InvalidInput
    ),
)
@idempotent
def update_reward(
    caller: CurrentOwner,
    reward: OwnReward,
    body: RewardUpdate,
    session: WriteSession,
) -> BusinessReward:
    """Change some fields of one of your rewards (``active`` brings one back)."""
    return reward_service.update(session, reward, body)


@router.delete(
    "/businesses/{business_id}/rewards/{reward_id}",
    status_code=204,
    responses=error_responses(
        Unauthorized, OwnerOnly, BusinessNotFound, RewardNotFound, InvalidInput
    ),
)
def delete_reward(reward: OwnReward, session: WriteSession) -> Response:
    """Withdraw one of your rewards (it is deactivated, never erased)."""
    reward_service.deactivate(session, reward)
    return Response(status_code=204)

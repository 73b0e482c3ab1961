"""Routes of a business's cross-promotions (the business itself only)."""

from __future__ import annotations

from fastapi import APIRouter

from mubayiro.common.errors import Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.loyalty.businesses.dependencies import OwnBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.cross_promotions.schemas import CrossPromotions, CrossPromotionsUpdate
from mubayiro.loyalty.cross_promotions.service import cross_promotion_service
from mubayiro.loyalty.deps import SessionDep

router = APIRouter(tags=["cross-promotions"])

_ERRORS = error_responses(Unauthorized, Forbidden, BusinessNotFound, InvalidInput)


@router.get(
    "/businesses/{business_id}/cross_promotions",
    response_model=CrossPromotions,
    responses=_ERRORS,
)
def get_cross_promotions(business_id: OwnBusinessId, session: SessionDep) -> CrossPromotions:
    """The partner businesses you promote to your customers."""
    return cross_promotion_service.get(session, business_id)


@router.put(
    "/businesses/{business_id}/cross_promotions",
    response_model=CrossPromotions,
    responses=_ERRORS,
)
def set_cross_promotions(
    business_id: OwnBusinessId, body: CrossPromotionsUpdate, session: SessionDep
) -> CrossPromotions:
    """Replace the list of partner businesses you promote (at most 10)."""
    return cross_promotion_service.replace(session, business_id, body)

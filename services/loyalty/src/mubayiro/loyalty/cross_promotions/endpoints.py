"""Routes of a business's cross-promotions (its owners only), and the internal
offers read: a business's page with its partners, for the MCP server."""

from __future__ import annotations

from fastapi import APIRouter

from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import InvalidInput, Unauthorized, error_responses
from mubayiro.common.security import OwnerOnly
from mubayiro.loyalty.businesses.dependencies import OwnedBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.businesses.schemas import BusinessIdPath
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.cross_promotions.schemas import (
    BusinessOffers,
    CrossPromotions,
    CrossPromotionsUpdate,
)
from mubayiro.loyalty.cross_promotions.service import cross_promotion_service
from mubayiro.loyalty.deps import ReadSession, ServiceCaller, WriteSession

router = APIRouter(tags=["cross-promotions"], route_class=SessionRoute)

_ERRORS = error_responses(Unauthorized, OwnerOnly, BusinessNotFound, InvalidInput)


@router.get(
    "/businesses/{business_id}/cross_promotions",
    response_model=CrossPromotions,
    responses=_ERRORS,
)
def get_cross_promotions(business_id: OwnedBusinessId, session: ReadSession) -> CrossPromotions:
    """The partner businesses you promote to your customers."""
    return cross_promotion_service.get(session, business_id)


@router.put(
    "/businesses/{business_id}/cross_promotions",
    response_model=CrossPromotions,
    responses=_ERRORS,
)
def set_cross_promotions(
    business_id: OwnedBusinessId, body: CrossPromotionsUpdate, session: WriteSession
) -> CrossPromotions:
    """Replace the list of partner businesses you promote (at most 10)."""
    return cross_promotion_service.replace(session, business_id, body)


@router.get(
    "/internal/businesses/{business_id}/offers",
    response_model=BusinessOffers,
    include_in_schema=False,
)
def get_business_offers(
    _caller: ServiceCaller, business_id: BusinessIdPath, session: ReadSession
) -> BusinessOffers:
    """A business's program, active rewards and promoted partners (404 when unknown)."""
    page = business_service.public_page(session, business_id)
    partners = cross_promotion_service.get(session, business_id).partners
    return BusinessOffers(**page.model_dump(), partners=partners)

"""Routes of recommendations: a customer's own, and the engine's description."""

from __future__ import annotations

from fastapi import APIRouter

from mubayiro.common.db import utcnow
from mubayiro.common.errors import Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.loyalty.customers.dependencies import OwnPhoneNumber
from mubayiro.loyalty.deps import RecommenderDep, SessionDep
from mubayiro.loyalty.recommendations.schemas import Capabilities, Recommendations
from mubayiro.loyalty.recommendations.service import recommendation_service

router = APIRouter(tags=["recommendations"])


# Declared before "/customers/recommendations/{phone_number}", which would otherwise
# take "capabilities" for a phone number.
@router.get("/customers/recommendations/capabilities", response_model=Capabilities)
def get_capabilities(recommender: RecommenderDep) -> Capabilities:
    """What each recommendation rule does, with its configured thresholds (public)."""
    return recommendation_service.capabilities(recommender)


@router.get(
    "/customers/recommendations/{phone_number}",
    response_model=Recommendations,
    responses=error_responses(Unauthorized, Forbidden, InvalidInput),
)
def get_recommendations(
    phone_number: OwnPhoneNumber, session: SessionDep, recommender: RecommenderDep
) -> Recommendations:
    """Your recommendations, best first (customer token for that phone)."""
    return recommendation_service.for_customer(
        session, recommender, phone_number, now=utcnow()
    )

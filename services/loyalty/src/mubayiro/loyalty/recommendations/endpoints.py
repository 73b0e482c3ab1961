"""Routes of recommendations: a customer's own, the engine's description, and the
internal read for a service acting for a customer it has verified (the MCP server)."""

from __future__ import annotations

from fastapi import APIRouter

from mubayiro.common.db import utcnow
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.loyalty.customers.dependencies import OwnPhoneNumber, PhoneNumberPath
from mubayiro.loyalty.deps import ReadSession, RecommenderDep, ServiceCaller
from mubayiro.loyalty.recommendations.schemas import Capabilities, Recommendations
from mubayiro.loyalty.recommendations.service import recommendation_service

router = APIRouter(tags=["recommendations"], route_class=SessionRoute)


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
    phone_number: OwnPhoneNumber, session: ReadSession, recommender: RecommenderDep
) -> Recommendations:
    """Your recommendations, best first (customer token for that phone)."""
    return recommendation_service.for_customer(
        session, recommender, phone_number, now=utcnow()
    )


@router.get(
    "/internal/customers/{phone_number}/recommendations",
    response_model=Recommendations,
    include_in_schema=False,
)
def get_recommendations_internal(
    _caller: ServiceCaller,
    phone_number: PhoneNumberPath,
    session: ReadSession,
    recommender: RecommenderDep,
) -> Recommendations:
    """A customer's recommendations, for a service acting for that customer."""
    return recommendation_service.for_customer(
        session, recommender, phone_number, now=utcnow()
    )

"""Routes of loyalty programs: the public directory, a program, and its rules, plus the
whole directory for services (``/internal/businesses``, e.g. the MCP server's fuzzy
match of a business name)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import InvalidInput, Unauthorized, error_responses
from mubayiro.common.idempotency import idempotent
from mubayiro.common.security import OwnerOnly
from mubayiro.common.text import NoHiddenCharacters
from mubayiro.loyalty.businesses.dependencies import KnownBusinessId, OwnedBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.businesses.schemas import (
    BusinessPage,
    BusinessProgram,
    BusinessSummary,
    LoyaltyRulesUpdate,
)
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.deps import (
    CurrentOwner,
    ReadSession,
    ServiceCaller,
    SettingsDep,
    WriteSession,
)

router = APIRouter(tags=["businesses"], route_class=SessionRoute)

#: Paging past this many businesses is refused (422) rather than sent to the database.
MAX_OFFSET = 1_000_000


@router.get(
    "/businesses",
    response_model=list[BusinessSummary],
    responses=error_responses(InvalidInput),
)
def list_businesses(
    session: ReadSession,
    q: Annotated[
        str | None, Query(max_length=100, description="Part of the name."), NoHiddenCharacters
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[BusinessSummary]:
    """The public directory of businesses, sorted by name."""
    businesses = business_service.list_directory(session, q=q, limit=limit, offset=offset)
    return [BusinessSummary.model_validate(b) for b in businesses]


@router.get(
    "/businesses/{business_id}",
    response_model=BusinessPage,
    responses=error_responses(BusinessNotFound, InvalidInput),
)
def get_business(business_id: KnownBusinessId, session: ReadSession) -> BusinessPage:
    """A business's loyalty program and its active rewards."""
    return business_service.public_page(session, business_id)


@router.post(
    "/businesses/{business_id}/loyalty_rules",
    response_model=BusinessProgram,
    responses=error_responses(Unauthorized, OwnerOnly, BusinessNotFound, InvalidInput),
)
@idempotent
def set_loyalty_rules(
    caller: CurrentOwner,
    business_id: OwnedBusinessId,
    rules: LoyaltyRulesUpdate,
    session: WriteSession,
    settings: SettingsDep,
) -> BusinessProgram:
    """Set your program's loyalty rate (points per unit of money spent; owners only)."""
    return business_service.set_loyalty_rules(session, business_id, rules, settings=settings)


@router.get(
    "/internal/businesses", response_model=list[BusinessSummary], include_in_schema=False
)
def list_businesses_internal(
    _caller: ServiceCaller,
    session: ReadSession,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[BusinessSummary]:
    """The directory (or the names containing ``q``) in pages of up to 1,000, sorted by
    name (service token)."""
    businesses = business_service.list_directory(session, q=q, limit=limit, offset=offset)
    return [BusinessSummary.model_validate(b) for b in businesses]

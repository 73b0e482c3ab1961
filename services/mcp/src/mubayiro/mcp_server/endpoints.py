"""The HTTP routes beside the MCP endpoint: the plain-JSON mirrors of the tools, and the
OAuth protected-resource metadata (RFC 9728) the MCP authorization spec asks for.

The mirrors answer what the tools answer, from the same :class:`LoyaltyReader` methods,
with the platform's error shape instead of tool errors (403 for another customer's
number, 404 for an unknown business, 422 for a bad number, 429 when rate-limited).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthorized,
    error_responses,
)
from mubayiro.mcp_server.deps import CallerDep, ReaderDep, SettingsDep
from mubayiro.mcp_server.schemas import (
    Business,
    CustomerPoints,
    CustomerTransactions,
    Recommendations,
)

router = APIRouter(tags=["mcp"], route_class=SessionRoute)
metadata_router = APIRouter(tags=["mcp"], route_class=SessionRoute)

_ERRORS = error_responses(Unauthorized, Forbidden, NotFound, InvalidInput, TooManyRequests)
PhonePath = Annotated[str, Path(max_length=32, description="E.164 or local form")]


@router.get("/mcp/customer/points/{phone_number}", response_model=CustomerPoints,
            responses=_ERRORS)
def customer_points(
    phone_number: PhonePath, caller: CallerDep, reader: ReaderDep
) -> CustomerPoints:
    """The ``get_customer_points`` tool as JSON."""
    return reader.customer_points(caller, phone_number)


@router.get("/mcp/customer/transactions/{phone_number}", response_model=CustomerTransactions,
            responses=_ERRORS)
def customer_transactions(
    phone_number: PhonePath,
    caller: CallerDep,
    reader: ReaderDep,
    limit: Annotated[int | None, Query(ge=1, description="Capped at the maximum")] = None,
) -> CustomerTransactions:
    """The ``get_customer_transactions`` tool as JSON."""
    return reader.customer_transactions(caller, phone_number, limit)


@router.get("/mcp/business/{business_id}", response_model=Business, responses=_ERRORS)
def business(
    business_id: Annotated[int, Path(ge=1, le=2**31 - 1)], _caller: CallerDep, reader: ReaderDep
) -> Business:
    """The ``get_business`` tool as JSON."""
    return reader.business(business_id)


@router.get("/mcp/recommendations/{phone_number}", response_model=Recommendations,
            responses=_ERRORS)
def recommendations(
    phone_number: PhonePath, caller: CallerDep, reader: ReaderDep
) -> Recommendations:
    """The ``get_recommendations`` tool as JSON."""
    return reader.recommendations(caller, phone_number)


def _metadata(settings: SettingsDep) -> dict[str, Any]:
    return {
        "resource": settings.public_url,
        "authorization_servers": [settings.authorization_server_url],
        "bearer_methods_supported": ["header"],
        "resource_name": "Mubayiro loyalty MCP server",
        "scopes_supported": [],
    }


@metadata_router.get("/.well-known/oauth-protected-resource")
@metadata_router.get("/.well-known/oauth-protected-resource/mcp")
@metadata_router.get("/mcp/.well-known/oauth-protected-resource")
def protected_resource_metadata(settings: SettingsDep) -> dict[str, Any]:
    """OAuth protected-resource metadata (RFC 9728) of the MCP endpoint."""
    return _metadata(settings)

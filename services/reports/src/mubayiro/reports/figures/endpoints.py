"""The report routes (business token; the caller's own business only).

Each takes optional ``from``/``to`` (inclusive UTC days, ``YYYY-MM-DD``) and, optionally,
``business_id``, which must then be the caller's (403 otherwise).

``internal_router`` holds the one internal read: a business's summary for a service
(token ``role=service``) that has verified the business's own token itself and names
it in the path — the MCP server's ``get_business_summary`` tool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from mubayiro.common.deps import ReadSession, SessionRoute
from mubayiro.common.errors import Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.common.security import ServiceCaller
from mubayiro.reports.figures.dependencies import (
    ReportDateRange,
    ReportedBusinessId,
    TopLimit,
)
from mubayiro.reports.figures.schemas import (
    CustomerCountReport,
    PointsIssuedReport,
    RedemptionsReport,
    SummaryReport,
    TopCustomersReport,
)
from mubayiro.reports.figures.service import report_service

router = APIRouter(prefix="/reports", tags=["reports"], route_class=SessionRoute)
internal_router = APIRouter(prefix="/internal/reports", include_in_schema=False,
                            route_class=SessionRoute)

_ERRORS = error_responses(Unauthorized, Forbidden, InvalidInput)


@router.get("/total_points_issued", response_model=PointsIssuedReport, responses=_ERRORS)
def total_points_issued(
    business_id: ReportedBusinessId, days: ReportDateRange, session: ReadSession
) -> PointsIssuedReport:
    """Points your business issued: earned by purchases plus referral bonuses given."""
    return report_service.points_issued(session, business_id, days)


@router.get("/total_redemptions", response_model=RedemptionsReport, responses=_ERRORS)
def total_redemptions(
    business_id: ReportedBusinessId, days: ReportDateRange, session: ReadSession
) -> RedemptionsReport:
    """How many redemptions at your business, and how many points they took."""
    return report_service.redemptions(session, business_id, days)


@router.get("/customer_count", response_model=CustomerCountReport, responses=_ERRORS)
def customer_count(
    business_id: ReportedBusinessId, days: ReportDateRange, session: ReadSession
) -> CustomerCountReport:
    """How many distinct customers had a transaction at your business."""
    return report_service.customer_count(session, business_id, days)


@router.get("/top_customers", response_model=TopCustomersReport, responses=_ERRORS)
def top_customers(
    business_id: ReportedBusinessId, days: ReportDateRange, session: ReadSession,
    limit: TopLimit = 5,
) -> TopCustomersReport:
    """Your customers who earned the most points at your business (ties by phone number)."""
    return report_service.top_customers(session, business_id, days, limit=limit)


@router.get("/summary", response_model=SummaryReport, responses=_ERRORS)
def summary(
    business_id: ReportedBusinessId, days: ReportDateRange, session: ReadSession,
    limit: TopLimit = 5,
) -> SummaryReport:
    """Every figure at once, with points issued and redeemed per day (zeros included)."""
    return report_service.summary(session, business_id, days, limit=limit)


@internal_router.get("/{business_id}/summary", response_model=SummaryReport)
def summary_internal(
    _caller: ServiceCaller,
    business_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    days: ReportDateRange,
    session: ReadSession,
    limit: TopLimit = 5,
) -> SummaryReport:
    """``business_id``'s summary, for a service acting for that business (service token)."""
    return report_service.summary(session, business_id, days, limit=limit)

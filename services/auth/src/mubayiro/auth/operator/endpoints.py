"""The operator's routes, ``/internal/operator/*``: never routed by the gateway, and
open only to a service token of an operator client (``AUTH_OPERATOR_CLIENTS``; its
secret in ``AUTH_SERVICE_CLIENTS``). The same actions are on the command line:
``python -m mubayiro.auth approve|suspend|businesses`` (:mod:`mubayiro.auth.operator.cli`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from mubayiro.auth.businesses.dependencies import MAX_ID
from mubayiro.auth.businesses.exceptions import BusinessNotFound
from mubayiro.auth.businesses.schemas import BusinessIdentity, BusinessStatus
from mubayiro.auth.deps import ClockDep, PublisherDep, ReadSession, WriteSession
from mubayiro.auth.operator.dependencies import OperatorCaller
from mubayiro.auth.operator.exceptions import OperatorOnly
from mubayiro.auth.operator.schemas import StatusChange
from mubayiro.auth.operator.service import operator_service
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import InvalidInput, error_responses

router = APIRouter(prefix="/internal/operator", tags=["internal"], route_class=SessionRoute)


@router.get(
    "/businesses",
    response_model=list[BusinessIdentity],
    responses=error_responses(OperatorOnly, InvalidInput),
)
def list_businesses(
    _operator: OperatorCaller,
    session: ReadSession,
    status: Annotated[BusinessStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[BusinessIdentity]:
    """Businesses, oldest first; ``status=pending`` lists those waiting for approval."""
    businesses = operator_service.list(session, status, limit=limit, offset=offset)
    return [BusinessIdentity.model_validate(b) for b in businesses]


@router.post(
    "/businesses/{business_id}/status",
    response_model=BusinessIdentity,
    responses=error_responses(OperatorOnly, BusinessNotFound, InvalidInput),
)
def set_business_status(
    _operator: OperatorCaller,
    business_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    change: StatusChange,
    session: WriteSession,
    publisher: PublisherDep,
    clock: ClockDep,
) -> BusinessIdentity:
    """Approve (``active``), suspend or set back to ``pending`` a business; loyalty learns
    it from ``business.updated``. Suspending ends its staff's sessions."""
    business = operator_service.set_status(
        session, business_id, change.status, publisher=publisher, now=clock()
    )
    return BusinessIdentity.model_validate(business)

"""Routes of referrals for businesses: track, complete, list (rules in ``service``).

Any staff member may track referrals and list them; completing one pays a bonus out
of the business's points, so it is the owner's (403 ``OwnerOnly`` for a cashier).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mubayiro.common.deps import ReadSession, SessionRoute, WriteSession
from mubayiro.common.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    TooManyRequests,
    Unauthorized,
    UpstreamTimeout,
    UpstreamUnavailable,
    error_responses,
)
from mubayiro.common.idempotency import idempotent
from mubayiro.common.security import CurrentBusiness, CurrentOwner, OwnerOnly
from mubayiro.referrals.deps import LoyaltyClientDep, PublisherDep, SettingsDep
from mubayiro.referrals.tracking.exceptions import ReferralNotFound
from mubayiro.referrals.tracking.schemas import (
    CompleteRequest,
    ReferralOut,
    ReferralPage,
    ReferralStatus,
    TrackRequest,
)
from mubayiro.referrals.tracking.service import referral_service

router = APIRouter(tags=["referrals"], route_class=SessionRoute)

_UPSTREAM = (UpstreamUnavailable, UpstreamTimeout)


@router.post(
    "/referrals/track",
    response_model=ReferralOut,
    status_code=201,
    responses=error_responses(Unauthorized, Forbidden, Conflict, InvalidInput, *_UPSTREAM),
)
@idempotent
def track_referral(
    caller: CurrentBusiness,
    body: TrackRequest,
    read: ReadSession,
    session: WriteSession,
    loyalty: LoyaltyClientDep,
) -> ReferralOut:
    """Record that a new customer was referred (or claim a customer's invitation)."""
    return referral_service.track(read, session, loyalty, caller, body)


@router.post(
    "/referrals/complete",
    response_model=ReferralOut,
    responses=error_responses(
        Unauthorized, OwnerOnly, ReferralNotFound, Conflict, InvalidInput, TooManyRequests,
        *_UPSTREAM,
    ),
)
@idempotent
def complete_referral(
    caller: CurrentOwner,
    body: CompleteRequest,
    read: ReadSession,
    session: WriteSession,
    loyalty: LoyaltyClientDep,
    publisher: PublisherDep,
    settings: SettingsDep,
) -> ReferralOut:
    """Pay the referrer's bonus (exactly once) and mark the referral completed (owners
    only; the referred customer must have bought at your business; your business must be
    active and the bonus within its award limits; without points, your default bonus)."""
    return referral_service.complete(
        read, session, loyalty, publisher, caller, body, max_points=settings.max_referral_points,
        default_points=settings.default_referral_points,
    )


@router.get(
    "/referrals",
    response_model=ReferralPage,
    responses=error_responses(Unauthorized, Forbidden, InvalidInput),
)
def list_referrals(
    caller: CurrentBusiness,
    session: ReadSession,
    status: Annotated[ReferralStatus | None, Query(description="Only this status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> ReferralPage:
    """Your business's referrals, newest first: one page and the total count."""
    return referral_service.page(session, caller, status=status, limit=limit, offset=offset)

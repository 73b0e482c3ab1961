"""The customer's invite route (rules in ``service``, SMS delivery in ``sender``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from mubayiro.common.deps import ReadSession, SessionRoute, WriteSession, app_state
from mubayiro.common.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    Unauthorized,
    UpstreamTimeout,
    UpstreamUnavailable,
    error_responses,
)
from mubayiro.common.idempotency import idempotent
from mubayiro.common.ratelimit import RateLimiter, Rule, TooManyAttempts
from mubayiro.common.security import CurrentCustomer
from mubayiro.referrals.deps import (
    InvitationWakeupDep,
    LoyaltyClientDep,
    SettingsDep,
)
from mubayiro.referrals.invitations.exceptions import TooManyInvites
from mubayiro.referrals.invitations.schemas import InviteRequest, InviteResult
from mubayiro.referrals.invitations.service import invitation_service

router = APIRouter(tags=["referrals"], route_class=SessionRoute)
RateLimiterDep = Annotated[RateLimiter, Depends(app_state("rate_limiter"))]


def count_invite_attempt(
    caller: CurrentCustomer, limiter: RateLimiterDep, settings: SettingsDep
) -> None:
    """Every invitation attempt counts against the inviter, refused or not (before the
    request's transaction begins: the counter is a write of its own)."""
    who = caller.phone_number or caller.subject
    limiter.hit([Rule("invite-customer", settings.invite_attempt_limit, who)])


@router.post(
    "/referrals/invite",
    response_model=InviteResult,
    status_code=201,
    responses=error_responses(
        Unauthorized, Forbidden, Conflict, InvalidInput, TooManyInvites, TooManyAttempts,
        UpstreamUnavailable, UpstreamTimeout,
    ),
)
@idempotent
def invite_friend(
    _attempts: Annotated[None, Depends(count_invite_attempt)],
    caller: CurrentCustomer,
    body: InviteRequest,
    read: ReadSession,
    session: WriteSession,
    loyalty: LoyaltyClientDep,
    settings: SettingsDep,
    wakeup: InvitationWakeupDep,
) -> InviteResult:
    """Invite a friend by SMS: a pending referral with you as the referrer."""
    return invitation_service.invite(
        read, session, loyalty, caller, body, max_per_day=settings.max_invites_per_day,
        wakeup=wakeup,
    )

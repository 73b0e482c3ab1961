"""The customer's invite route (rules in ``service``, SMS delivery in ``sender``)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from mubayiro.common.deps import IdempotencyKey, SessionDep
from mubayiro.common.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    Unauthorized,
    UpstreamTimeout,
    UpstreamUnavailable,
    error_responses,
)
from mubayiro.common.idempotency import mark_replayed
from mubayiro.common.security import CurrentCustomer
from mubayiro.referrals.deps import (
    DatabaseDep,
    InvitationWakeupDep,
    LoyaltyClientDep,
    SettingsDep,
)
from mubayiro.referrals.invitations.exceptions import TooManyInvites
from mubayiro.referrals.invitations.schemas import InviteRequest, InviteResult
from mubayiro.referrals.invitations.service import invitation_service

router = APIRouter(tags=["referrals"])


@router.post(
    "/referrals/invite",
    response_model=InviteResult,
    status_code=201,
    responses=error_responses(
        Unauthorized, Forbidden, Conflict, InvalidInput, TooManyInvites, UpstreamUnavailable,
        UpstreamTimeout,
    ),
)
def invite_friend(
    caller: CurrentCustomer,
    body: InviteRequest,
    session: SessionDep,
    database: DatabaseDep,
    loyalty: LoyaltyClientDep,
    settings: SettingsDep,
    wakeup: InvitationWakeupDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> InviteResult:
    """Invite a friend by SMS: a pending referral with you as the referrer."""
    result, replayed = invitation_service.invite(
        database, session, loyalty, caller, body, max_per_day=settings.max_invites_per_day,
        wakeup=wakeup, idempotency_key=idempotency_key,
    )
    mark_replayed(response, replayed)
    return InviteResult.model_validate(result)

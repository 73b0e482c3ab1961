"""``POST /auth/password_reset/request``, ``POST /auth/password_reset/confirm``, and the
development mailbox ``GET /auth/dev/mail``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Response, status

from mubayiro.auth.businesses.schemas import Email
from mubayiro.auth.deps import ClockDep, WriteSession
from mubayiro.auth.mail import send_quietly
from mubayiro.auth.password_reset.dependencies import (
    ConsoleMailbox,
    MailProviderDep,
    ResetPolicyDep,
)
from mubayiro.auth.password_reset.exceptions import DevMailNotAvailable, InvalidResetToken
from mubayiro.auth.password_reset.schemas import (
    ResetConfirm,
    ResetRequest,
    ResetRequested,
    SentMail,
)
from mubayiro.auth.password_reset.service import password_reset_service
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import InvalidInput, error_responses

router = APIRouter(prefix="/auth", tags=["auth"], route_class=SessionRoute)


@router.post(
    "/password_reset/request",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ResetRequested,
    responses=error_responses(InvalidInput),
)
def request_password_reset(
    data: ResetRequest,
    session: WriteSession,
    clock: ClockDep,
    policy: ResetPolicyDep,
    provider: MailProviderDep,
    background: BackgroundTasks,
) -> ResetRequested:
    """E-mail a single-use reset link to the staff member with this address (the same
    202 whether or not there is one)."""
    mail = password_reset_service.request(session, data.email, now=clock(), policy=policy)
    if mail is not None:
        # After the answer (and the commit): the mail server's speed must not tell
        # whether the address has an account.
        background.add_task(send_quietly, provider, mail)
    return ResetRequested(expires_in=int(policy.ttl.total_seconds()))


@router.post(
    "/password_reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(InvalidResetToken, InvalidInput),
)
def confirm_password_reset(data: ResetConfirm, session: WriteSession, clock: ClockDep) -> Response:
    """Set a new password with the token from the reset link; every session of the
    account ends."""
    password_reset_service.confirm(session, data.token, data.password, now=clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/dev/mail",
    response_model=list[SentMail],
    responses=error_responses(DevMailNotAvailable),
)
def list_dev_mail(
    mailbox: ConsoleMailbox,
    to: Annotated[Email | None, Query(description="Only mail to this address")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[SentMail]:
    """The mail that would have been sent, newest first (console provider, development
    only)."""
    return [SentMail.model_validate(m) for m in mailbox.sent(to=to, limit=limit)]

"""Inviting a friend (``POST /referrals/invite``, customer token). Never commits.

An invitation is a pending referral with the inviter as referrer and **no business**:
the first business where the friend buys claims it (loyalty's ``points.earned``, see
``purchases``), or one that tracks the friend with the inviter as referrer (see
``tracking.service``); it is then that shop's pending referral, completed by the shop.

Refused: inviting yourself (422 ``SelfReferral``), a friend who already has a referrer —
an open invitation or a shop's referral — (409 ``AlreadyReferred``), a friend who is
already a customer — loyalty knows their balance — (409 ``AlreadyACustomer``), and more than
``max_invites_per_day`` invitations in the rolling last 24 hours (429 ``TooManyInvites``
with ``Retry-After``). As for tracking, the checks run in the route's read session, loyalty
is asked before the write session begins (no write lock held), and the write
transaction checks again.

How the SMS is never lost. The referral, the inviter's referral code and an
``invitation`` row holding the exact SMS text (``sms_status = 'pending'``) are written
in **one** transaction: either the invitation exists with its SMS owed, or nothing does.
Nothing calls notifications inside that transaction. Once it commits, the
:class:`~mubayiro.referrals.invitations.sender.InvitationSender` thread is woken; it
POSTs the SMS to notifications' ``/internal/sms`` with ``Idempotency-Key:
invite-<referral_id>`` and retries with backoff until notifications takes it (202), so
a notifications outage only delays the SMS, and the key makes every retry — even one
after a lost answer — the same single SMS. The route answers 201 at once with
``sms_status: "pending"``; the invitation's row records what became of the SMS.
"""

from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.tokens import Principal
from mubayiro.referrals.clients.loyalty import LoyaltyClient
from mubayiro.referrals.codes.service import code_service
from mubayiro.referrals.invitations.exceptions import AlreadyACustomer, TooManyInvites
from mubayiro.referrals.invitations.repository import invitation_repository
from mubayiro.referrals.invitations.schemas import InviteRequest, InviteResult
from mubayiro.referrals.invitations.texts import invitation_text
from mubayiro.referrals.models import PENDING, SMS_PENDING, Invitation, Referral
from mubayiro.referrals.tracking.exceptions import AlreadyReferred, SelfReferral
from mubayiro.referrals.tracking.repository import referral_repository

#: The rate limit's rolling window.
INVITE_WINDOW = timedelta(hours=24)
#: What notifications stores the SMS as.
SMS_KIND = "referral_invite"


def sms_idempotency_key(referral_id: int) -> str:
    """The key notifications stores an invitation SMS under: one SMS per invitation."""
    return f"invite-{referral_id}"


class InvitationService:
    """Customers inviting friends (a module singleton: ``invitation_service``)."""

    def _invites_left(self, session: Session, inviter: str, now: datetime, limit: int) -> int:
        """How many more invitations ``inviter`` may send now.

        Raises:
            TooManyInvites: none (429, ``Retry-After`` = seconds until one frees up).
        """
        recent = invitation_repository.sent_since(session, inviter, now - INVITE_WINDOW)
        if len(recent) < limit:
            return limit - len(recent)
        # The window frees a slot when the oldest invitation that counts leaves it.
        frees_at = recent[len(recent) - limit] + INVITE_WINDOW
        seconds = max(1, math.ceil((frees_at - now).total_seconds()))
        raise TooManyInvites(
            f"At most {limit} invitations per 24 hours; try again in "
            f"{math.ceil(seconds / 60)} minutes",
            headers={"Retry-After": str(seconds)},
        )

    def invite(
        self,
        read: Session,
        session: Session,
        loyalty: LoyaltyClient,
        caller: Principal,
        request: InviteRequest,
        *,
        max_per_day: int,
        wakeup: threading.Event,
    ) -> InviteResult:
        """Record the invitation and owe its SMS.

        ``read`` is the request's read session; ``session`` its write session, untouched
        until loyalty has answered.

        Raises:
            SelfReferral: the friend is the caller (422).
            TooManyInvites: the caller's daily invitations are used up (429).
            AlreadyReferred: the friend has a referrer (409).
            AlreadyACustomer: the friend is a customer already (409).
            UpstreamUnavailable, UpstreamTimeout, UpstreamError: loyalty failed (503/504/502).
        """
        inviter = caller.phone_number
        assert inviter is not None  # a customer token
        friend = request.friend_phone_number
        if friend == inviter:
            raise SelfReferral("You cannot invite yourself")
        self._invites_left(read, inviter, utcnow(), max_per_day)
        if referral_repository.has_any(read, friend):
            raise AlreadyReferred()
        # The write session has not begun: no lock is held while loyalty answers.
        if loyalty.is_customer(friend):
            raise AlreadyACustomer()
        now = utcnow()
        # Again inside the write transaction: on SQLite writers are serialised, so two
        # racing invites cannot both take the last slot.
        left = self._invites_left(session, inviter, now, max_per_day)
        code = code_service.code_for(session, inviter, now)
        referral = Referral(
            business_id=None,
            referrer_phone_number=inviter,
            referred_phone_number=friend,
            status=PENDING,
            referral_code_used=code,
            created_at=now,
        )
        if not referral_repository.try_insert(session, referral):
            raise AlreadyReferred()
        invitation_repository.add(session, Invitation(
            referral_id=referral.id,
            inviter_phone_number=inviter,
            friend_phone_number=friend,
            sms_body=invitation_text(inviter, code),
            sms_status=SMS_PENDING,
            sms_attempts=0,
            sms_next_attempt_at=now,
            created_at=now,
        ))
        # The SMS leaves only once the invitation exists for good.
        event.listen(session, "after_commit", lambda _s: wakeup.set(), once=True)
        return InviteResult(
            referral_id=referral.id, status="pending", friend_phone_number=friend,
            referral_code=code, sms_status="pending", invites_left_today=left - 1,
        )


invitation_service = InvitationService()

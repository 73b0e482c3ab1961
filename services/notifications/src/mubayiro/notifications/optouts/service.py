"""Opt-out rules. Never commits.

A customer who replies STOP gets no more *non-essential* SMS (points earned, redeemed,
referral bonuses, invitations, anything another service asks for without
``essential``) until they reply START. *Essential* SMS — the one-time sign-in codes a
customer asks for themselves — always go out: refusing them would lock the customer
out of their own account.

The rule is applied twice (see ``sms.service`` and ``sms.sender``): when an SMS is
queued, and again just before it is sent, so a STOP that arrives while messages wait in
the queue is honoured too. A skipped SMS stays in the outbox with status ``skipped``.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.phone import mask_phone, normalize_phone
from mubayiro.notifications.optouts.repository import optout_repository

logger = logging.getLogger(__name__)


class OptOutService:
    """Records STOP and START, and answers whether a number may get an SMS."""

    def opt_out(self, session: Session, phone_number: str) -> bool:
        """Opt ``phone_number`` out of non-essential SMS; False if it already was.

        Raises:
            InvalidPhoneNumber: not a valid phone number.
        """
        number = normalize_phone(phone_number)
        added = optout_repository.add(session, number, now=utcnow())
        logger.info("sms opt-out", extra={"phone": mask_phone(number), "new": added})
        return added

    def opt_in(self, session: Session, phone_number: str) -> bool:
        """Lift the opt-out of ``phone_number``; False if there was none.

        Raises:
            InvalidPhoneNumber: not a valid phone number.
        """
        number = normalize_phone(phone_number)
        removed = optout_repository.remove(session, number)
        logger.info("sms opt-in", extra={"phone": mask_phone(number), "was_opted_out": removed})
        return removed

    def is_opted_out(self, session: Session, phone_number: str) -> bool:
        """True when the E.164 ``phone_number`` has opted out."""
        return optout_repository.exists(session, phone_number)

    def may_send(self, session: Session, phone_number: str, *, essential: bool) -> bool:
        """Whether an SMS to the E.164 ``phone_number`` may go out (see module doc)."""
        return essential or not self.is_opted_out(session, phone_number)


optout_service = OptOutService()

"""Referral codes: made once per inviting customer, looked up when a business tracks.

A code names a *referrer*, not one invitation: every invitation a customer sends carries
the same code, and a friend who only heard it by word of mouth can give it at the till
too. The business then tracks the new customer with ``referral_code_used`` instead of
the referrer's phone number (which the friend may not know, and which the till need not
see). Codes are random (``secrets``), so they reveal nothing about the phone number.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from mubayiro.referrals.codes.repository import code_repository
from mubayiro.referrals.codes.schemas import CODE_ALPHABET
from mubayiro.referrals.models import CODE_LENGTH

# A clash is a one-in-many-millions event; ten in a row means something else is wrong.
_MAX_TRIES = 10


def new_code() -> str:
    """A fresh random code (not checked for uniqueness)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CodeService:
    """Customers' referral codes (a module singleton: ``code_service``)."""

    def code_for(self, session: Session, phone_number: str, now: datetime) -> str:
        """``phone_number``'s code, made now if it has none. Runs in the caller's transaction.

        Raises:
            RuntimeError: no free code was found in ten tries (never expected).
        """
        for _ in range(_MAX_TRIES):
            existing = code_repository.code_of(session, phone_number)
            if existing is not None:
                return existing
            if code_repository.try_insert(session, phone_number, new_code(), now):
                return code_repository.code_of(session, phone_number) or ""
        raise RuntimeError("could not allocate a unique referral code")

    def owner_of(self, session: Session, code: str) -> str | None:
        """The phone number of the customer whose code is ``code``, if anyone's.

        Whether a business may use it is the tracking rules' question (a code of someone
        the business does not know is answered like an unknown one).
        """
        return code_repository.owner_of(session, code)


code_service = CodeService()

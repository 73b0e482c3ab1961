"""The customer's consent to spend: redemption codes (docs/api.md, "Customer consent").

A business that wants to spend a customer's points asks for a code
(:meth:`RedemptionCodeService.request_code`); the customer gets it by SMS and reads it
out at the till; the redemption carries it (:meth:`RedemptionCodeService.check`).

**Asking.** The answer is the same 202 for every valid phone number, customer or
not, so asking tells the business nothing about the number. A new code supersedes
the business's earlier codes for that phone (only the newest is checked). At most
``redemption_code_max_requests_per_hour`` codes per business and phone per hour
(each is an SMS to the customer); one more is 429 with ``Retry-After``. The code goes
to notifications as ``redemption_code.requested`` through the outbox, in the same
transaction as its row; the SMS names the shop and says what to do if it was not you.

**Storing.** Only ``SHA-256(salt:business:phone:code)`` with a random salt per code.
Six digits are 10^6 possibilities, so the hash is no defence against someone who can
read the table (nor is anything else: the outbox row holds the code until delivered,
as auth's sign-in codes do); it keeps the codes from being read off a table or a log
at a glance. What protects a code is the online limit: 5 wrong tries, 10 minutes, 5
codes an hour, and an SMS to the customer each time.

**Checking.** The newest code of the business for the phone, read under a row lock:
expired, superseded or out of tries → 403 ``InvalidCustomerCode``; wrong → one try is
spent *and* the refusal goes out: raised inside
:class:`~mubayiro.common.errors.CommitThenRefuse`, so the request's write session
commits the spent try (and nothing else was written yet) before answering. A right
code may be used for any number of redemptions until it expires (one visit at the
till), and marks the customer as having given the business consent (``confirmed_at``):
from then on the business may see the customer (``customers.service``).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mubayiro.common.errors import CommitThenRefuse
from mubayiro.common.events import EventPublisher
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.models import Business, RedemptionCode
from mubayiro.loyalty.redemption_codes.exceptions import InvalidCustomerCode, TooManyCodeRequests
from mubayiro.loyalty.redemption_codes.repository import redemption_code_repository
from mubayiro.loyalty.redemption_codes.schemas import RedemptionCodeSent

#: The event that asks notifications to text the code to the customer.
REDEMPTION_CODE_REQUESTED = "redemption_code.requested"

CODE_LENGTH = 6
#: The window of the request limit.
REQUEST_WINDOW = timedelta(hours=1)


def generate_code() -> str:
    """A fresh six-digit code from the operating system's CSPRNG (leading zeros kept)."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def code_digest(salt: str, business_id: int, phone_number: str, code: str) -> str:
    """Hex SHA-256 of ``"<salt>:<business>:<phone>:<code>"`` (see module doc)."""
    return hashlib.sha256(f"{salt}:{business_id}:{phone_number}:{code}".encode()).hexdigest()


class RedemptionCodeService:
    """Issues and checks redemption codes (a module singleton: ``redemption_code_service``)."""

    def request_code(
        self,
        session: Session,
        publisher: EventPublisher,
        business: Business,
        phone_number: str,
        *,
        now: datetime,
        settings: LoyaltySettings,
    ) -> RedemptionCodeSent:
        """Make a code for the E.164 ``phone_number`` at ``business`` and emit it for the
        SMS. The business must be active (checked by the caller).

        Raises:
            TooManyCodeRequests: the business already asked for
                ``redemption_code_max_requests_per_hour`` codes for this phone (429).
        """
        limit = settings.redemption_code_max_requests_per_hour
        recent = redemption_code_repository.request_times(
            session, business.id, phone_number, since=now - REQUEST_WINDOW
        )
        if len(recent) >= limit:
            allowed_at = recent[len(recent) - limit] + REQUEST_WINDOW
            raise TooManyCodeRequests(max(1, math.ceil((allowed_at - now).total_seconds())))
        redemption_code_repository.expire_live(session, business.id, phone_number, now=now)
        code = generate_code()
        salt = secrets.token_hex(16)
        row = redemption_code_repository.add(session, RedemptionCode(
            business_id=business.id,
            phone_number=phone_number,
            salt=salt,
            code_hash=code_digest(salt, business.id, phone_number, code),
            attempts=0,
            expires_at=now + timedelta(seconds=settings.redemption_code_ttl_seconds),
            created_at=now,
        ))
        publisher.emit(session, REDEMPTION_CODE_REQUESTED, {
            "business_id": business.id,
            "business_name": business.name,
            "customer_phone_number": phone_number,
            "code": code,
            "expires_at": row.expires_at.isoformat(),
        })
        return RedemptionCodeSent(customer_phone_number=phone_number, expires_at=row.expires_at)

    def check(
        self,
        session: Session,
        business_id: int,
        phone_number: str,
        code: str,
        *,
        now: datetime,
        settings: LoyaltySettings,
    ) -> bool:
        """Return when ``code`` is the business's valid code for the phone (see module
        doc); True when this is the first time the customer gave it (the consent was
        just recorded, and must be kept even if the redemption is then refused).

        Raises:
            CommitThenRefuse: carrying :class:`InvalidCustomerCode` for a wrong code,
                after spending one of its tries.
            InvalidCustomerCode: no code, expired, superseded or out of tries (nothing
                was written).
        """
        row = redemption_code_repository.latest_locked(session, business_id, phone_number)
        if (row is None or row.expires_at <= now
                or row.attempts >= settings.redemption_code_max_attempts):
            raise InvalidCustomerCode()
        if not hmac.compare_digest(
            row.code_hash, code_digest(row.salt, business_id, phone_number, code)
        ):
            redemption_code_repository.count_wrong_try(session, row)
            tries_left = settings.redemption_code_max_attempts - row.attempts
            detail = (f"The customer's code is wrong: {tries_left} "
                      f"{'try' if tries_left == 1 else 'tries'} left" if tries_left
                      else "The customer's code is wrong, and it has no tries left: ask "
                      "for a new code")
            raise CommitThenRefuse(InvalidCustomerCode(detail))
        return redemption_code_repository.confirm(session, row, now)

    def was_given(self, session: Session, business_id: int, phone_number: str) -> bool:
        """Whether the customer ever gave the business a right code (their consent)."""
        return redemption_code_repository.was_given(session, business_id, phone_number)


redemption_code_service = RedemptionCodeService()

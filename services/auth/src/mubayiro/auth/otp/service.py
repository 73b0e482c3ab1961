"""The rules of customer sign-in by one-time code (docs/architecture.md, Identity and tokens).

Requesting (:meth:`OtpService.request_code`):

- The answer is the same 202 for every valid number, customer or not: auth does not
  know who is a customer (loyalty does) and must not become a way to find out.
- At most ``otp_max_requests`` (3) codes per phone *from one client address* per
  ``otp_window_seconds`` (15 min), counted from the stored rows in a sliding window; one
  more is 429 with ``Retry-After`` = when the oldest of them leaves the window. Refused
  requests write nothing, so they do not push the window further out. Counting per
  address means a stranger asking for codes for someone's phone never blocks the
  owner's own request; the per-phone cap from anywhere (an SMS flood) and the
  per-address cap whatever the phone (toll fraud) are :mod:`mubayiro.auth.limits`'.
- The newest code is the only valid one: a new request supersedes the phone's earlier
  codes (verify looks at the newest row only). That is simpler to reason about than
  several live codes, and with per-code attempts it bounds guessing at
  3 codes × 5 tries per 15 minutes per phone.
- The code goes to notifications as ``customer.otp_requested`` through the outbox, in
  the same transaction as its row: either both exist or neither.

Verifying (:meth:`OtpService.verify`): the newest code of the phone, unconsumed and
unexpired, with tries left. The try is spent *before* the comparison, by a conditional
UPDATE, so concurrent guesses cannot exceed the cap; once ``otp_max_attempts`` (5) tries
are spent the answer is 429 whatever the code. A right code is consumed (a second
conditional UPDATE), so it works once. A wrong code must still count, so :meth:`verify`
raises its refusal wrapped in :class:`~mubayiro.common.errors.CommitThenRefuse`: the
request's write session commits the spent try, then answers the refusal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.events import CUSTOMER_OTP_REQUESTED, otp_requested_payload
from mubayiro.auth.models import CLIENT_ADDRESS_LENGTH, CustomerOtp
from mubayiro.auth.otp import repository
from mubayiro.auth.otp.codes import OtpHasher, generate_code
from mubayiro.auth.otp.exceptions import InvalidCode, TooManyAttempts, TooManyCodeRequests
from mubayiro.common.errors import CommitThenRefuse
from mubayiro.common.events import EventPublisher


@dataclass(frozen=True)
class OtpPolicy:
    """Lifetime, tries and request limit of one-time codes."""

    ttl: timedelta
    max_attempts: int
    max_requests: int
    window: timedelta

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> OtpPolicy:
        """The policy configured by the ``AUTH_OTP_*`` settings."""
        return cls(
            ttl=timedelta(seconds=settings.otp_ttl_seconds),
            max_attempts=settings.otp_max_attempts,
            max_requests=settings.otp_max_requests,
            window=timedelta(seconds=settings.otp_window_seconds),
        )


class OtpService:
    """Issues and checks customers' one-time codes."""

    def request_code(
        self,
        session: Session,
        phone_number: str,
        *,
        now: datetime,
        policy: OtpPolicy,
        hasher: OtpHasher,
        publisher: EventPublisher,
        client_address: str = "unknown",
    ) -> CustomerOtp:
        """Create a code for the E.164 ``phone_number`` and emit it for sending by SMS.

        Raises:
            TooManyCodeRequests: the phone already has ``max_requests`` codes requested
                from ``client_address`` in the window.
        """
        repository.lock_phone(session, phone_number)
        # A row this old is out of the window and expired: it matters to no rule any more.
        repository.delete_created_by(session, phone_number, now - max(policy.window, policy.ttl))
        recent = repository.request_times(
            session, phone_number, client_address, since=now - policy.window
        )
        if len(recent) >= policy.max_requests:
            # A request is allowed again when fewer than max_requests rows are newer than
            # now - window, i.e. when this one leaves the window.
            allowed_at = recent[len(recent) - policy.max_requests] + policy.window
            raise TooManyCodeRequests(max(1, math.ceil((allowed_at - now).total_seconds())))
        code = generate_code()
        otp = repository.add(
            session,
            CustomerOtp(
                phone_number=phone_number,
                code_hash=hasher.digest(phone_number, code),
                created_at=now,
                expires_at=now + policy.ttl,
                attempts=0,
                requested_from=client_address[:CLIENT_ADDRESS_LENGTH],
            ),
        )
        # The plaintext code rides in the outbox envelope to notifications (see
        # otp_requested_payload): useless once expired, used or superseded.
        publisher.emit(
            session,
            CUSTOMER_OTP_REQUESTED,
            otp_requested_payload(phone_number, code, otp.expires_at),
        )
        return otp

    def verify(
        self,
        session: Session,
        phone_number: str,
        code: str,
        *,
        now: datetime,
        policy: OtpPolicy,
        hasher: OtpHasher,
    ) -> None:
        """Check ``code`` for the E.164 ``phone_number``; return when it is right.

        Raises:
            CommitThenRefuse: carrying :class:`InvalidCode` (no code, wrong, expired, used
                or superseded) or :class:`TooManyAttempts` (the code's tries are spent,
                even if this one is right). The spent try is part of the transaction and
                must be committed before the refusal goes out, hence the wrapper.
        """
        otp = repository.latest(session, phone_number)
        if otp is None:
            raise CommitThenRefuse(InvalidCode())
        if not repository.count_attempt(
            session, otp.id, now=now, max_attempts=policy.max_attempts
        ):
            session.refresh(otp)  # why the UPDATE matched nothing, as of now
            if otp.consumed_at is not None or otp.expires_at <= now:
                raise CommitThenRefuse(InvalidCode())
            until_expiry = math.ceil((otp.expires_at - now).total_seconds())
            raise CommitThenRefuse(TooManyAttempts(until_expiry))
        if not hasher.matches(otp.code_hash, phone_number, code):
            raise CommitThenRefuse(InvalidCode())
        if not repository.consume(session, otp.id, now=now):
            raise CommitThenRefuse(InvalidCode())


otp_service = OtpService()

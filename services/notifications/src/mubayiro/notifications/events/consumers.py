"""Event handlers: each turns one event into one stored SMS.

- ``points.earned`` (loyalty) → "You earned … points at … Balance: …" (none for 0 points,
  none for an imported purchase: earlier history is not news to the customer);
- ``points.redeemed`` (loyalty) → "You redeemed … points at … for … Balance: …";
- ``points.referral_bonus`` (loyalty) → "You earned … bonus points for referring a
  friend to … Balance: …";
- ``points.reversed`` (loyalty) → "12 points were taken back after a refund at …
  Balance: …" (a purchase or a bonus refunded; none when nothing could be taken back,
  the balance did not change), or "Your redemption at … was cancelled: … points are
  back. Balance: …";
- ``points.expiring`` (loyalty, 7 days before) → "Mubayiro: 40 points expire on 12 Jan.
  Use them at any Mubayiro business before then. Reply STOP to stop these SMS.";
- ``customer.otp_requested`` (auth) → "Your Mubayiro code is … It expires in …
  minutes. Never share it." — *essential*;
- ``redemption_code.requested`` (loyalty) → "<shop> asks to use your points. Give the
  cashier this code: … Not you? Ignore this." — *essential*: it is the customer's
  consent to spend, and the warning when it was not them.

``points.imported`` (a business's balances brought from another system) is not texted:
it is a migration, not news to the customer, and could be 100,000 SMS at once from a
number the customers do not know; the balance shows in BALANCE and the portal.

A non-essential SMS to a number that replied STOP is stored ``skipped`` rather than
queued (``sms.service``); a sign-in code always goes out.

A handler runs inside the consumer's transaction (``mubayiro.common.events``), after
the event id was recorded in ``processed_event``: the id record and the stored SMS
commit together, so a redelivered event is acknowledged without storing anything. The
``(event_id, kind)`` unique constraint on ``sms_message`` backs that up.

A payload that does not match the contract is answered 422 and nothing is recorded:
the producer keeps the event in its outbox and retries it (its last error says why),
so a contract mismatch is visible and no SMS is lost once it is fixed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from mubayiro.common.events import EventEnvelope, EventHandler, event_data
from mubayiro.notifications.events.schemas import (
    OtpRequested,
    PointsEarned,
    PointsExpiring,
    PointsRedeemed,
    PointsReferralBonus,
    PointsReversed,
    RedemptionCodeRequested,
)
from mubayiro.notifications.sms.service import sms_service
from mubayiro.notifications.sms.texts import (
    KIND_EXPIRY_REMINDER,
    KIND_OTP_CODE,
    KIND_POINTS_EARNED,
    KIND_POINTS_REDEEMED,
    KIND_POINTS_REVERSED,
    KIND_REDEMPTION_CODE,
    KIND_REFERRAL_BONUS,
    expiry_reminder_text,
    otp_code_text,
    points_earned_text,
    points_given_back_text,
    points_redeemed_text,
    points_taken_back_text,
    redemption_code_text,
    referral_bonus_text,
)

logger = logging.getLogger(__name__)

POINTS_EARNED = "points.earned"
POINTS_REDEEMED = "points.redeemed"
POINTS_REFERRAL_BONUS = "points.referral_bonus"
POINTS_REVERSED = "points.reversed"
POINTS_EXPIRING = "points.expiring"
CUSTOMER_OTP_REQUESTED = "customer.otp_requested"
REDEMPTION_CODE_REQUESTED = "redemption_code.requested"


def _as_utc(moment: datetime) -> datetime:
    # The platform speaks UTC; a timestamp without an offset is read as UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def code_lifetime_minutes(occurred_at: datetime, expires_at: datetime) -> int:
    """Whole minutes from the request of a code to its expiry (rounded, at least 1).

    Measured from the event's ``occurred_at``, not from now: a code delivered late
    still expires when auth said, and the text states its lifetime as issued.
    """
    seconds = (_as_utc(expires_at) - _as_utc(occurred_at)).total_seconds()
    return max(1, round(seconds / 60))


def event_handlers(
    *, provider_name: str, wakeup: threading.Event, countries: Sequence[str]
) -> dict[str, EventHandler]:
    """The handlers by event type; stored SMS name ``provider_name`` and wake ``wakeup``;
    numbers outside ``countries`` are not texted."""

    def store(
        session: Session, envelope: EventEnvelope, *, to: str, body: str, kind: str,
        essential: bool = False,
    ) -> None:
        sms_service.enqueue(
            session, to=to, body=body, kind=kind, provider=provider_name,
            essential=essential, countries=countries, event_id=envelope.id, wakeup=wakeup,
        )

    def on_points_earned(session: Session, envelope: EventEnvelope) -> None:
        """``points.earned`` → "You earned … points at … Balance: …" to the customer."""
        data = event_data(PointsEarned, envelope)
        if data.points == 0:
            # A purchase too small to earn anything: an SMS saying so costs and annoys.
            logger.info("no sms for zero points", extra={"event_id": envelope.id})
            return
        if data.imported:
            # A purchase from the shop's earlier history (e.g. paper stamp cards) brought
            # into the ledger: the customer made it long ago; a text now would confuse.
            logger.info("no sms for imported history", extra={"event_id": envelope.id})
            return
        store(
            session, envelope, to=data.customer_phone_number, kind=KIND_POINTS_EARNED,
            body=points_earned_text(
                points=data.points, business_name=data.business_name,
                total_points=data.total_points,
            ),
        )

    def on_points_redeemed(session: Session, envelope: EventEnvelope) -> None:
        """``points.redeemed`` → "You redeemed … points at … for … Balance: …"."""
        data = event_data(PointsRedeemed, envelope)
        store(
            session, envelope, to=data.customer_phone_number, kind=KIND_POINTS_REDEEMED,
            body=points_redeemed_text(
                points=data.points, business_name=data.business_name,
                reward_description=data.reward_description, total_points=data.total_points,
            ),
        )

    def on_referral_bonus(session: Session, envelope: EventEnvelope) -> None:
        """``points.referral_bonus`` → "You earned … bonus points for referring …"."""
        data = event_data(PointsReferralBonus, envelope)
        store(
            session, envelope, to=data.customer_phone_number, kind=KIND_REFERRAL_BONUS,
            body=referral_bonus_text(
                points=data.points, business_name=data.business_name,
                total_points=data.total_points,
            ),
        )

    def on_points_reversed(session: Session, envelope: EventEnvelope) -> None:
        """``points.reversed`` → "… points were taken back after a refund at …" or "Your
        redemption at … was cancelled: … points are back." to the customer."""
        data = event_data(PointsReversed, envelope)
        if data.points == 0:
            # The customer had spent it all: nothing was taken, the balance is unchanged.
            logger.info("no sms for a reversal that moved no points",
                        extra={"event_id": envelope.id})
            return
        texts = points_given_back_text if data.points > 0 else points_taken_back_text
        store(
            session, envelope, to=data.customer_phone_number, kind=KIND_POINTS_REVERSED,
            body=texts(points=abs(data.points), business_name=data.business_name,
                       total_points=data.total_points),
        )

    def on_points_expiring(session: Session, envelope: EventEnvelope) -> None:
        """``points.expiring`` → "Mubayiro: … points expire on 12 Jan. …" (non-essential)."""
        data = event_data(PointsExpiring, envelope)
        store(
            session, envelope, to=data.customer_phone_number, kind=KIND_EXPIRY_REMINDER,
            body=expiry_reminder_text(points=data.points, day=data.date,
                                      last_day=data.last_date,
                                      today=_as_utc(envelope.occurred_at).date()),
        )

    def on_otp_requested(session: Session, envelope: EventEnvelope) -> None:
        """``customer.otp_requested`` → the sign-in code (essential: sent despite STOP)."""
        data = event_data(OtpRequested, envelope)
        minutes = code_lifetime_minutes(envelope.occurred_at, data.expires_at)
        store(
            session, envelope, to=data.phone_number, kind=KIND_OTP_CODE, essential=True,
            body=otp_code_text(code=data.code, minutes=minutes),
        )

    def on_redemption_code_requested(session: Session, envelope: EventEnvelope) -> None:
        """``redemption_code.requested`` → the shop's request and the code (essential)."""
        data = event_data(RedemptionCodeRequested, envelope)
        store(
            session, envelope, to=data.customer_phone_number, kind=KIND_REDEMPTION_CODE,
            essential=True,
            body=redemption_code_text(business_name=data.business_name, code=data.code),
        )

    return {
        POINTS_EARNED: on_points_earned,
        POINTS_REDEEMED: on_points_redeemed,
        POINTS_REFERRAL_BONUS: on_referral_bonus,
        POINTS_REVERSED: on_points_reversed,
        POINTS_EXPIRING: on_points_expiring,
        CUSTOMER_OTP_REQUESTED: on_otp_requested,
        REDEMPTION_CODE_REQUESTED: on_redemption_code_requested,
    }

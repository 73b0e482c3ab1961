"""Rules of referrals as businesses see them: track, complete, list. Never commits.

**Tracking** (``POST /referrals/track``). The referrer is named by phone number, by
referral code (see ``codes``), or both (they must agree). Refused: a self-referral
(422), a new customer who already has a referrer — at any business — (409
``AlreadyReferred``), and a referrer who has never earned points anywhere (loyalty's
balance route answers 404 → 422 ``ReferrerNotACustomer``; loyalty down → 503). One
exception to "already referred": a customer's *invitation* (a pending referral no
business has tracked yet) is *claimed* by the first business that tracks the invited
phone with the same referrer — it gets that business's id. The checks run in the route's
read session, then loyalty is asked while the write session is still untouched (a
slow loyalty must not hold the database's write lock; the write transaction, and with
it the lock, begins at its first statement), then the write transaction checks again
and writes; the ``UNIQUE`` referred phone and the conditional claim (``… WHERE business_id
IS NULL``) settle any race.

**Completing** (``POST /referrals/complete``) pays the referrer's bonus exactly once,
across two services that cannot share a transaction:

1. Read the referral: it must be the caller's business's (anything else is 404, see
   below) and still ``pending`` (else 409 ``ReferralAlreadyCompleted``).
2. Ask loyalty to pay: ``POST /internal/transactions/referral_bonus`` with
   ``Idempotency-Key: referral-<id>`` and ``{business_id, customer_phone_number:
   referrer, points, referral_id}``. Loyalty writes the ledger row and the key in one
   transaction, so for this referral it pays at most once, whatever happens here.
3. Mark the referral completed with a conditional ``UPDATE … WHERE status =
   'pending'``, storing the points and loyalty's transaction id, and write
   ``referral.completed`` to the outbox — one transaction, committed before the answer.

Failure between the services: if loyalty cannot be reached (503), does not answer in
time (504), or this service dies after loyalty paid but before step 3 commits, the
referral is still ``pending``. The business retries; step 2 sends the same key and
body, loyalty replays its first answer (same transaction id) without paying again, and
step 3 completes the referral. Two completes racing: both may reach loyalty (one pays,
the other gets the replay, or 409 while the first is in flight), but only one UPDATE
finds the row ``pending`` — the other answers 409 ``ReferralAlreadyCompleted``. A retry
with *different* points after loyalty has paid is refused by loyalty (422, key reused)
and answered 409 ``ReferralBonusMismatch``: the bonus already paid stands.

Another business's referral answers **404**, not 403: a referral is found by id or by
the new customer's phone, and saying "exists, but not yours" would tell one shop who
became a customer at another. So is an invitation no business has tracked yet (track
it first). ``business_id`` in a *body* (track) is checked the platform way: 403.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.events import EventPublisher
from mubayiro.common.security import ensure_business
from mubayiro.common.tokens import Principal
from mubayiro.referrals.clients.loyalty import LoyaltyClient
from mubayiro.referrals.codes.service import code_service
from mubayiro.referrals.models import COMPLETED, PENDING, Referral
from mubayiro.referrals.tracking.exceptions import (
    AlreadyReferred,
    PointsAboveMaximum,
    ReferralAlreadyCompleted,
    ReferralCodeMismatch,
    ReferralNotFound,
    ReferrerNotACustomer,
    SelfReferral,
)
from mubayiro.referrals.tracking.repository import referral_repository
from mubayiro.referrals.tracking.schemas import (
    CompleteRequest,
    ReferralOut,
    ReferralPage,
    TrackRequest,
)

#: Event types referrals publishes. No service subscribes yet (docs/events.md);
#: the subscribers come from settings (``event_subscribers``).
REFERRAL_COMPLETED = "referral.completed"


def check_not_referred(existing: Referral | None, *, referrer: str) -> None:
    """Refuse a phone that has a referrer, unless it is an open invitation by ``referrer``.

    Raises:
        AlreadyReferred: the phone has a referrer (409).
    """
    if existing is None:
        return
    if existing.business_id is None and existing.status == PENDING:
        if existing.referrer_phone_number == referrer:
            return
        raise AlreadyReferred("This phone number has already been invited by another customer")
    raise AlreadyReferred()


class ReferralService:
    """Referrals of businesses (a module singleton: ``referral_service``)."""

    def _referrer(self, session: Session, request: TrackRequest) -> str:
        """The referrer's phone number, from the phone given and/or the code."""
        phone = request.referrer_phone_number
        if phone == request.new_customer_phone_number:
            raise SelfReferral()
        if request.referral_code_used is not None:
            owner = code_service.referrer_of(session, request.referral_code_used)
            if phone is not None and phone != owner:
                raise ReferralCodeMismatch()
            phone = owner
        assert phone is not None  # the schema requires a phone or a code
        if phone == request.new_customer_phone_number:
            raise SelfReferral()
        return phone

    def track(
        self,
        read: Session,
        session: Session,
        loyalty: LoyaltyClient,
        caller: Principal,
        request: TrackRequest,
    ) -> ReferralOut:
        """Record (or claim) a pending referral.

        ``read`` is the request's read session; ``session`` its write session, untouched
        until the final step (see module doc).

        Raises:
            Forbidden: ``business_id`` is not the caller's (403).
            SelfReferral, UnknownReferralCode, ReferralCodeMismatch: (422).
            AlreadyReferred: the phone has a referrer (409).
            ReferrerNotACustomer: the referrer never earned points (422).
            UpstreamUnavailable, UpstreamTimeout, UpstreamError: loyalty failed (503/504/502).
        """
        ensure_business(caller, request.business_id)
        new_phone = request.new_customer_phone_number
        referrer = self._referrer(read, request)
        check_not_referred(referral_repository.by_referred_phone(read, new_phone),
                           referrer=referrer)
        # The write session has not begun: no lock is held while loyalty answers.
        if not loyalty.is_customer(referrer):
            raise ReferrerNotACustomer()
        now = utcnow()
        existing = referral_repository.by_referred_phone(session, new_phone)
        check_not_referred(existing, referrer=referrer)
        if existing is not None:
            if not referral_repository.claim(
                session, existing.id, business_id=request.business_id,
                code=request.referral_code_used, now=now,
            ):
                raise AlreadyReferred()
            session.refresh(existing)
            return ReferralOut.model_validate(existing)
        referral = Referral(
            business_id=request.business_id,
            referrer_phone_number=referrer,
            referred_phone_number=new_phone,
            status=PENDING,
            referral_code_used=request.referral_code_used,
            created_at=now,
            tracked_at=now,
        )
        if not referral_repository.try_insert(session, referral):
            raise AlreadyReferred()
        return ReferralOut.model_validate(referral)

    def _own_referral(self, session: Session, caller: Principal,
                      request: CompleteRequest) -> Referral:
        if request.referral_id is not None:
            referral = referral_repository.get(session, request.referral_id)
            missing = f"No referral {request.referral_id} at your business"
        else:
            assert request.new_customer_phone_number is not None
            referral = referral_repository.by_referred_phone(
                session, request.new_customer_phone_number
            )
            missing = f"No referral of {request.new_customer_phone_number} at your business"
        if referral is None or referral.business_id != caller.business_id:
            raise ReferralNotFound(missing)
        return referral

    def complete(
        self,
        read: Session,
        session: Session,
        loyalty: LoyaltyClient,
        publisher: EventPublisher,
        caller: Principal,
        request: CompleteRequest,
        *,
        max_points: int,
    ) -> ReferralOut:
        """Pay the referrer's bonus once and complete the referral (see module doc).

        ``read`` is the request's read session (step 1); ``session`` its write session,
        untouched until step 3.

        Raises:
            PointsAboveMaximum: more points than ``max_points`` (422).
            ReferralNotFound: no such referral at the caller's business (404).
            ReferralAlreadyCompleted: it was completed before, or by a racing request (409).
            ReferralBonusMismatch: loyalty paid it already with other points (409).
            ReferralBonusInProgress, LoyaltyProgramNotFound: (409).
            UpstreamUnavailable, UpstreamTimeout, UpstreamError: loyalty failed; the
                referral stays pending (503/504/502).
        """
        points = request.points_to_award_referrer
        if points > max_points:
            raise PointsAboveMaximum(f"points_to_award_referrer must not exceed {max_points}")
        business_id = caller.business_id
        assert business_id is not None  # a business token
        referral = self._own_referral(read, caller, request)
        if referral.status == COMPLETED:
            raise ReferralAlreadyCompleted(
                f"Referral {referral.id} was completed at {referral.completed_at:%Y-%m-%d %H:%M} "
                f"UTC with {referral.points_awarded} points"
            )
        # Step 2, with the write session not begun: loyalty pays at most once per referral.
        bonus = loyalty.award_referral_bonus(
            referral_id=referral.id, business_id=business_id,
            phone_number=referral.referrer_phone_number, points=points,
        )
        # Step 3.
        now = utcnow()
        if not referral_repository.mark_completed(
            session, referral.id, business_id=business_id, points=points,
            transaction_id=bonus.transaction_id, now=now,
        ):
            raise ReferralAlreadyCompleted(
                f"Referral {referral.id} has just been completed by another request"
            )
        publisher.emit(session, REFERRAL_COMPLETED, {
            "referral_id": referral.id,
            "business_id": business_id,
            "referrer_phone_number": referral.referrer_phone_number,
            "referred_phone_number": referral.referred_phone_number,
            "points_awarded": points,
            "transaction_id": bonus.transaction_id,
        })
        completed = referral_repository.get(session, referral.id)
        assert completed is not None
        return ReferralOut.model_validate(completed)

    def page(
        self, session: Session, caller: Principal, *, status: str | None, limit: int,
        offset: int,
    ) -> ReferralPage:
        """The caller's business's referrals, newest first, one page and the total."""
        assert caller.business_id is not None
        rows, total = referral_repository.page_for_business(
            session, caller.business_id, status=status, limit=limit, offset=offset
        )
        return ReferralPage(items=[ReferralOut.model_validate(r) for r in rows], total=total)


referral_service = ReferralService()

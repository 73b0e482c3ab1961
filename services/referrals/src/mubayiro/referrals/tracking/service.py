"""Rules of referrals as businesses see them: track, complete, list. Never commits.

**Each shop answers from its own data** (issue 11). Referrals are one per business and
new customer: shop A's referral of a phone is invisible to shop B, which may record its
own. Every refusal a business gets is made from what that business already knows — its
own referrals, its own customers (loyalty's view of a customer *at this business*: a
transaction here, or a redemption code given here) — so a customer of another shop and
a stranger get the same answer, and so does a phone referred elsewhere and one never
referred.

**Tracking** (``POST /referrals/track``). The referrer is named by phone number, by
referral code (see ``codes``), or both (they must agree: 422 ``ReferralCodeMismatch``).
The referrer must be a customer of this business (else 422 ``ReferrerNotACustomer``),
with one exception: the customer whose *invitation* to this phone is still open (see
``invitations``; no shop has it yet) — the shop then *claims* the invitation, which
becomes its referral. A code is usable here when it is the code of such an inviter or of
one of this business's customers; any other code, known elsewhere or not, is 422
``UnknownReferralCode``. Refused as well: a self-referral (422) and a phone this
business has already recorded with another referrer (409 ``AlreadyReferred``); the same
phone and referrer again is answered with the referral already recorded (a till may
send it twice, or a purchase may have claimed the invitation first).

The checks run in the route's read session and loyalty is asked while the write
session is still untouched (a slow loyalty must not hold the database's write lock; the
write transaction, and with it the lock, begins at its first statement); then the
write transaction checks again and writes. ``UNIQUE (business_id,
referred_phone_number)`` and the conditional claim (``… WHERE business_id IS NULL``)
settle any race. A referral tracked after the friend's first purchase here takes its
``first_purchase_at`` from ``shop_purchase`` (see ``purchases``).

**Completing** (``POST /referrals/complete``) pays the referrer's bonus exactly once,
across two services that cannot share a transaction:

1. Read the referral: it must be the caller's business's (anything else is 404, see
   below) and still ``pending`` (else 409 ``ReferralAlreadyCompleted``); the friend
   must have bought something at this business (else 409 ``NoPurchaseYet``). Bought is
   ``first_purchase_at``, set from loyalty's ``points.earned``; when it is not set yet
   (the event is on its way, or the purchase is older than this service's subscription)
   loyalty's view of the friend at this business is asked, the ledger being the truth.
2. Ask loyalty to pay: ``POST /internal/transactions/referral_bonus`` with
   ``Idempotency-Key: referral-<id>`` and ``{business_id, customer_phone_number:
   referrer, points, referral_id}``. Loyalty writes the ledger row and the key in one
   transaction, so for this referral it pays at most once, whatever happens here. The
   points are the request's, or the business's default bonus (``shop_settings``).
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
became a customer at another. So is an invitation no business has claimed yet.
``business_id`` in a *body* (track) is checked the platform way: 403.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.events import EventPublisher
from mubayiro.common.security import ensure_business
from mubayiro.common.tokens import Principal
from mubayiro.referrals.clients.loyalty import LoyaltyClient
from mubayiro.referrals.codes.exceptions import UnknownReferralCode
from mubayiro.referrals.codes.service import code_service
from mubayiro.referrals.models import COMPLETED, PENDING, Referral
from mubayiro.referrals.purchases.repository import purchase_repository
from mubayiro.referrals.shop_settings.service import setting_service
from mubayiro.referrals.tracking.exceptions import (
    AlreadyReferred,
    NoPurchaseYet,
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
#: the subscribers come from settings (``event_subscribers``). (It consumes loyalty's
#: ``points.earned``: see ``purchases``.)
REFERRAL_COMPLETED = "referral.completed"


class ReferralService:
    """Referrals of businesses (a module singleton: ``referral_service``)."""

    def _is_own_customer(self, loyalty: LoyaltyClient, business_id: int, phone: str) -> bool:
        return loyalty.customer_at(business_id, phone) is not None

    def _referrer(
        self, read: Session, loyalty: LoyaltyClient, business_id: int, request: TrackRequest
    ) -> tuple[str, Referral | None]:
        """The referrer's phone number, and the open invitation to the new customer when
        it is that referrer's (to claim). Runs every check of the referrer (module doc).

        Raises:
            SelfReferral, UnknownReferralCode, ReferralCodeMismatch,
            ReferrerNotACustomer: (422).
        """
        new_phone = request.new_customer_phone_number
        phone = request.referrer_phone_number
        if phone == new_phone:
            raise SelfReferral()
        invitation = referral_repository.open_invitation(read, new_phone)
        inviter = invitation.referrer_phone_number if invitation is not None else None
        known = False  # the referrer is this business's customer (asked already)
        code = request.referral_code_used
        if code is not None:
            owner = code_service.owner_of(read, code)
            if owner is None or (
                owner != inviter and not self._is_own_customer(loyalty, business_id, owner)
            ):
                raise UnknownReferralCode(
                    f"The referral code {code} is not known at your business: check it, "
                    "or give the referrer's phone number"
                )
            if phone is not None and phone != owner:
                raise ReferralCodeMismatch()
            phone, known = owner, True
        assert phone is not None  # the schema requires a phone or a code
        if phone == new_phone:
            raise SelfReferral()
        if phone == inviter:
            return phone, invitation
        if not known and not self._is_own_customer(loyalty, business_id, phone):
            raise ReferrerNotACustomer()
        return phone, None

    def track(
        self,
        read: Session,
        session: Session,
        loyalty: LoyaltyClient,
        caller: Principal,
        request: TrackRequest,
    ) -> ReferralOut:
        """Record (or claim) a pending referral of the caller's business.

        ``read`` is the request's read session; ``session`` its write session, untouched
        until the final step (see module doc).

        Raises:
            Forbidden: ``business_id`` is not the caller's (403).
            SelfReferral, UnknownReferralCode, ReferralCodeMismatch: (422).
            ReferrerNotACustomer: the referrer is not this business's customer (422).
            AlreadyReferred: this business recorded the phone with another referrer (409).
            UpstreamUnavailable, UpstreamTimeout, UpstreamError: loyalty failed (503/504/502).
        """
        ensure_business(caller, request.business_id)
        business_id, new_phone = request.business_id, request.new_customer_phone_number
        # The write session has not begun: no lock is held while loyalty answers.
        referrer, invitation = self._referrer(read, loyalty, business_id, request)
        now = utcnow()
        ours = referral_repository.of_business(session, business_id, new_phone)
        if ours is not None:
            if ours.referrer_phone_number != referrer:
                raise AlreadyReferred()
            return ReferralOut.model_validate(ours)
        bought = purchase_repository.first_purchase_at(session, business_id, new_phone)
        if invitation is not None and referral_repository.claim(
            session, invitation.id, business_id=business_id,
            code=request.referral_code_used, now=now, first_purchase_at=bought,
        ):
            claimed = referral_repository.get(session, invitation.id)
            assert claimed is not None
            return ReferralOut.model_validate(claimed)
        # No invitation, or another shop claimed it meanwhile: this business's own.
        referral = Referral(
            business_id=business_id,
            referrer_phone_number=referrer,
            referred_phone_number=new_phone,
            status=PENDING,
            referral_code_used=request.referral_code_used,
            created_at=now,
            tracked_at=now,
            first_purchase_at=bought,
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
            assert caller.business_id is not None
            referral = referral_repository.of_business(
                session, caller.business_id, request.new_customer_phone_number
            )
            missing = f"No referral of {request.new_customer_phone_number} at your business"
        if referral is None or referral.business_id != caller.business_id:
            raise ReferralNotFound(missing)
        return referral

    def _first_purchase_at_loyalty(
        self, loyalty: LoyaltyClient, business_id: int, phone: str
    ) -> datetime:
        """When ``phone`` first bought at ``business_id``, by loyalty's ledger.

        Raises:
            NoPurchaseYet: never (409).
        """
        customer = loyalty.customer_at(business_id, phone)
        first = customer.first_purchase() if customer is not None else None
        if first is None:
            raise NoPurchaseYet()
        return first.timestamp

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
        default_points: int,
    ) -> ReferralOut:
        """Pay the referrer's bonus once and complete the referral (see module doc).

        ``read`` is the request's read session (step 1); ``session`` its write session,
        untouched until step 3. Without points in the request, the business's default
        bonus is paid (``default_points`` where the business set none).

        Raises:
            PointsAboveMaximum: more points than ``max_points`` (422).
            ReferralNotFound: no such referral at the caller's business (404).
            ReferralAlreadyCompleted: it was completed before, or by a racing request (409).
            NoPurchaseYet: the friend has not bought at the business yet (409).
            ReferralBonusMismatch: loyalty paid it already with other points (409).
            ReferralBonusInProgress, LoyaltyProgramNotFound: (409).
            UpstreamUnavailable, UpstreamTimeout, UpstreamError: loyalty failed; the
                referral stays pending (503/504/502).
        """
        business_id = caller.business_id
        assert business_id is not None  # a business token
        points = request.points_to_award_referrer
        if points is None:
            points = setting_service.default_bonus(
                read, business_id, default=default_points, maximum=max_points)
        if points > max_points:
            raise PointsAboveMaximum(f"points_to_award_referrer must not exceed {max_points}")
        referral = self._own_referral(read, caller, request)
        if referral.status == COMPLETED:
            raise ReferralAlreadyCompleted(
                f"Referral {referral.id} was completed at {referral.completed_at:%Y-%m-%d %H:%M} "
                f"UTC with {referral.points_awarded} points"
            )
        bought = referral.first_purchase_at or self._first_purchase_at_loyalty(
            loyalty, business_id, referral.referred_phone_number)
        # Step 2, with the write session not begun: loyalty pays at most once per referral.
        bonus = loyalty.award_referral_bonus(
            referral_id=referral.id, business_id=business_id,
            phone_number=referral.referrer_phone_number, points=points,
        )
        # Step 3.
        now = utcnow()
        referral_repository.note_purchase(
            session, business_id, referral.referred_phone_number, bought)
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

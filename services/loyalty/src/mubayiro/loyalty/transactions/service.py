"""Rules of the ledger: awarding and redeeming points, referral bonuses, and reading it.

How an award stays correct (``add_points``). Everything happens in the request's
one write transaction (the route's ``WriteSession``, opened with ``BEGIN IMMEDIATE`` on
SQLite, so writers queue for the lock instead of failing half-way; on PostgreSQL
the balance row's lock orders concurrent awards):

1. the ``Idempotency-Key`` record is looked up and claimed (the route is ``@idempotent``);
2. the customer is found or created (``INSERT … ON CONFLICT DO NOTHING`` + ``SELECT``);
3. points are ``floor(amount_spent × loyalty_rate)`` in exact ``Decimal``;
4. the balance changes by one atomic ``UPDATE … SET total_points = total_points + :p
   RETURNING total_points`` — never read, add in Python and write back, which would
   lose one of two concurrent awards;
5. the ledger row is inserted;
6. the ``points.earned`` event is written to the outbox (one row per subscriber);
7. the response is stored with the idempotency record (by ``@idempotent`` again).

The session commits all of it, or none of it, after the endpoint returns: there is
never a balance without its ledger row, a ledger row without its event, or an
event for a rolled-back award; and a retried request with the same key finds the
stored response instead of awarding twice. The ``total_points >= 0`` CHECK is the
last guard of the invariant ``total_points == sum(points)``.

A referral bonus (``referral_bonus``, called by the referrals service with its
service token) is the same award with the points given instead of computed from a
purchase: steps 2 and 4–6 are one private step, ``_credit``, shared by both (and by
imports, below). Its ``Idempotency-Key`` is required, scoped to the calling service.

An imported purchase (``import_transaction``, service token) brings a shop's earlier
purchase history — paper stamp cards, a till's export — into the ledger. It is the
award of ``add_points`` through the same ``_credit`` step, at the business's *current*
rate (the rate of the day is not known, and a program's first rate is the one its
customers are told about), with the ledger row and the ``points.earned`` event stamped
``occurred_at`` instead of now and the event marked ``"imported": true`` (notifications
texts nobody about history; reports files it under its own day). Every ledger list is
ordered by id, and ids grow as rows are written, so history must arrive oldest first and
before anything later: a purchase dated before any transaction the customer or the
business already has is refused (409 ``HistoryAfterLiveTransactions``). On SQLite the
check and the write are one ``BEGIN IMMEDIATE`` transaction, so nothing slips in
between; imports are a one-off back-office job, not run beside a busy till. The
``Idempotency-Key`` is required and scoped to the calling service.

Who may create value, and how much (docs/security.md). Only an ``active`` business
awards, redeems or pays referral bonuses (403 ``BusinessNotActive``). An award (an
earn or a referral bonus) is checked against the business's limits before anything is
written: above the per-transaction limit is 422 ``AwardLimitExceeded``; the day's
total is counted in ``award_day`` by one conditional ``UPDATE`` (the balance's
pattern, so two awards cannot both take the last room), and beyond the daily limit
is 429 ``DailyAwardLimitReached`` — the request's transaction rolls back, counter
included. Every row keeps the ``staff_id`` of the token that wrote it (null for
services). Imports (service token, an operator's one-off job) need an active business
but are not counted against the limits: they bring back points already earned.

A redemption (``redeem_points``) follows the same steps in the same single
transaction, with these differences. It needs the customer's consent: the code the
customer got by SMS (``redemption_codes``), checked first — none is 428
``CustomerCodeRequired`` (while ``require_customer_code`` is on), a wrong one 403
``InvalidCustomerCode`` with one of the code's tries spent. It never reveals a
customer the business may not see (``customers.service``): without a code (the
setting off) a customer of other shops only is 404 ``CustomerNotFound``, exactly like
an unknown number, and the refusals name no balance. With the customer's code the
customer is the business's to see: an unknown phone number simply has 0 points (409
``InsufficientPoints``, like any balance too low). A redemption never creates a
customer. And the balance check and the deduction are the *same* statement,
``UPDATE … SET total_points = total_points - :p WHERE id = :id AND total_points >= :p
RETURNING total_points``:
reading the balance first and deducting afterwards would let two concurrent
redemptions both see enough points and overdraw (or, with the CHECK, fail with a
500). When no row comes back the balance looked too low. On PostgreSQL "looked" is
as of the statement's snapshot, so the balance is read once more under the row's
lock (``SELECT … FOR UPDATE``): if an earn landed in between, the points are
deducted after all; if not, the request fails with 409 naming the balance that
holds while the lock is held. Either way the decision and the detail agree. On a
409 the session rolls back, so nothing — not even the idempotency record — is
kept, and a retry with the same key is a new attempt. Two refusals keep one write
each (``CommitThenRefuse``): a wrong code keeps its spent try, and a refusal after the
customer's first right code keeps the consent (the business may now see the customer).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.errors import AppError, CommitThenRefuse
from mubayiro.common.events import EventPublisher
from mubayiro.common.money import MAX_POINTS
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.customers.exceptions import CustomerNotFound
from mubayiro.loyalty.customers.repository import customer_repository
from mubayiro.loyalty.customers.service import customer_service
from mubayiro.loyalty.lots.service import lot_service
from mubayiro.loyalty.models import Business
from mubayiro.loyalty.redemption_codes.exceptions import CustomerCodeRequired
from mubayiro.loyalty.redemption_codes.schemas import RedemptionCodeRequest, RedemptionCodeSent
from mubayiro.loyalty.redemption_codes.service import (
    REDEMPTION_CODE_REQUESTED,
    redemption_code_service,
)
from mubayiro.loyalty.rewards.service import reward_service
from mubayiro.loyalty.transactions.earning import points_for
from mubayiro.loyalty.transactions.exceptions import (
    AmountTooLarge,
    AwardLimitExceeded,
    DailyAwardLimitReached,
    HistoryAfterLiveTransactions,
    InsufficientPoints,
    TooManyPointsEarned,
)
from mubayiro.loyalty.transactions.repository import (
    award_day_repository,
    transaction_repository,
)
from mubayiro.loyalty.transactions.schemas import (
    AddPointsRequest,
    AddPointsResult,
    BusinessTransactionRow,
    ImportTransactionRequest,
    ImportTransactionResult,
    LedgerPage,
    LedgerRow,
    RedeemPointsRequest,
    RedeemPointsResult,
    ReferralBonusRequest,
    ReferralBonusResult,
)

#: Event types loyalty publishes, and who subscribes to them.
POINTS_EARNED = "points.earned"
POINTS_REDEEMED = "points.redeemed"
POINTS_REFERRAL_BONUS = "points.referral_bonus"
#: A refund: an earn or a bonus taken back, a redemption given back (``reversals``).
POINTS_REVERSED = "points.reversed"
#: Balances a business brought from another system (``imports``): reports only, no SMS.
POINTS_IMPORTED = "points.imported"
#: Points left in a lot that reached its expiry date (``lots.expiry``): reports only.
POINTS_EXPIRED = "points.expired"
#: Points that expire within a week, announced once per lot (``lots.expiry``): the
#: customer's reminder SMS.
POINTS_EXPIRING = "points.expiring"
_SUBSCRIBERS = ["notifications", "reports"]
EVENT_ROUTES: dict[str, list[str]] = {
    # Referrals learns from purchases that a referred friend has bought at a shop.
    POINTS_EARNED: [*_SUBSCRIBERS, "referrals"],
    POINTS_REDEEMED: _SUBSCRIBERS,
    POINTS_REFERRAL_BONUS: _SUBSCRIBERS,
    POINTS_REVERSED: _SUBSCRIBERS,
    POINTS_IMPORTED: ["reports"],
    POINTS_EXPIRED: ["reports"],
    POINTS_EXPIRING: ["notifications"],
    REDEMPTION_CODE_REQUESTED: ["notifications"],
}


#: The ledger row's description of a referral bonus (what the customer's history shows).
REFERRAL_BONUS_DESCRIPTION = "Referral bonus"


def _refuse_amount_above(amount: Decimal, cap: Decimal) -> None:
    """Refuse a purchase above this deployment's ``max_amount_spent`` (``Money`` itself
    stops at the platform's ``MAX_MONEY``).

    Raises:
        AmountTooLarge: ``amount`` is above ``cap`` (422).
    """
    if amount > cap:
        raise AmountTooLarge(f"amount_spent must not exceed {cap}")


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _refuse_above_limits(
    session: Session, business: Business, points: int, *, now: datetime,
    settings: LoyaltySettings,
) -> None:
    """Check an award of ``points`` against the business's limits and count it for the
    day (see module doc). Runs before the award writes anything.

    Raises:
        AwardLimitExceeded: above the per-transaction limit (422).
        DailyAwardLimitReached: the day's awards would go above the daily limit (429).
    """
    limits = business_service.award_limits(business, settings)
    if points > limits.per_transaction:
        raise AwardLimitExceeded(
            f"This award would give {_points(points)}; your business may award at most "
            f"{_points(limits.per_transaction)} in one transaction (the platform's "
            "operator sets this limit)"
        )
    today = now.date()
    if not award_day_repository.add_within(session, business.id, today, points,
                                           limit=limits.per_day):
        given = award_day_repository.points_on(session, business.id, today)
        midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(),
                                    tzinfo=now.tzinfo)
        refusal = DailyAwardLimitReached(
            f"Your business has awarded {_points(given)} today (UTC) of its daily limit of "
            f"{_points(limits.per_day)}; this award of {_points(points)} would go above "
            "it. Awards start again at midnight UTC (the platform's operator sets this limit)"
        )
        refusal.headers = {"Retry-After": str(max(1, int((midnight - now).total_seconds())))}
        raise refusal


class TransactionService:
    """The ledger (a module singleton: ``transaction_service``)."""

    def add_points(
        self,
        session: Session,
        publisher: EventPublisher,
        request: AddPointsRequest,
        *,
        idempotency_key: str | None,
        staff_id: int | None,
        settings: LoyaltySettings,
    ) -> AddPointsResult:
        """Award points for a purchase (``idempotency_key`` and ``staff_id`` are kept on
        the ledger row).

        The business must exist locally (see ``businesses.dependencies``). Runs in
        ``session``'s transaction; the caller commits (see module doc).

        Raises:
            AmountTooLarge: ``amount_spent`` is above ``max_amount_spent`` (422).
            BusinessNotFound: the business is not known here.
            BusinessNotActive: the business is pending or suspended (403).
            TooManyPointsEarned: the purchase would earn more than ``MAX_POINTS`` (422).
            AwardLimitExceeded, DailyAwardLimitReached: above the business's limits.
        """
        _refuse_amount_above(request.amount_spent, settings.max_amount_spent)
        business = business_service.get_active_program(session, request.business_id)
        transaction_id, points, total = self._credit_purchase(
            session, publisher, business, request, idempotency_key=idempotency_key,
            staff_id=staff_id, settings=settings,
        )
        return AddPointsResult(
            transaction_id=transaction_id,
            customer_phone_number=request.customer_phone_number,
            points_earned=points,
            total_points=total,
        )

    def referral_bonus(
        self,
        session: Session,
        publisher: EventPublisher,
        request: ReferralBonusRequest,
        *,
        idempotency_key: str,
        settings: LoyaltySettings,
    ) -> ReferralBonusResult:
        """Pay a referrer's bonus.

        The same steps as an award (see module doc), with the points given rather
        than computed, a ``referral_bonus`` ledger row and a ``points.referral_bonus``
        event. The route's key is scoped to the calling service, so two services cannot
        collide; referrals sends ``referral-<referral_id>``, which makes the bonus of
        a referral payable once. No auth fallback here: the business must already be
        known (it registered before it could create a referral). A bonus is an award:
        the business must be active, and the bonus counts against its limits.

        Raises:
            BusinessNotFound: the business is not known here.
            BusinessNotActive: the business is pending or suspended (403).
            AwardLimitExceeded, DailyAwardLimitReached: above the business's limits.
        """
        business = business_service.get_active_program(session, request.business_id)
        _refuse_above_limits(session, business, request.points, now=utcnow(),
                             settings=settings)
        transaction_id, total = self._credit(
            session,
            publisher,
            business,
            request.customer_phone_number,
            request.points,
            type="referral_bonus",
            event_type=POINTS_REFERRAL_BONUS,
            event_data={"referral_id": request.referral_id},
            reward_description=REFERRAL_BONUS_DESCRIPTION,
            idempotency_key=idempotency_key,
        )
        return ReferralBonusResult(
            transaction_id=transaction_id,
            customer_phone_number=request.customer_phone_number,
            points_awarded=request.points,
            total_points=total,
        )

    def import_transaction(
        self,
        session: Session,
        publisher: EventPublisher,
        request: ImportTransactionRequest,
        *,
        idempotency_key: str,
        settings: LoyaltySettings,
    ) -> ImportTransactionResult:
        """Bring one purchase of a shop's earlier history into the ledger (see module doc).

        Points at the business's current rate; the ledger row and the event carry
        ``occurred_at``. No auth fallback: the business must already be known here.

        Raises:
            AmountTooLarge: ``amount_spent`` is above ``max_amount_spent`` (422).
            BusinessNotFound: the business is not known here.
            BusinessNotActive: the business is pending or suspended (403).
            HistoryAfterLiveTransactions: the customer or the business already has a
                transaction later than ``occurred_at`` (409).
        """
        _refuse_amount_above(request.amount_spent, settings.max_amount_spent)
        when = request.occurred_at
        business = business_service.get_active_program(session, request.business_id)
        self._refuse_history_after_later_rows(session, business.id,
                                              request.customer_phone_number, when)
        transaction_id, points, total = self._credit_purchase(
            session, publisher, business, request, idempotency_key=idempotency_key,
            timestamp=when, imported=True,
        )
        return ImportTransactionResult(
            transaction_id=transaction_id,
            customer_phone_number=request.customer_phone_number,
            points_earned=points,
            total_points=total,
            timestamp=when,
        )

    def _refuse_history_after_later_rows(
        self, session: Session, business_id: int, phone_number: str, when: datetime
    ) -> None:
        """Refuse (409) a purchase dated before the customer's or the business's latest row.

        Raises:
            HistoryAfterLiveTransactions: such a later row exists.
        """
        customer = customer_repository.find_by_phone(session, phone_number)
        if customer is not None and transaction_repository.has_later(
            session, when, customer_id=customer.id
        ):
            raise HistoryAfterLiveTransactions(
                f"The customer already has transactions after {when.isoformat()}: "
                "import history oldest first, before any live transaction"
            )
        if transaction_repository.has_later(session, when, business_id=business_id):
            raise HistoryAfterLiveTransactions(
                f"The business already has transactions after {when.isoformat()}: "
                "import history oldest first, before any live transaction"
            )

    def _credit_purchase(
        self,
        session: Session,
        publisher: EventPublisher,
        business: Business,
        request: AddPointsRequest | ImportTransactionRequest,
        *,
        idempotency_key: str | None,
        staff_id: int | None = None,
        settings: LoyaltySettings | None = None,
        timestamp: datetime | None = None,
        imported: bool = False,
    ) -> tuple[int, int, int]:
        """Credit a purchase at the business's current rate (step 3, then :meth:`_credit`).

        With ``settings`` the award is checked against the business's limits (imports
        are not). Returns (transaction id, points earned, new balance).

        Raises:
            TooManyPointsEarned: the purchase would earn more than ``MAX_POINTS`` (422).
            AwardLimitExceeded, DailyAwardLimitReached: above the business's limits.
        """
        points = points_for(request.amount_spent, business.loyalty_rate)
        if points > MAX_POINTS:
            raise TooManyPointsEarned(
                f"amount_spent × the rate would earn {points} points; one transaction "
                f"may earn at most {MAX_POINTS}"
            )
        if settings is not None:
            _refuse_above_limits(session, business, points, now=timestamp or utcnow(),
                                 settings=settings)
        transaction_id, total = self._credit(
            session,
            publisher,
            business,
            request.customer_phone_number,
            points,
            type="earn",
            event_type=POINTS_EARNED,
            event_data={"amount_spent": str(request.amount_spent)},
            amount_spent=request.amount_spent,
            loyalty_rate=business.loyalty_rate,
            idempotency_key=idempotency_key,
            staff_id=staff_id,
            timestamp=timestamp,
            imported=imported,
        )
        return transaction_id, points, total

    def _credit(
        self,
        session: Session,
        publisher: EventPublisher,
        business: Business,
        phone_number: str,
        points: int,
        *,
        type: str,
        event_type: str,
        event_data: dict[str, Any],
        idempotency_key: str | None,
        staff_id: int | None = None,
        amount_spent: Decimal | None = None,
        loyalty_rate: Decimal | None = None,
        reward_description: str | None = None,
        timestamp: datetime | None = None,
        imported: bool = False,
    ) -> tuple[int, int]:
        """Steps 2 and 4–6 of the module doc for points given to a customer.

        Finds or creates the customer, adds ``points`` to the balance in one atomic
        statement, appends the ledger row and writes ``event_type`` to the outbox:
        the fields every points event shares, plus ``event_data``. Returns
        (transaction id, new balance). Runs in the caller's transaction.

        ``timestamp`` (default now) is when the points were earned: the ledger row's
        time, the event's ``timestamp`` and, for a customer first seen here, the
        customer's. ``imported`` adds ``"imported": true`` to the event (history
        brought in afterwards: no SMS for it).
        """
        now = timestamp or utcnow()
        customer_id, total = customer_repository.credit(session, phone_number, points, now)
        transaction_id = transaction_repository.insert(
            session, business_id=business.id, customer_id=customer_id, type=type,
            amount_spent=amount_spent, points=points, reward_description=reward_description,
            idempotency_key=idempotency_key, staff_id=staff_id, loyalty_rate=loyalty_rate,
            created_at=now,
        )
        lot_service.open(session, business, customer_id=customer_id,
                         transaction_id=transaction_id, points=points, credited_at=now)
        publisher.emit(
            session,
            event_type,
            {
                "transaction_id": transaction_id,
                "business_id": business.id,
                "business_name": business.name,
                "customer_phone_number": phone_number,
                **event_data,
                "points": points,
                "total_points": total,
                "timestamp": now.isoformat(),
                **({"imported": True} if imported else {}),
            },
        )
        return transaction_id, total

    def redeem_points(
        self,
        session: Session,
        publisher: EventPublisher,
        request: RedeemPointsRequest,
        *,
        idempotency_key: str | None,
        staff_id: int | None,
        settings: LoyaltySettings,
    ) -> RedeemPointsResult:
        """Spend a customer's points at a business (``idempotency_key`` and ``staff_id``
        are kept on the row).

        The business must exist locally (see ``businesses.dependencies``). Runs in
        ``session``'s transaction; the caller commits (see module doc).

        Raises:
            BusinessNotFound: the business is not known here.
            BusinessNotActive: the business is pending or suspended (403).
            RewardNotFound: ``reward_id`` is not in this business's catalog (404).
            RewardInactive, RewardCostMismatch: the reward cannot be redeemed so (422).
            CustomerCodeRequired: no ``customer_code`` while codes are required (428).
            InvalidCustomerCode: the code is not valid (403; a wrong one is raised in
                ``CommitThenRefuse``, keeping its spent try).
            CustomerNotFound: no code, and the business may not see the customer (404).
            InsufficientPoints: the balance does not cover the points (409).
        """
        points = request.points_to_redeem
        business = business_service.get_active_program(session, request.business_id)
        if request.reward_id is not None:
            reward_service.reward_for_redemption(session, business.id, request.reward_id, points)
        now = utcnow()
        first_consent = False
        if request.customer_code is not None:
            first_consent = redemption_code_service.check(
                session, business.id, request.customer_phone_number, request.customer_code,
                now=now, settings=settings,
            )
        elif settings.require_customer_code:
            raise CustomerCodeRequired()
        try:
            return self._spend(
                session, publisher, business, request,
                consented=request.customer_code is not None, now=now,
                idempotency_key=idempotency_key, staff_id=staff_id,
            )
        except AppError as refusal:
            if first_consent:  # keep the consent (module doc): the refusal stands
                raise CommitThenRefuse(refusal) from refusal
            raise

    def _spend(
        self,
        session: Session,
        publisher: EventPublisher,
        business: Business,
        request: RedeemPointsRequest,
        *,
        consented: bool,
        now: datetime,
        idempotency_key: str | None,
        staff_id: int | None,
    ) -> RedeemPointsResult:
        """Take the points, write the row and the event (the redemption's own steps).

        Raises:
            CustomerNotFound: not ``consented`` and the business may not see the customer.
            InsufficientPoints: the balance does not cover the points (409).
        """
        points = request.points_to_redeem
        customer = customer_repository.find_by_phone(session, request.customer_phone_number)
        if not consented and (
            customer is None or not customer_service.is_visible(session, business.id, customer)
        ):
            raise CustomerNotFound()
        if customer is None:
            raise InsufficientPoints(f"The customer has 0 points and needs {_points(points)}")
        total = customer_repository.take_from_balance(session, customer.id, points)
        if total is None:
            total = self._retry_under_lock(session, customer.id, points)
        lot_service.spend(session, customer.id, points)
        transaction_id = transaction_repository.insert(
            session,
            business_id=business.id,
            customer_id=customer.id,
            type="redeem",
            points=-points,
            reward_description=request.reward_description,
            reward_id=request.reward_id,
            idempotency_key=idempotency_key,
            staff_id=staff_id,
            created_at=now,
        )
        publisher.emit(
            session,
            POINTS_REDEEMED,
            {
                "transaction_id": transaction_id,
                "business_id": business.id,
                "business_name": business.name,
                "customer_phone_number": request.customer_phone_number,
                "points": points,
                "reward_description": request.reward_description,
                "reward_id": request.reward_id,
                "total_points": total,
                "timestamp": now.isoformat(),
            },
        )
        return RedeemPointsResult(
            transaction_id=transaction_id, points_redeemed=points, total_points=total
        )

    def request_redemption_code(
        self,
        session: Session,
        publisher: EventPublisher,
        request: RedemptionCodeRequest,
        *,
        settings: LoyaltySettings,
    ) -> RedemptionCodeSent:
        """Text the customer a code that lets the business spend their points.

        Raises:
            BusinessNotFound: the business is not known here.
            BusinessNotActive: the business is pending or suspended (403).
            TooManyCodeRequests: too many codes for this phone in the last hour (429).
        """
        business = business_service.get_active_program(session, request.business_id)
        return redemption_code_service.request_code(
            session, publisher, business, request.customer_phone_number, now=utcnow(),
            settings=settings,
        )

    def _retry_under_lock(self, session: Session, customer_id: int, points: int) -> int:
        """Second look after the conditional update found too few points (see module doc).

        On PostgreSQL (READ COMMITTED) that update judged the balance as of its
        statement's snapshot; an earn may have committed a moment later. Reading the
        balance again under the row lock settles it: if the points are there now the
        deduction is done (and cannot fail: nobody else can change the locked row);
        otherwise the refusal reports the balance that really holds. On SQLite the
        write lock makes both reads the same, so this only words the refusal.

        Raises:
            InsufficientPoints: the balance does not cover ``points``.
        """
        current = customer_repository.locked_balance(session, customer_id)
        if current >= points:
            total = customer_repository.take_from_balance(session, customer_id, points)
            if total is not None:
                return total
        raise InsufficientPoints(
            f"The customer has {_points(current)} and needs {_points(points)}"
        )

    def list_for_business(
        self, session: Session, business_id: int, *, limit: int, staff_id: int | None = None
    ) -> list[BusinessTransactionRow]:
        """A business's newest ``limit`` transactions, newest first (only those of
        ``staff_id`` when given)."""
        rows = transaction_repository.list_for_business(
            session, business_id, limit, staff_id=staff_id
        )
        return [BusinessTransactionRow.model_validate(row) for row in rows]

    def ledger_page(self, session: Session, *, after_id: int, limit: int) -> LedgerPage:
        """The ledger rows after ``after_id``, ascending, at most ``limit`` of them.

        ``next_after_id`` is the page's last id while the page is full; a shorter page
        is the end of the ledger (null). A full last page is followed by an empty one.
        """
        rows = [
            LedgerRow.model_validate(row)
            for row in transaction_repository.page_after(session, after_id, limit)
        ]
        return LedgerPage(
            transactions=rows, next_after_id=rows[-1].id if len(rows) == limit else None
        )


transaction_service = TransactionService()

"""Rules for loyalty programs: the directory, the rate, and the copies of auth's businesses.

Keeping the business copy fresh (see ``models``): auth's events insert or rename
the copy, and a registration sets the first rate
(:meth:`BusinessService.apply_business_event`). Between a registration and the
arrival of its event a business would find itself unknown here, so
the fallback of ``businesses.dependencies`` fills the gap — but only for the business
itself (its own token naming its own id), so nobody can make loyalty probe auth
for arbitrary ids. The fallback runs *outside* the request's write transaction, in
the route's dependencies (``businesses.dependencies``), before that transaction
starts: :meth:`BusinessService.is_known` in a short read transaction, then
:meth:`BusinessService.fetch_from_auth` with no transaction open (an HTTP call under
SQLite's write lock would stall every other writer), then
:meth:`BusinessService.store_copy` in a short ``SeparateTransactions`` write of its
own with ``ON CONFLICT DO NOTHING``, so racing requests and a late event all converge
on one row. The copy is independent of whatever the request goes on to do, so
committing it separately is safe.

Status (see ``models``): only an ``active`` business may create or spend value —
award, redeem, ask for a customer's redemption code, pay a referral bonus
(:meth:`BusinessService.get_active_program`, 403 ``BusinessNotActive`` otherwise). A
``pending`` or ``suspended`` one still configures its program (rate, rewards,
cross-promotions). The status comes with every ``business.*`` event and with auth's
answer in the fallback; an event without one (from before status existed) keeps the
copy's.

Award limits: :meth:`BusinessService.award_limits` gives the business's limits in
points, the operator's (``python -m mubayiro.loyalty limits``) or the settings'.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.errors import InvalidInput
from mubayiro.common.money import MAX_POINTS
from mubayiro.common.tokens import Principal
from mubayiro.loyalty.businesses.exceptions import (
    BusinessNotActive,
    BusinessNotFound,
    InvalidLoyaltyRate,
)
from mubayiro.loyalty.businesses.repository import business_repository
from mubayiro.loyalty.businesses.schemas import (
    AwardLimits,
    BusinessEventData,
    BusinessPage,
    BusinessProgram,
    LoyaltyRulesUpdate,
)
from mubayiro.loyalty.clients.auth import AuthBusiness, AuthClient
from mubayiro.loyalty.config import RATE_DECIMAL_PLACES, LoyaltySettings
from mubayiro.loyalty.models import ACTIVE, BUSINESS_NAME_LENGTH, Business
from mubayiro.loyalty.rewards.service import reward_service

logger = logging.getLogger(__name__)

#: The largest daily award limit the operator may set (points; a BIGINT holds far more).
MAX_DAILY_AWARD_LIMIT = 10**12

_RATE_QUANTUM = Decimal(1).scaleb(-RATE_DECIMAL_PLACES)


class BusinessService:
    """Loyalty programs (a module singleton: ``business_service``)."""

    def list_directory(
        self, session: Session, *, q: str | None, limit: int, offset: int
    ) -> list[Business]:
        """The public directory page: names containing ``q`` (any case), sorted by name."""
        q = q.strip() if q else None
        return business_repository.search(session, q=q or None, limit=limit, offset=offset)

    def get_program(self, session: Session, business_id: int) -> Business:
        """The program of ``business_id``.

        Raises:
            BusinessNotFound: no such business here.
        """
        business = business_repository.get(session, business_id)
        if business is None:
            raise BusinessNotFound()
        return business

    def get_active_program(self, session: Session, business_id: int) -> Business:
        """The program of ``business_id``, when the business may award and redeem.

        Raises:
            BusinessNotFound: no such business here.
            BusinessNotActive: the business is pending approval or suspended (403).
        """
        business = self.get_program(session, business_id)
        if business.status != ACTIVE:
            raise BusinessNotActive()
        return business

    def award_limits(self, business: Business, settings: LoyaltySettings) -> AwardLimits:
        """The business's award limits in points: the operator's, else the defaults."""
        return AwardLimits(
            business_id=business.id,
            per_transaction=business.award_limit_per_transaction
            or settings.award_limit_per_transaction,
            per_day=business.award_limit_per_day or settings.award_limit_per_day,
            per_transaction_is_default=business.award_limit_per_transaction is None,
            per_day_is_default=business.award_limit_per_day is None,
        )

    def set_award_limits(
        self,
        session: Session,
        business_id: int,
        *,
        per_transaction: int | None,
        per_day: int | None,
        settings: LoyaltySettings,
    ) -> AwardLimits:
        """Set the business's award limits (None: the settings' default), for the operator.

        Raises:
            BusinessNotFound: no such business here.
            InvalidInput: a limit is not positive, above ``MAX_POINTS``, or the
                per-transaction limit is above the daily one.
        """
        business = self.get_program(session, business_id)
        if per_transaction is not None and not 1 <= per_transaction <= MAX_POINTS:
            raise InvalidInput(f"the per-transaction limit must be between 1 and {MAX_POINTS}")
        if per_day is not None and not 1 <= per_day <= MAX_DAILY_AWARD_LIMIT:
            raise InvalidInput(
                f"the daily limit must be between 1 and {MAX_DAILY_AWARD_LIMIT}")
        effective_tx = per_transaction or settings.award_limit_per_transaction
        effective_day = per_day or settings.award_limit_per_day
        if effective_tx > effective_day:
            raise InvalidInput(
                f"the per-transaction limit ({effective_tx}) must not exceed the daily "
                f"limit ({effective_day})"
            )
        business_repository.set_award_limits(
            session, business, per_transaction=per_transaction, per_day=per_day
        )
        return self.award_limits(business, settings)

    def public_page(self, session: Session, business_id: int) -> BusinessPage:
        """The public page of ``business_id``: its program and active rewards.

        Raises:
            BusinessNotFound: no such business here.
        """
        business = self.get_program(session, business_id)
        return BusinessPage(
            **BusinessProgram.model_validate(business).model_dump(),
            rewards=reward_service.active_summaries(session, business_id),
        )

    def set_loyalty_rules(
        self,
        session: Session,
        business_id: int,
        rules: LoyaltyRulesUpdate,
        *,
        settings: LoyaltySettings,
    ) -> BusinessProgram:
        """Give the program a new rate.

        Raises:
            InvalidLoyaltyRate: the rate is above ``max_loyalty_rate`` (422).
            BusinessNotFound: no such business here.
        """
        if rules.loyalty_rate > settings.max_loyalty_rate:
            raise InvalidLoyaltyRate(f"loyalty_rate must not exceed {settings.max_loyalty_rate}")
        business = self.get_program(session, business_id)
        business_repository.set_rate(session, business, rules.loyalty_rate.quantize(_RATE_QUANTUM))
        if "points_expire_after_days" in rules.model_fields_set:
            business_repository.set_expiry(session, business, rules.points_expire_after_days)
        return BusinessProgram.model_validate(business)

    def is_known(self, session: Session, business_id: int) -> bool:
        """Whether ``business_id`` has its copy here (first step of the fallback)."""
        return business_repository.exists(session, business_id)

    def fetch_from_auth(
        self, auth: AuthClient, business_id: int, *, caller: Principal | None
    ) -> AuthBusiness:
        """Ask auth for a business unknown here, for its owner only (see module doc).

        Call it with no transaction open.

        Raises:
            BusinessNotFound: the caller is not that business, or auth does not know it.
            UpstreamError, UpstreamUnavailable, UpstreamTimeout: auth failed (5xx).
        """
        if caller is None or caller.role != "business" or caller.business_id != business_id:
            raise BusinessNotFound()
        remote = auth.get_business(business_id)
        if remote is None:
            raise BusinessNotFound()
        logger.info("business copied from auth on first use", extra={"business_id": business_id})
        return remote

    def store_copy(
        self, session: Session, business_id: int, remote: AuthBusiness, *,
        settings: LoyaltySettings,
    ) -> None:
        """Insert the copy of ``remote`` unless a racing request or event already did."""
        business_repository.insert_if_absent(
            session,
            business_id=business_id,
            name=remote.name[:BUSINESS_NAME_LENGTH],
            loyalty_rate=self.initial_rate(remote.loyalty_rate, settings),
            status=remote.status,
        )

    def apply_business_event(
        self,
        session: Session,
        data: BusinessEventData,
        *,
        registered: bool,
        occurred_at: datetime | None = None,
        settings: LoyaltySettings,
    ) -> None:
        """Apply ``business.registered`` (``registered``) or ``business.updated``.

        Both insert the copy when missing and refresh its name and status (the status
        only when the event carries one and is not older than the copy's, see
        ``models``). Only a registration carries the first rate, and it never replaces
        a rate the business set itself.
        """
        business_repository.upsert_copy(
            session,
            business_id=data.business_id,
            name=data.name[:BUSINESS_NAME_LENGTH],
            default_rate=settings.default_loyalty_rate,
            registration_rate=self.valid_rate(data.loyalty_rate, settings) if registered else None,
            status=data.status,
            status_at=occurred_at or utcnow(),
        )

    def initial_rate(self, given: Decimal | None, settings: LoyaltySettings) -> Decimal:
        """The first rate of a new program: ``given`` if valid, else the default."""
        rate = self.valid_rate(given, settings)
        return settings.default_loyalty_rate if rate is None else rate

    def valid_rate(self, given: Decimal | None, settings: LoyaltySettings) -> Decimal | None:
        """``given`` when it is an acceptable rate, else None (logged: auth validated it)."""
        if given is None:
            return None
        if (
            not given.is_finite()
            or given < 0
            or given > settings.max_loyalty_rate
            or given != given.quantize(_RATE_QUANTUM)
        ):
            # Auth validates rates at registration; a bad one here is a bug to log,
            # not a reason to refuse the business.
            logger.warning(
                "ignoring an invalid registration loyalty_rate", extra={"rate": str(given)}
            )
            return None
        return given

business_service = BusinessService()

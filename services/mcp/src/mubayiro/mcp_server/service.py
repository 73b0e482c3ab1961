"""What a verified caller may read, and how it is read: the rules behind every MCP tool
and JSON mirror route.

Who may see what (docs/architecture.md, MCP):

- a **customer** token reads only its own phone number's data: naming any other number
  is :class:`NotYourData` — the same refusal whether or not the number is a customer,
  so the answer tells nothing about it;
- a **business** token reads its own business, its own figures, and a customer's
  balance and transactions *at that business* (loyalty's business view, with its
  visibility rules); never another business's figures, never a customer's history
  elsewhere, never a customer's recommendations;
- anyone with a valid token reads a business's public program and offers.

Every read goes to loyalty or reports with the server's own service token, naming the
subject decided here; the caller's token never leaves this service.
"""

from __future__ import annotations

import threading
import time
from datetime import date

from rapidfuzz import fuzz, process, utils

from mubayiro.common.phone import normalize_phone
from mubayiro.common.tokens import Principal
from mubayiro.mcp_server.clients.exceptions import LoyaltyNotFound
from mubayiro.mcp_server.clients.loyalty import LoyaltyClient
from mubayiro.mcp_server.clients.reports import ReportsClient
from mubayiro.mcp_server.config import McpSettings
from mubayiro.mcp_server.exceptions import (
    BusinessNotFound,
    BusinessOnly,
    CustomerNotFound,
    CustomerOnly,
    InvalidPeriod,
    NotYourData,
)
from mubayiro.mcp_server.schemas import (
    Business,
    BusinessCandidate,
    BusinessOffers,
    BusinessRef,
    BusinessSummary,
    CustomerAtBusiness,
    CustomerPoints,
    CustomerTransactions,
    Recommendations,
    RedeemableReward,
    Reward,
)

#: How many recent transactions the points view shows (loyalty's own balance view: 5).
RECENT = 5
#: How many redeemable rewards the points view lists.
REDEEMABLE_SHOWN = 5
#: A name scoring at least this is a confident match …
CONFIDENT_SCORE = 88.0
#: … unless the runner-up is within this many points of it (then: ask which one).
AMBIGUITY_MARGIN = 6.0
#: Candidates offered when no business matches confidently.
MAX_CANDIDATES = 5
#: How long the directory used for fuzzy matching is reused (a name not in it exactly is
#: still looked up in loyalty itself, so a business registered a moment ago is found).
DIRECTORY_TTL_SECONDS = 30.0
#: Longest business name (and query) considered.
MAX_NAME_LENGTH = 120


class LoyaltyReader:
    """The reads behind the tools, scoped to the verified caller."""

    def __init__(self, loyalty: LoyaltyClient, reports: ReportsClient, settings: McpSettings):
        self.loyalty = loyalty
        self.reports = reports
        self.settings = settings
        self._directory: list[BusinessRef] = []
        self._directory_at = float("-inf")
        self._directory_lock = threading.Lock()

    # --- scoping ---------------------------------------------------------------------

    def subject_phone(self, principal: Principal, phone_number: str) -> str:
        """The E.164 form of ``phone_number`` when the caller may ask about it.

        Raises:
            InvalidPhoneNumber: not a phone number (422).
            NotYourData: a customer naming another number (403).
        """
        phone = normalize_phone(phone_number)
        if principal.role == "customer" and principal.phone_number != phone:
            raise NotYourData()
        return phone

    def capped_limit(self, limit: int | None) -> int:
        """``limit`` within 1 and the configured maximum (the default when ``None``)."""
        if limit is None:
            return self.settings.default_transactions
        return max(1, min(int(limit), self.settings.max_transactions))

    @staticmethod
    def _business_id(principal: Principal) -> int:
        if principal.role != "business" or principal.business_id is None:
            raise BusinessOnly()
        return principal.business_id

    # --- reads -------------------------------------------------------------------------

    def customer_points(self, principal: Principal, phone_number: str) -> CustomerPoints:
        """Balance, last 5 transactions and (for the customer) rewards redeemable now.

        Raises:
            NotYourData, InvalidPhoneNumber: see :meth:`subject_phone`.
            CustomerNotFound: a business asking about a number it has no customer with.
        """
        phone = self.subject_phone(principal, phone_number)
        if principal.role == "business":
            view = self.find_customer(principal, phone, limit=RECENT)
            return CustomerPoints(
                phone_number=phone,
                total_points=view.total_points,
                recent_transactions=view.transactions,
            )
        points = self.loyalty.customer_points(phone)
        rewards = self.loyalty.customer_rewards(phone, limit=REDEEMABLE_SHOWN)
        redeemable = sorted(
            (r for r in rewards if r.redeemable), key=lambda r: (r.points_cost, r.name)
        )
        return points.model_copy(
            update={
                "redeemable_rewards": [
                    RedeemableReward.model_validate(r.model_dump()) for r in redeemable
                ]
            }
        )

    def customer_transactions(
        self, principal: Principal, phone_number: str, limit: int | None
    ) -> CustomerTransactions:
        """The newest transactions, ``limit`` capped (a business: its own only).

        Raises:
            NotYourData, InvalidPhoneNumber, CustomerNotFound: as above.
        """
        phone = self.subject_phone(principal, phone_number)
        capped = self.capped_limit(limit)
        if principal.role == "business":
            rows = self.find_customer(principal, phone, limit=capped).transactions
        else:
            rows = self.loyalty.customer_transactions(phone, limit=capped)
        return CustomerTransactions(phone_number=phone, limit=capped, transactions=rows)

    def recommendations(self, principal: Principal, phone_number: str) -> Recommendations:
        """The customer's own recommendations.

        Raises:
            CustomerOnly: a business token (recommendations are personal) (403).
            NotYourData, InvalidPhoneNumber: as above.
        """
        if principal.role != "customer":
            raise CustomerOnly()
        phone = self.subject_phone(principal, phone_number)
        return Recommendations(
            phone_number=phone, recommendations=self.loyalty.recommendations(phone)
        )

    def business(self, business_id: int) -> Business:
        """A business's program and active rewards.

        Raises:
            BusinessNotFound: no such business (404).
        """
        if not 1 <= business_id <= 2**31 - 1:
            raise BusinessNotFound()
        try:
            data = self.loyalty.business_offers(business_id)
        except LoyaltyNotFound as exc:
            raise BusinessNotFound() from exc
        return Business(
            id=data.id,
            name=data.name,
            loyalty_rate=data.loyalty_rate,
            rewards=[Reward.model_validate(r) for r in data.rewards],
        )

    def business_offers(self, business_name: str) -> BusinessOffers:
        """The rewards and cross-promotions of the business best matching the name.

        A name matches when it scores at least :data:`CONFIDENT_SCORE` and clearly beats
        the runner-up; otherwise nothing is guessed: the closest names come back as
        candidates (typos such as "mazoe cafee" still match "Mazoe Cafe").
        """
        query = " ".join(business_name.split())[:MAX_NAME_LENGTH]
        if not utils.default_process(query):  # nothing to match (punctuation, spaces)
            return BusinessOffers(query=query, matched=False, candidates=[])
        ranked = self._rank(query)
        exact = [c for c in ranked if c.name.casefold() == query.casefold()]
        if not exact:
            # The cached directory may predate the business (or have been read while it was
            # being registered): the exact name is asked of loyalty itself, which is current.
            exact = [
                BusinessCandidate(id=b.id, name=b.name, score=100.0)
                for b in self.loyalty.businesses_named(query)
                if b.name.casefold() == query.casefold()
            ]
        best = ranked[0] if ranked else None
        runner_up = ranked[1] if len(ranked) > 1 else None
        chosen: BusinessCandidate | None = None
        if len(exact) == 1:
            chosen = exact[0]
        elif (
            best is not None
            and not exact
            and best.score >= CONFIDENT_SCORE
            and (runner_up is None or best.score - runner_up.score >= AMBIGUITY_MARGIN)
        ):
            chosen = best
        if chosen is None:
            return BusinessOffers(query=query, matched=False, candidates=ranked)
        try:
            data = self.loyalty.business_offers(chosen.id)
        except LoyaltyNotFound:
            return BusinessOffers(query=query, matched=False, candidates=ranked)
        return BusinessOffers(
            query=query,
            matched=True,
            business=Business(
                id=data.id,
                name=data.name,
                loyalty_rate=data.loyalty_rate,
                rewards=[Reward.model_validate(r) for r in data.rewards],
            ),
            partners=data.partners,
        )

    def business_summary(
        self, principal: Principal, from_date: date | None, to_date: date | None
    ) -> BusinessSummary:
        """The calling business's reports figures.

        Raises:
            BusinessOnly: not a business token (403).
            InvalidPeriod: ``from_date`` after ``to_date`` (422).
        """
        business_id = self._business_id(principal)
        if from_date is not None and to_date is not None and from_date > to_date:
            raise InvalidPeriod()
        return self.reports.summary(business_id, from_date=from_date, to_date=to_date)

    def find_customer(
        self, principal: Principal, phone_number: str, *, limit: int | None = None
    ) -> CustomerAtBusiness:
        """A customer's balance and transactions at the calling business.

        Raises:
            BusinessOnly: not a business token (403).
            InvalidPhoneNumber: not a phone number (422).
            CustomerNotFound: the business has no such customer (404).
        """
        business_id = self._business_id(principal)
        phone = normalize_phone(phone_number)
        try:
            view = self.loyalty.business_customer(
                business_id, phone, limit=self.capped_limit(limit)
            )
        except LoyaltyNotFound as exc:
            raise CustomerNotFound() from exc
        return CustomerAtBusiness(
            business_id=business_id,
            phone_number=phone,
            total_points=view.total_points,
            transactions=view.transactions,
        )

    # --- fuzzy matching ----------------------------------------------------------------

    def _rank(self, query: str) -> list[BusinessCandidate]:
        """Businesses whose names resemble ``query``, best first (score ≥ the minimum),
        from a directory at most :data:`DIRECTORY_TTL_SECONDS` old."""
        directory = self._cached_directory()
        names = [b.name for b in directory]
        matches = process.extract(
            query,
            names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=MAX_CANDIDATES,
            score_cutoff=self.settings.min_match_score,
        )
        return [
            BusinessCandidate(id=directory[i].id, name=name, score=round(score, 1))
            for name, score, i in matches
        ]

    def _cached_directory(self) -> list[BusinessRef]:
        with self._directory_lock:
            if time.monotonic() - self._directory_at > DIRECTORY_TTL_SECONDS:
                # Aged from when the read began: what changed during a slow read counts as new.
                started = time.monotonic()
                self._directory = self.loyalty.directory()
                self._directory_at = started
            return self._directory

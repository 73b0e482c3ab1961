"""The rule-based recommender: four small rules behind the ``Recommender`` interface.

Each rule is explained in the package docstring (``recommendations/__init__.py``);
each class here reads what it needs through ``repository`` and turns it into
``Recommendation``s with a message a customer can read (one short SMS-sized line).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.cross_promotions.schemas import MAX_PARTNERS
from mubayiro.loyalty.models import Customer
from mubayiro.loyalty.recommendations.base import (
    CO_VISIT,
    CROSS_PROMOTION,
    INACTIVITY,
    MAX_RECOMMENDATIONS,
    NEAR_REWARD,
    Recommendation,
    Recommender,
    RuleDescription,
)
from mubayiro.loyalty.recommendations.repository import recommendation_repository


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


class NearRewardRule:
    """Rule 1: the cheapest reward out of reach is within X of its cost."""

    def __init__(self, fraction: Decimal):
        self.fraction = fraction

    def recommend(
        self, session: Session, customer: Customer, *, now: datetime
    ) -> list[Recommendation]:
        """At most one recommendation: the cheapest reward the customer cannot afford yet."""
        reward = recommendation_repository.cheapest_reward_above(session, customer.total_points)
        if reward is None:
            return []
        missing = reward.points_cost - customer.total_points
        # Exact Decimal comparison: 12 missing of 60 at X = 0.20 is "within", not a float's
        # 12.000000000000002.
        if missing > self.fraction * reward.points_cost:
            return []
        return [
            Recommendation(
                rule=NEAR_REWARD,
                message=f"You are {_points(missing)} away from {reward.name} "
                f"at {reward.business_name}.",
                business_id=reward.business_id,
                score=1 - missing / reward.points_cost,
            )
        ]

    def describe(self) -> list[RuleDescription]:
        """This rule's description with its X."""
        percent = f"{float(self.fraction * 100):g}%"
        return [
            RuleDescription(
                rule=NEAR_REWARD,
                title="Close to a reward",
                description=(
                    "Takes the cheapest active reward, at any business, that the customer "
                    f"cannot afford yet; if the points still missing are at most {percent} of "
                    "its cost, tells the customer how close they are."
                ),
                parameters={
                    "near_reward_fraction": float(self.fraction),
                    "near_reward_percent": float(self.fraction * 100),
                },
            )
        ]


class InactivityRule:
    """Rule 2: no visit for Y days — invite the customer back to their favourite business."""

    def __init__(self, days: int):
        self.days = days

    def recommend(
        self, session: Session, customer: Customer, *, now: datetime
    ) -> list[Recommendation]:
        """At most one recommendation: the most visited business, if the customer is away."""
        last = recommendation_repository.last_visit_at(session, customer.id)
        if last is None or now - last < timedelta(days=self.days):
            return []
        favourite = recommendation_repository.favourite_business(session, customer.id)
        if favourite is None:
            return []
        away = (now - last).days
        return [
            Recommendation(
                rule=INACTIVITY,
                message=f"We miss you at {favourite.business_name}! It has been {away} days "
                "since your last visit.",
                business_id=favourite.business_id,
                score=float(favourite.visits),
            )
        ]

    def describe(self) -> list[RuleDescription]:
        """This rule's description with its Y."""
        return [
            RuleDescription(
                rule=INACTIVITY,
                title="Come back",
                description=(
                    f"When the customer has not visited any business for {self.days} days or "
                    "more, invites them back to the business they visited most."
                ),
                parameters={"inactive_days": self.days},
            )
        ]


class CrossPromotionRule:
    """Rule 3a: partners that the customer's businesses chose to promote."""

    def recommend(
        self, session: Session, customer: Customer, *, now: datetime
    ) -> list[Recommendation]:
        """One recommendation per promoted partner the customer has never visited."""
        rows = recommendation_repository.promoted_partners(session, customer.id)
        return [
            Recommendation(
                rule=CROSS_PROMOTION,
                message=f"{row.promoter_name} recommends {row.partner_name}: "
                "your points count there too.",
                business_id=row.partner_id,
                # Rows come most-visited promoter first; keep that order.
                score=-position,
            )
            for position, row in enumerate(rows)
        ]

    def describe(self) -> list[RuleDescription]:
        """This rule's description."""
        return [
            RuleDescription(
                rule=CROSS_PROMOTION,
                title="Partner promotions",
                description=(
                    "Each business may name partner businesses to promote. A customer of "
                    "that business who has never visited a partner is told about it; "
                    "partners of the businesses the customer visits most come first."
                ),
                parameters={"max_partners_per_business": MAX_PARTNERS},
            )
        ]


class CoVisitRule:
    """Rule 3b: "customers of A also visit B", learned from all customers' visits."""

    def __init__(self, min_co_visits: int, limit: int = MAX_RECOMMENDATIONS):
        self.min_co_visits = min_co_visits
        self.limit = limit

    def recommend(
        self, session: Session, customer: Customer, *, now: datetime
    ) -> list[Recommendation]:
        """The businesses most similar (cosine over co-visits) to the customer's, never
        one they have visited."""
        rows = recommendation_repository.co_visited(
            session, customer.id, min_support=self.min_co_visits, limit=self.limit
        )
        return [
            Recommendation(
                rule=CO_VISIT,
                message=f"Customers of {row.via_name} also visit {row.partner_name}.",
                business_id=row.partner_id,
                score=row.co_visits / math.sqrt(row.visitors_via * row.visitors_partner),
            )
            for row in rows
        ]

    def describe(self) -> list[RuleDescription]:
        """This rule's description with its minimum support."""
        return [
            RuleDescription(
                rule=CO_VISIT,
                title="Customers also visit",
                description=(
                    "Learned from every customer's visits: for each business the customer "
                    "uses, counts the other customers who visited both it and another "
                    "business, and suggests the most similar business the customer has never "
                    "visited (cosine similarity: co-visits / sqrt(visitors of A x visitors "
                    f"of B)), once at least {self.min_co_visits} customers share the pair."
                ),
                parameters={"min_co_visits": self.min_co_visits, "similarity": "cosine"},
            )
        ]


class RuleBasedRecommender:
    """The recommender in use: every rule's candidates together (ranked by ``base.rank``).

    A collaborative-filtering or trained model plugs in here: write another
    ``Recommender`` (e.g. matrix factorisation over the visits, or a model served
    elsewhere behind a client in ``clients/``) emitting its own rule name, and pass
    ``CombinedRecommender([RuleBasedRecommender(settings), model])`` to ``create_app``
    (``recommender=``). Its candidates are merged with the rules' and ranked after
    them (or give its rule a place in ``base.RULE_ORDER``); to replace the rules,
    pass the model alone.
    """

    def __init__(self, settings: LoyaltySettings):
        self.rules: list[Recommender] = [
            NearRewardRule(settings.recommend_near_reward_fraction),
            InactivityRule(settings.recommend_inactive_days),
            CrossPromotionRule(),
            CoVisitRule(settings.recommend_min_co_visits),
        ]

    def recommend(
        self, session: Session, customer: Customer, *, now: datetime
    ) -> list[Recommendation]:
        """Every rule's candidates, unranked."""
        return [rec for rule in self.rules for rec in rule.recommend(session, customer, now=now)]

    def describe(self) -> list[RuleDescription]:
        """Every rule's description, in ranking order."""
        return [description for rule in self.rules for description in rule.describe()]


class CombinedRecommender:
    """Several recommenders as one: their candidates merged (ranked together by ``rank``)."""

    def __init__(self, recommenders: list[Recommender]):
        self.recommenders = recommenders

    def recommend(
        self, session: Session, customer: Customer, *, now: datetime
    ) -> list[Recommendation]:
        """Every recommender's candidates, unranked."""
        return [
            rec for r in self.recommenders for rec in r.recommend(session, customer, now=now)
        ]

    def describe(self) -> list[RuleDescription]:
        """Every recommender's descriptions."""
        return [d for r in self.recommenders for d in r.describe()]

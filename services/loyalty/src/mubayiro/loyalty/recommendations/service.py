"""Recommendations for a customer, and the description of the engine.

The engine itself is the ``Recommender`` put on ``app.state`` by ``create_app``
(the rules of ``rules.py`` unless another is given); this service finds the
customer, asks the recommender, and ranks what it returns (``base.rank``).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from mubayiro.loyalty.customers.repository import customer_repository
from mubayiro.loyalty.recommendations.base import (
    MAX_RECOMMENDATIONS,
    RULE_ORDER,
    Recommender,
    rank,
)
from mubayiro.loyalty.recommendations.schemas import (
    Capabilities,
    RecommendationOut,
    Recommendations,
    RuleCapability,
)

RANKING = (
    f"By rule ({', '.join(RULE_ORDER)}), then by each rule's own score; one "
    f"recommendation per business; at most {MAX_RECOMMENDATIONS}."
)


class RecommendationService:
    """Recommendations (a module singleton: ``recommendation_service``)."""

    def for_customer(
        self, session: Session, recommender: Recommender, phone_number: str, *, now: datetime
    ) -> Recommendations:
        """The ranked recommendations for the E.164 ``phone_number`` at time ``now``.

        A number the ledger has never seen has nothing to go on: no recommendations.
        """
        customer = customer_repository.find_by_phone(session, phone_number)
        if customer is None:
            return Recommendations(recommendations=[])
        ranked = rank(recommender.recommend(session, customer, now=now))
        return Recommendations(
            recommendations=[
                RecommendationOut(rule=r.rule, message=r.message, business_id=r.business_id)
                for r in ranked
            ]
        )

    def capabilities(self, recommender: Recommender) -> Capabilities:
        """What each rule of ``recommender`` does, with its configured parameters."""
        return Capabilities(
            rules=[RuleCapability(**asdict(d)) for d in recommender.describe()],
            ranking=RANKING,
            max_recommendations=MAX_RECOMMENDATIONS,
        )


recommendation_service = RecommendationService()

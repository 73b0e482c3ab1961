"""The recommendation engine's interface: what a recommender returns, and the ranking.

Any recommender — the rules of ``rules.py`` today, a trained model tomorrow — returns
unranked candidates; :func:`rank` orders, deduplicates and cuts them for the
customer (see the package docstring for the order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from mubayiro.loyalty.models import Customer

#: Rule names, in ranking order.
NEAR_REWARD = "near_reward"
INACTIVITY = "inactivity"
CROSS_PROMOTION = "cross_promotion"
CO_VISIT = "co_visit"
RULE_ORDER = (NEAR_REWARD, INACTIVITY, CROSS_PROMOTION, CO_VISIT)

#: At most this many recommendations are shown to a customer.
MAX_RECOMMENDATIONS = 5


@dataclass(frozen=True)
class Recommendation:
    """One suggestion for a customer.

    ``score`` orders suggestions of the same rule (higher first); it is not shown.
    """

    rule: str
    message: str
    business_id: int | None
    score: float = 0.0


@dataclass(frozen=True)
class RuleDescription:
    """What a rule does, for the capabilities route (the admin page)."""

    rule: str
    title: str
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


class Recommender(Protocol):
    """Something that suggests things to a customer.

    ``recommend`` reads what it needs through ``session`` (one read transaction) and
    returns candidates in any order; ``describe`` says what it does.
    """

    def recommend(
        self, session: Session, customer: Customer, *, now: datetime
    ) -> list[Recommendation]:
        """Candidate recommendations for ``customer`` at time ``now`` (unranked)."""
        ...

    def describe(self) -> list[RuleDescription]:
        """One description per rule this recommender applies."""
        ...


def rank(
    candidates: list[Recommendation], *, limit: int = MAX_RECOMMENDATIONS
) -> list[Recommendation]:
    """Order ``candidates`` by rule then score, keep one per business, at most ``limit``.

    Rules not in :data:`RULE_ORDER` (e.g. a model's) rank after the known ones.
    """
    order = {rule: i for i, rule in enumerate(RULE_ORDER)}
    ordered = sorted(
        enumerate(candidates),
        # The original position breaks ties, so equal scores keep the rule's own order.
        key=lambda item: (order.get(item[1].rule, len(order)), -item[1].score, item[0]),
    )
    ranked: list[Recommendation] = []
    seen: set[int] = set()
    for _, candidate in ordered:
        if candidate.business_id is not None:
            if candidate.business_id in seen:
                continue
            seen.add(candidate.business_id)
        ranked.append(candidate)
        if len(ranked) == limit:
            break
    return ranked

"""SQL the recommendation rules read: rewards within reach, visits, partners, co-visits.

A *visit* is a ledger row of type ``earn`` or ``redeem`` (see the package docstring).
Every query aggregates in the database and returns a handful of rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Row, and_, cast, func, select
from sqlalchemy.orm import Session, aliased

from mubayiro.loyalty.models import Business, CrossPromotion, PointTransaction, Reward

#: Ledger row types that mean the customer was at the business.
VISIT_TYPES = ("earn", "redeem")

_is_visit = PointTransaction.type.in_(VISIT_TYPES)


class RecommendationRepository:
    """Read-only queries for the recommendation rules."""

    def cheapest_reward_above(
        self, session: Session, balance: int
    ) -> Row[int, str, int, int, str] | None:
        """The cheapest active reward costing more than ``balance`` (ties: lowest id).

        Columns: ``reward_id, name, points_cost, business_id, business_name``.
        """
        query = (
            select(
                Reward.id.label("reward_id"),
                Reward.name,
                Reward.points_cost,
                Reward.business_id,
                Business.name.label("business_name"),
            )
            .join(Business, Business.id == Reward.business_id)
            .where(Reward.active.is_(True), Reward.points_cost > balance)
            .order_by(Reward.points_cost, Reward.id)
            .limit(1)
        )
        return session.execute(query).first()

    def last_visit_at(self, session: Session, customer_id: int) -> datetime | None:
        """When the customer last visited any business, or None if never."""
        return session.scalar(
            select(func.max(PointTransaction.created_at)).where(
                PointTransaction.customer_id == customer_id, _is_visit
            )
        )

    def favourite_business(
        self, session: Session, customer_id: int
    ) -> Row[int, str, int] | None:
        """The business the customer visited most (ties: visited last, then lowest id).

        Columns: ``business_id, business_name, visits``.
        """
        visits = func.count(PointTransaction.id)
        query = (
            select(
                PointTransaction.business_id,
                Business.name.label("business_name"),
                visits.label("visits"),
            )
            .join(Business, Business.id == PointTransaction.business_id)
            .where(PointTransaction.customer_id == customer_id, _is_visit)
            .group_by(PointTransaction.business_id, Business.name)
            .order_by(
                visits.desc(), func.max(PointTransaction.id).desc(), PointTransaction.business_id
            )
            .limit(1)
        )
        return session.execute(query).first()

    def promoted_partners(self, session: Session, customer_id: int) -> list[Row[Any]]:
        """Partners promoted by businesses the customer visits, never visited themselves.

        Columns: ``partner_id, partner_name, promoter_id, promoter_name, visits``
        (the customer's visits to the promoter), most-visited promoters first.
        """
        mine = (
            select(PointTransaction.business_id, func.count().label("visits"))
            .where(PointTransaction.customer_id == customer_id, _is_visit)
            .group_by(PointTransaction.business_id)
            .subquery("mine")
        )
        partner = aliased(Business, name="partner")
        promoter = aliased(Business, name="promoter")
        query = (
            select(
                CrossPromotion.partner_business_id.label("partner_id"),
                partner.name.label("partner_name"),
                CrossPromotion.business_id.label("promoter_id"),
                promoter.name.label("promoter_name"),
                mine.c.visits,
            )
            .join(mine, mine.c.business_id == CrossPromotion.business_id)
            .join(partner, partner.id == CrossPromotion.partner_business_id)
            .join(promoter, promoter.id == CrossPromotion.business_id)
            .where(CrossPromotion.partner_business_id.not_in(select(mine.c.business_id)))
            .order_by(mine.c.visits.desc(), promoter.id, partner.id)
        )
        return list(session.execute(query))

    def co_visited(
        self, session: Session, customer_id: int, *, min_support: int, limit: int
    ) -> list[Row[Any]]:
        """Businesses the customer never visited that their businesses' customers also visit.

        Item-to-item co-occurrence, in one statement:

        - ``visits``: distinct (customer, business) pairs of the whole ledger;
        - ``visitors``: how many customers each business has;
        - ``pairs``: self-join of ``visits`` on the customer, keeping A = a business
          this customer visited and B = one they did not, counting the (other)
          customers who visited both, with at least ``min_support`` of them;
        - score = co_visits² / (visitors(A) × visitors(B)), the square of the cosine
          similarity (same order, and no ``sqrt``, which SQLite may lack);
        - per B, only its best A (``row_number`` over B by score), best B first.

        Columns: ``partner_id, partner_name, via_id, via_name, co_visits,
        visitors_via, visitors_partner``.
        """
        visits = (
            select(PointTransaction.customer_id, PointTransaction.business_id)
            .where(_is_visit)
            .distinct()
            .cte("visits")
        )
        visitors = (
            select(visits.c.business_id, func.count().label("n"))
            .group_by(visits.c.business_id)
            .cte("visitors")
        )
        mine = select(visits.c.business_id).where(visits.c.customer_id == customer_id)
        a = visits.alias("a")
        b = visits.alias("b")
        co_visits = func.count()
        pairs = (
            select(
                a.c.business_id.label("via_id"),
                b.c.business_id.label("partner_id"),
                co_visits.label("co_visits"),
            )
            .select_from(a)
            .join(b, and_(b.c.customer_id == a.c.customer_id, b.c.business_id != a.c.business_id))
            .where(
                a.c.business_id.in_(mine),
                b.c.business_id.not_in(mine),
                a.c.customer_id != customer_id,
            )
            .group_by(a.c.business_id, b.c.business_id)
            .having(co_visits >= min_support)
            .cte("pairs")
        )
        via_n = visitors.alias("via_n")
        partner_n = visitors.alias("partner_n")
        score = cast(pairs.c.co_visits, Float) * pairs.c.co_visits / (via_n.c.n * partner_n.c.n)
        scored = (
            select(
                pairs.c.partner_id,
                pairs.c.via_id,
                pairs.c.co_visits,
                via_n.c.n.label("visitors_via"),
                partner_n.c.n.label("visitors_partner"),
                score.label("score"),
                func.row_number()
                .over(
                    partition_by=pairs.c.partner_id,
                    order_by=(score.desc(), pairs.c.co_visits.desc(), pairs.c.via_id),
                )
                .label("best"),
            )
            .join(via_n, via_n.c.business_id == pairs.c.via_id)
            .join(partner_n, partner_n.c.business_id == pairs.c.partner_id)
            .subquery("scored")
        )
        partner = aliased(Business, name="partner")
        via = aliased(Business, name="via")
        query = (
            select(
                scored.c.partner_id,
                partner.name.label("partner_name"),
                scored.c.via_id,
                via.name.label("via_name"),
                scored.c.co_visits,
                scored.c.visitors_via,
                scored.c.visitors_partner,
            )
            .join(partner, partner.id == scored.c.partner_id)
            .join(via, via.id == scored.c.via_id)
            .where(scored.c.best == 1)
            .order_by(scored.c.score.desc(), scored.c.co_visits.desc(), scored.c.partner_id)
            .limit(limit)
        )
        return list(session.execute(query))


recommendation_repository = RecommendationRepository()

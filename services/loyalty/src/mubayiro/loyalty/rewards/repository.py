"""SQL for the rewards catalog (the ``reward`` table)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, case, literal, select
from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.loyalty.models import Business, Reward


class RewardRepository:
    """Reads and writes ``reward`` rows."""

    def get_for_business(self, session: Session, business_id: int, reward_id: int) -> Reward | None:
        """The reward ``reward_id`` if it belongs to ``business_id`` (active or not), else None."""
        return session.scalar(
            select(Reward).where(Reward.id == reward_id, Reward.business_id == business_id)
        )

    def list_for_business(
        self, session: Session, business_id: int, *, include_inactive: bool
    ) -> list[Reward]:
        """A business's rewards, cheapest first (active ones only unless asked)."""
        query = select(Reward).where(Reward.business_id == business_id)
        if not include_inactive:
            query = query.where(Reward.active.is_(True))
        return list(session.scalars(query.order_by(Reward.points_cost, Reward.id)))

    def insert(self, session: Session, business_id: int, values: dict[str, Any]) -> Reward:
        """Add a reward to ``business_id``'s catalog; return it (with its id)."""
        now = utcnow()
        reward = Reward(business_id=business_id, created_at=now, updated_at=now, **values)
        session.add(reward)
        session.flush()
        return reward

    def update(self, session: Session, reward: Reward, changes: dict[str, Any]) -> Reward:
        """Apply ``changes`` to ``reward`` (``updated_at`` follows when anything changed)."""
        changed = False
        for field, value in changes.items():
            if getattr(reward, field) != value:
                setattr(reward, field, value)
                changed = True
        if changed:
            reward.updated_at = utcnow()
        session.flush()
        return reward

    def list_for_customer(
        self, session: Session, balance: int, *, limit: int, offset: int
    ) -> list[Row[Any]]:
        """Every active reward of every business, as seen with ``balance`` points.

        ``points_missing`` is ``max(points_cost - balance, 0)``, computed by the
        database, which also sorts by it: redeemable rewards (0 missing) first, then
        the closest ones; ties by cost, business name, id.
        """
        missing = case((Reward.points_cost <= balance, literal(0)),
                       else_=Reward.points_cost - balance)
        query = (
            select(
                Reward.id,
                Reward.business_id,
                Business.name.label("business_name"),
                Reward.name,
                Reward.description,
                Reward.points_cost,
                (Reward.points_cost <= balance).label("redeemable"),
                missing.label("points_missing"),
            )
            .join(Business, Business.id == Reward.business_id)
            .where(Reward.active.is_(True))
            .order_by(missing, Reward.points_cost, Business.name, Reward.id)
            .limit(limit)
            .offset(offset)
        )
        return list(session.execute(query))


reward_repository = RewardRepository()

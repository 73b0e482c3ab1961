"""SQL for ``referral_setting``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.referrals.models import ReferralSetting


class SettingRepository:
    """Reads and writes businesses' referral settings."""

    def default_bonus(self, session: Session, business_id: int) -> int | None:
        """The default bonus ``business_id`` set, if it set one."""
        return session.scalar(select(ReferralSetting.default_bonus_points).where(
            ReferralSetting.business_id == business_id))

    def save(self, session: Session, business_id: int, points: int, now: datetime) -> None:
        """Set ``business_id``'s default bonus (insert or update)."""
        try:
            with session.begin_nested():
                session.add(ReferralSetting(business_id=business_id,
                                            default_bonus_points=points, updated_at=now))
                session.flush()
        except IntegrityError:
            session.execute(
                update(ReferralSetting).where(ReferralSetting.business_id == business_id)
                .values(default_bonus_points=points, updated_at=now)
                .execution_options(synchronize_session=False)
            )


setting_repository = SettingRepository()

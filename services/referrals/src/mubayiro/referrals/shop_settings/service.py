"""A business's referral settings. Never commits.

A business that never set its default bonus has the platform's
(``REFERRALS_DEFAULT_REFERRAL_POINTS``, 100). The owner may set any whole number of
points up to the platform's maximum bonus (``REFERRALS_MAX_REFERRAL_POINTS``); if the
operator later lowers that maximum, the default offered is capped by it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.referrals.shop_settings.repository import setting_repository
from mubayiro.referrals.shop_settings.schemas import ReferralSettingsIn, ReferralSettingsOut
from mubayiro.referrals.tracking.exceptions import PointsAboveMaximum


class SettingService:
    """Businesses' referral settings (a module singleton: ``setting_service``)."""

    def default_bonus(
        self, session: Session, business_id: int, *, default: int, maximum: int
    ) -> int:
        """The bonus ``business_id`` offers when completing a referral."""
        chosen = setting_repository.default_bonus(session, business_id)
        return min(chosen if chosen is not None else default, maximum)

    def read(
        self, session: Session, business_id: int, *, default: int, maximum: int
    ) -> ReferralSettingsOut:
        """``business_id``'s settings."""
        return ReferralSettingsOut(
            business_id=business_id,
            default_bonus_points=self.default_bonus(
                session, business_id, default=default, maximum=maximum),
            max_bonus_points=maximum,
        )

    def change(
        self, session: Session, business_id: int, request: ReferralSettingsIn, *,
        default: int, maximum: int,
    ) -> ReferralSettingsOut:
        """Change ``business_id``'s settings.

        Raises:
            PointsAboveMaximum: the bonus is above the platform's maximum (422).
        """
        if request.default_bonus_points > maximum:
            raise PointsAboveMaximum(f"default_bonus_points must not exceed {maximum}")
        setting_repository.save(session, business_id, request.default_bonus_points, utcnow())
        return self.read(session, business_id, default=default, maximum=maximum)


setting_service = SettingService()

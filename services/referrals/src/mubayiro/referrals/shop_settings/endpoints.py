"""``GET|PUT /referrals/settings``: a business's referral settings (rules in ``service``).

Any staff member may read them (the till shows what a referral earns); only the owner
changes them: the bonus is paid out of the business's points (403 ``OwnerOnly``).
"""

from __future__ import annotations

from fastapi import APIRouter

from mubayiro.common.deps import ReadSession, SessionRoute, WriteSession
from mubayiro.common.errors import InvalidInput, Unauthorized, error_responses
from mubayiro.common.security import CurrentBusiness, CurrentOwner, OwnerOnly
from mubayiro.referrals.deps import SettingsDep
from mubayiro.referrals.shop_settings.schemas import ReferralSettingsIn, ReferralSettingsOut
from mubayiro.referrals.shop_settings.service import setting_service

router = APIRouter(tags=["referrals"], route_class=SessionRoute)


@router.get(
    "/referrals/settings",
    response_model=ReferralSettingsOut,
    responses=error_responses(Unauthorized, OwnerOnly),
)
def get_referral_settings(
    caller: CurrentBusiness, session: ReadSession, settings: SettingsDep
) -> ReferralSettingsOut:
    """Your business's referral settings: the bonus a completed referral pays by default."""
    assert caller.business_id is not None  # a business token
    return setting_service.read(
        session, caller.business_id, default=settings.default_referral_points,
        maximum=settings.max_referral_points,
    )


@router.put(
    "/referrals/settings",
    response_model=ReferralSettingsOut,
    responses=error_responses(Unauthorized, OwnerOnly, InvalidInput),
)
def put_referral_settings(
    caller: CurrentOwner, body: ReferralSettingsIn, session: WriteSession,
    settings: SettingsDep,
) -> ReferralSettingsOut:
    """Set the bonus a completed referral pays by default (owners only)."""
    assert caller.business_id is not None
    return setting_service.change(
        session, caller.business_id, body, default=settings.default_referral_points,
        maximum=settings.max_referral_points,
    )

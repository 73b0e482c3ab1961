"""Dependencies of the SMS routes."""

from __future__ import annotations

from mubayiro.notifications.deps import SettingsDep, SmsProviderDep
from mubayiro.notifications.sms.exceptions import OutboxNotAvailable


def outbox_enabled(settings: SettingsDep, provider: SmsProviderDep) -> None:
    """Let the request through only when the outbox may be shown (else 404).

    The outbox exposes every SMS, one-time codes included, so it exists only when SMS
    are not really sent (console provider) and never in production.
    """
    if settings.environment == "production" or provider.name != "console":
        raise OutboxNotAvailable()

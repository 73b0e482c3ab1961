"""Dependencies of the password reset routes: the policy, the mail provider, and the
gate of the development mailbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mubayiro.auth.deps import SettingsDep
from mubayiro.auth.mail import ConsoleMailProvider, MailProvider
from mubayiro.auth.password_reset.exceptions import DevMailNotAvailable
from mubayiro.auth.password_reset.service import ResetPolicy


def get_reset_policy(request: Request) -> ResetPolicy:
    """Lifetime and limits of reset links (built once in ``create_app``)."""
    reset_policy: ResetPolicy = request.app.state.reset_policy
    return reset_policy


def get_mail_provider(request: Request) -> MailProvider:
    """The app's mail provider."""
    mail_provider: MailProvider = request.app.state.mail_provider
    return mail_provider


ResetPolicyDep = Annotated[ResetPolicy, Depends(get_reset_policy)]
MailProviderDep = Annotated[MailProvider, Depends(get_mail_provider)]


def console_mailbox(settings: SettingsDep, provider: MailProviderDep) -> ConsoleMailProvider:
    """The console provider's kept mails, only outside production (else 404).

    The mailbox shows reset links, so it exists only when mail is not really sent.

    Raises:
        DevMailNotAvailable: production, or a real mail provider (404).
    """
    if settings.environment == "production" or not isinstance(provider, ConsoleMailProvider):
        raise DevMailNotAvailable()
    return provider


ConsoleMailbox = Annotated[ConsoleMailProvider, Depends(console_mailbox)]

"""Password reset: a single-use link by e-mail, then a new password.

``request`` answers the same whatever the address (the route always says 202): for a
staff member it stores the SHA-256 of a fresh random token, valid
``AUTH_PASSWORD_RESET_SECONDS`` (30 minutes), and returns the mail to send, with the
link ``AUTH_PASSWORD_RESET_URL#token=<token>`` (in the fragment, which browsers never
send to a server: the token stays out of access logs and ``Referer`` headers). At most
``AUTH_PASSWORD_RESET_MAX_REQUESTS`` links per member per
``AUTH_PASSWORD_RESET_WINDOW_SECONDS``: more requests are answered alike but send
nothing, so nobody can flood a mailbox through us.

``confirm`` spends the token with a conditional UPDATE (it works once), sets the new
password, spends the member's other links and ends all their sessions (refresh tokens):
whoever knew the old password is signed out within one access token's lifetime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.mail import Mail
from mubayiro.auth.models import PasswordResetToken, Staff
from mubayiro.auth.password_reset import repository
from mubayiro.auth.password_reset.exceptions import InvalidResetToken
from mubayiro.auth.passwords import hash_password
from mubayiro.auth.secret_tokens import new_token, token_hash
from mubayiro.auth.staff import repository as staff_repository
from mubayiro.auth.staff.service import staff_service


@dataclass(frozen=True)
class ResetPolicy:
    """Lifetime of a link, how many a member may be sent per window, and the page the
    link opens."""

    ttl: timedelta
    max_requests: int
    window: timedelta
    link_base: str

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> ResetPolicy:
        """The policy the settings describe."""
        return cls(
            ttl=timedelta(seconds=settings.password_reset_seconds),
            max_requests=settings.password_reset_max_requests,
            window=timedelta(seconds=settings.password_reset_window_seconds),
            link_base=settings.password_reset_url,
        )


def reset_mail(member: Staff, token: str, policy: ResetPolicy) -> Mail:
    """The e-mail that carries a reset link to ``member``."""
    minutes = int(policy.ttl.total_seconds() // 60)
    body = (
        f"Hello {member.name},\n\n"
        "Someone (we hope you) asked to reset the password you use to sign in to "
        "Mubayiro.\n\n"
        f"Choose a new password here (the link works once, for {minutes} minutes):\n"
        f"{policy.link_base}#token={token}\n\n"
        "If you did not ask, ignore this mail: your password stays as it is.\n"
    )
    return Mail(to=member.email, subject="Reset your Mubayiro password", body=body)


class PasswordResetService:
    """Issues and redeems password reset links."""

    def request(
        self, session: Session, email: str, *, now: datetime, policy: ResetPolicy
    ) -> Mail | None:
        """The reset mail to send for ``email``, or None (no such member, or the member's
        link limit is reached). The caller answers the same either way."""
        member = staff_repository.get_active_by_email(session, email)
        if member is None:
            return None
        repository.delete_older_than(session, member.id, now - max(policy.window, policy.ttl))
        if repository.count_since(session, member.id, now - policy.window) >= policy.max_requests:
            return None
        token = new_token()
        repository.add(session, PasswordResetToken(
            staff_id=member.id, token_hash=token_hash(token), created_at=now,
            expires_at=now + policy.ttl,
        ))
        return reset_mail(member, token, policy)

    def confirm(self, session: Session, token: str, password: str, *, now: datetime) -> Staff:
        """Set the password of the member the link was sent to; end their sessions.

        Raises:
            InvalidResetToken: unknown, expired or used token, or its member removed.
        """
        # Hash before the first statement (which opens the write transaction).
        password_hash = hash_password(password)
        row = repository.get_by_hash(session, token_hash(token))
        if row is None or row.used_at is not None or row.expires_at <= now:
            raise InvalidResetToken()
        member = staff_repository.get_active(session, row.staff_id)
        if member is None or not repository.spend(session, row.id, now=now):
            raise InvalidResetToken()
        repository.spend_for_staff(session, member.id, now=now)
        staff_service.set_password(session, member, password_hash, now=now)
        return member


password_reset_service = PasswordResetService()

"""Sessions for a shift: the refresh tokens behind a signed-in till or back office.

How a session works. A login starts a *family*: one random ``family_id`` and a first
refresh token, valid until the login time plus ``AUTH_REFRESH_TOKEN_SECONDS`` (a
shift, 12 hours by default). ``POST /auth/refresh`` exchanges a token for a new access
token and the family's next refresh token, and marks the old one used — with a
conditional UPDATE, so of two requests racing with one token only one gets a pair.
Every token of a family ends when the family does: refreshing never stretches a
session past its shift.

Reuse detection. A used token presented again means two parties hold the session (a
stolen token, or a client that lost the newer one): the whole family is revoked, so
the thief's copy dies with the owner's, and the answer is 401. The revocation must
survive the refusal, hence ``CommitThenRefuse``. A client must therefore refresh once
at a time and keep the newest token (the admin UI serialises its refreshes).

Logout revokes the family of the token it is given. Removing a member, suspending a
business and resetting a password revoke every family of the members concerned
(:mod:`mubayiro.auth.sessions.repository`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.models import RefreshToken, Staff
from mubayiro.auth.secret_tokens import new_token, token_hash
from mubayiro.auth.sessions import repository
from mubayiro.auth.sessions.exceptions import InvalidRefreshToken
from mubayiro.auth.staff import repository as staff_repository
from mubayiro.common.errors import CommitThenRefuse


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session (a refresh token family) lasts from its login."""

    lifetime: timedelta

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> SessionPolicy:
        """The policy the settings describe."""
        return cls(lifetime=timedelta(seconds=settings.refresh_token_seconds))


@dataclass(frozen=True)
class IssuedRefreshToken:
    """A refresh token as handed out (the only time it exists in plain text)."""

    token: str
    expires_at: datetime

    def expires_in(self, now: datetime) -> int:
        """Whole seconds from ``now`` until the session ends."""
        return max(0, int((self.expires_at - now).total_seconds()))


class SessionService:
    """Starts, rotates and ends sessions."""

    def _issue(
        self, session: Session, *, family_id: str, staff_id: int, now: datetime,
        expires_at: datetime,
    ) -> IssuedRefreshToken:
        token = new_token()
        repository.add(session, RefreshToken(
            family_id=family_id, staff_id=staff_id, token_hash=token_hash(token),
            created_at=now, expires_at=expires_at,
        ))
        return IssuedRefreshToken(token=token, expires_at=expires_at)

    def start(
        self, session: Session, staff_id: int, *, now: datetime, policy: SessionPolicy
    ) -> IssuedRefreshToken:
        """Start a new session for the member who just signed in; forget their ended ones."""
        repository.delete_expired(session, staff_id, before=now)
        return self._issue(session, family_id=uuid.uuid4().hex, staff_id=staff_id, now=now,
                           expires_at=now + policy.lifetime)

    def rotate(
        self, session: Session, token: str, *, now: datetime
    ) -> tuple[Staff, IssuedRefreshToken]:
        """Exchange ``token`` for the session's next one; return its member too.

        Raises:
            InvalidRefreshToken: unknown, expired or revoked token, or its member removed.
            CommitThenRefuse: carrying ``InvalidRefreshToken``, when the token was already
                used: its whole family is revoked (committed) first.
        """
        row = repository.get_by_hash(session, token_hash(token))
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise InvalidRefreshToken()
        if row.used_at is not None or not repository.mark_used(session, row.id, now=now):
            repository.revoke_family(session, row.family_id, now=now)
            raise CommitThenRefuse(InvalidRefreshToken(
                "This refresh token was already used: the session is ended for safety. "
                "Sign in again."
            ))
        member = staff_repository.get_active(session, row.staff_id)
        if member is None:
            # Removal revokes the member's sessions; this only guards against a row
            # written in between. Nothing to keep: the refusal rolls the UPDATE back.
            raise InvalidRefreshToken()
        issued = self._issue(session, family_id=row.family_id, staff_id=row.staff_id, now=now,
                             expires_at=row.expires_at)
        return member, issued

    def end(self, session: Session, token: str, *, now: datetime) -> None:
        """Revoke the session ``token`` belongs to (unknown tokens are ignored: signing
        out twice, or with a token of an ended session, is not an error)."""
        row = repository.get_by_hash(session, token_hash(token))
        if row is not None:
            repository.revoke_family(session, row.family_id, now=now)


session_service = SessionService()

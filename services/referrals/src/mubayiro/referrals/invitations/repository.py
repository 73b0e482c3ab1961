"""SQL for ``invitation``: storing one and the rate-limit count.

The invitation-SMS sender's statements (claim, record, release) and the dead-letter
operations are the shared :class:`~mubayiro.common.queue.WorkQueue` ones
(``models.invitation_queue``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mubayiro.referrals.models import Invitation


class InvitationRepository:
    """Reads and writes invitations."""

    def add(self, session: Session, invitation: Invitation) -> None:
        """Insert ``invitation`` (its id is set on return)."""
        session.add(invitation)
        session.flush()

    def sent_since(self, session: Session, inviter: str, since: datetime) -> list[datetime]:
        """When ``inviter``'s invitations since ``since`` were made, oldest first."""
        return list(session.scalars(
            select(Invitation.created_at)
            .where(Invitation.inviter_phone_number == inviter, Invitation.created_at > since)
            .order_by(Invitation.created_at)
        ))


invitation_repository = InvitationRepository()

"""SQL for ``invitation``: the rate-limit count and the invitation-SMS sender's rows.

The sender's updates are all conditional on its claim token, so a round that lost its
lease (it ran too long and another round took the row) never overwrites the other's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from mubayiro.referrals.models import SMS_PENDING, Invitation


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

    def claim_due(
        self, session: Session, *, claim: str, now: datetime, lease_until: datetime, limit: int
    ) -> list[Invitation]:
        """Take up to ``limit`` due pending SMS for this round (see ``sender``)."""
        due = (Invitation.sms_status == SMS_PENDING, Invitation.sms_next_attempt_at <= now)
        ids = list(session.scalars(
            select(Invitation.id).where(*due).order_by(Invitation.id).limit(limit)
        ))
        if not ids:
            return []
        # Repeating "pending and due" makes the claim safe against a concurrent round.
        session.execute(
            update(Invitation)
            .where(Invitation.id.in_(ids), *due)
            .values(sms_claim=claim, sms_next_attempt_at=lease_until)
            .execution_options(synchronize_session=False)
        )
        return list(session.scalars(
            select(Invitation).where(Invitation.sms_claim == claim).order_by(Invitation.id)
        ))

    def _update_claimed(self, session: Session, invitation_id: int, claim: str,
                        **values: object) -> bool:
        result = session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id, Invitation.sms_claim == claim,
                   Invitation.sms_status == SMS_PENDING)
            .values(sms_claim=None, **values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    def mark_accepted(
        self, session: Session, invitation_id: int, claim: str, *, status: str, sms_id: int,
        attempts: int, now: datetime,
    ) -> bool:
        """Notifications took the SMS (``queued`` or ``skipped``)."""
        return self._update_claimed(
            session, invitation_id, claim, sms_status=status, sms_id=sms_id,
            sms_attempts=attempts, sms_accepted_at=now, sms_last_error=None,
        )

    def mark_failed(self, session: Session, invitation_id: int, claim: str, *, attempts: int,
                    error: str) -> bool:
        """Notifications refused the SMS for good."""
        return self._update_claimed(
            session, invitation_id, claim, sms_status="failed", sms_attempts=attempts,
            sms_last_error=error,
        )

    def reschedule(self, session: Session, invitation_id: int, claim: str, *, attempts: int,
                   error: str, not_before: datetime) -> bool:
        """The attempt failed for now: try again at ``not_before``."""
        return self._update_claimed(
            session, invitation_id, claim, sms_attempts=attempts, sms_last_error=error,
            sms_next_attempt_at=not_before,
        )

    def release(self, session: Session, invitation_ids: Sequence[int], claim: str, *,
                not_before: datetime) -> None:
        """Give claimed rows back untried, due at ``not_before``."""
        if not invitation_ids:
            return
        session.execute(
            update(Invitation)
            .where(Invitation.id.in_(invitation_ids), Invitation.sms_claim == claim)
            .values(sms_claim=None, sms_next_attempt_at=not_before)
            .execution_options(synchronize_session=False)
        )

    def pending_count(self, session: Session) -> int:
        """How many invitation SMS notifications has not taken yet."""
        return int(session.scalar(
            select(func.count()).select_from(Invitation)
            .where(Invitation.sms_status == SMS_PENDING)
        ) or 0)


invitation_repository = InvitationRepository()

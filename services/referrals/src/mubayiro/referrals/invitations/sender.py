"""The invitation sender: hands owed invitation SMS to notifications until it takes them.

Why a thread. ``POST /referrals/invite`` only writes the invitation (with its SMS text)
in its own transaction — a local outbox of SMS requests (see ``invitations.service``).
This thread delivers them, the same way the shared event dispatcher delivers events:

1. **Claim.** In one short write transaction, select up to ``batch_size`` invitations
   whose SMS is ``pending`` and due, then UPDATE them — repeating "pending and due" in
   the WHERE — to carry a fresh claim token and a ``sms_next_attempt_at`` pushed
   ``lease_seconds`` ahead. Two senders (replicas) never take the same row; the row of a
   sender that died becomes due again when its lease runs out.
2. **Send** each one to notifications' ``POST /internal/sms`` with ``Idempotency-Key:
   invite-<referral_id>``, outside any transaction.
3. **Record**, conditional on the claim token:
   - 202 → ``queued`` (or ``skipped``: the friend replied STOP to an earlier SMS), with
     notifications' SMS id;
   - 400/422 (notifications will never take this request) → ``failed``, logged;
   - anything else (down, timeout, 5xx, 401/403 while tokens are sorted out, 409 while
     the same key is in flight) → still ``pending``, retried after a capped exponential
     backoff. The round stops there and the sender pauses until that retry: when one
     request fails, notifications is most likely down for all of them.

Exactly one SMS per invitation: a retry after a lost answer carries the same key and
the same stored body, so notifications answers with the SMS it already has.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from mubayiro.common.db import Database, utcnow
from mubayiro.common.http import PeerError
from mubayiro.common.workers import BackgroundWorker
from mubayiro.referrals.clients.notifications import NotificationsClient
from mubayiro.referrals.invitations.repository import invitation_repository
from mubayiro.referrals.invitations.service import SMS_KIND, sms_idempotency_key
from mubayiro.referrals.models import Invitation

logger = logging.getLogger(__name__)

_MAX_ERROR_LENGTH = 500
#: Refusals a retry cannot change: the request itself is wrong.
_PERMANENT_STATUSES = {400, 422}


class InvitationSender(BackgroundWorker):
    """Background thread delivering invitation SMS to notifications (see module doc)."""

    name = "invitation-sender"

    def __init__(
        self,
        database: Database,
        notifications: NotificationsClient,
        *,
        poll_seconds: float = 5.0,
        retry_base_seconds: float = 2.0,
        max_backoff_seconds: float = 300.0,
        lease_seconds: float = 120.0,
        batch_size: int = 20,
    ):
        super().__init__(
            poll_seconds=poll_seconds,
            retry_base_seconds=retry_base_seconds,
            max_backoff_seconds=max_backoff_seconds,
            join_timeout_seconds=lease_seconds,
        )
        self.db = database
        self.notifications = notifications
        self.lease_seconds = lease_seconds
        self.batch_size = batch_size
        self._paused_until: datetime | None = None

    def run_once(self) -> bool:
        """One delivery round (see :meth:`send_due`)."""
        return self.send_due()

    def send_due(self) -> bool:
        """Deliver one batch of due SMS; True when more may be due right away."""
        now = utcnow()
        if self._paused_until is not None and now < self._paused_until:
            return False
        claim = str(uuid.uuid4())
        with self.db.session(write=True) as session:
            rows = invitation_repository.claim_due(
                session, claim=claim, now=now,
                lease_until=now + timedelta(seconds=self.lease_seconds), limit=self.batch_size,
            )
        for index, row in enumerate(rows):
            if self.stopping:
                self._release([r.id for r in rows[index:]], claim, utcnow())
                return False
            if not self._send_one(row, claim):
                assert self._paused_until is not None
                self._release([r.id for r in rows[index + 1:]], claim, self._paused_until)
                return False
        self._paused_until = None
        return len(rows) == self.batch_size

    def _send_one(self, row: Invitation, claim: str) -> bool:
        """Send one claimed invitation and record the outcome; False on a temporary failure."""
        attempts = row.sms_attempts + 1
        try:
            accepted = self.notifications.request_sms(
                to=row.friend_phone_number, body=row.sms_body, kind=SMS_KIND,
                essential=False, idempotency_key=sms_idempotency_key(row.referral_id),
            )
        except PeerError as exc:
            if exc.status_code not in _PERMANENT_STATUSES:
                self._reschedule(row, claim, attempts, f"{exc.status_code} {exc.error}: "
                                 f"{exc.detail}")
                return False
            logger.error(
                "invitation sms refused by notifications",
                extra={"referral_id": row.referral_id, "status": exc.status_code,
                       "error": exc.error, "detail": exc.detail},
            )
            with self.db.session(write=True) as session:
                invitation_repository.mark_failed(
                    session, row.id, claim, attempts=attempts,
                    error=f"{exc.status_code} {exc.error}: {exc.detail}"[:_MAX_ERROR_LENGTH],
                )
            return True
        except Exception as exc:  # down, timeout, 5xx, no token: all mean "later"
            self._reschedule(row, claim, attempts, f"{type(exc).__name__}: {exc}")
            return False
        with self.db.session(write=True) as session:
            recorded = invitation_repository.mark_accepted(
                session, row.id, claim, status=accepted.status, sms_id=accepted.id,
                attempts=attempts, now=utcnow(),
            )
        if not recorded:
            logger.warning("invitation sms sent after its claim was lost",
                           extra={"referral_id": row.referral_id})
        return True

    def _reschedule(self, row: Invitation, claim: str, attempts: int, reason: str) -> None:
        not_before = utcnow() + self.backoff(attempts)
        self._paused_until = not_before
        logger.warning(
            "invitation sms not delivered; will retry",
            extra={"referral_id": row.referral_id, "attempts": attempts, "error": reason,
                   "retry_at": not_before.isoformat()},
        )
        with self.db.session(write=True) as session:
            invitation_repository.reschedule(
                session, row.id, claim, attempts=attempts, error=reason[:_MAX_ERROR_LENGTH],
                not_before=not_before,
            )

    def _release(self, ids: list[int], claim: str, not_before: datetime) -> None:
        with self.db.session(write=True) as session:
            invitation_repository.release(session, ids, claim, not_before=not_before)

"""The invitation sender: hands owed invitation SMS to notifications until it takes them.

Why a thread. ``POST /referrals/invite`` only writes the invitation (with its SMS text)
in its own transaction — a local outbox of SMS requests (see ``invitations.service``).
This thread delivers them. It is the shared queue worker (:mod:`mubayiro.common.queue`:
claim a batch with a lease, send each, record each outcome, stop a round before its
lease could run out) over ``models.invitation_queue``; each claimed invitation is sent
to notifications' ``POST /internal/sms`` with ``Idempotency-Key: invite-<referral_id>``,
and the answer decides:

- 202 → ``queued`` (or ``skipped``: the friend replied STOP to an earlier SMS), with
  notifications' SMS id;
- a refusal of the request itself — 4xx but 401, 403 (tokens being sorted out), 408,
  409 (the same key still in flight) and 429 → parked as ``failed``, a dead letter an
  operator may retry after a fix or discard (``python -m mubayiro.referrals outbox``);
- anything else (down, timeout, 5xx, 401/403, 408, 409, 429) → still ``pending``,
  retried after a capped exponential back-off. With ``pause_on_retry`` the round stops
  there and the sender waits before calling notifications again: when one request
  fails, notifications is most likely down for all of them.

Exactly one SMS per invitation: a retry after a lost answer carries the same key and
the same stored body, so notifications answers with the SMS it already has.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from mubayiro.common.db import Database, utcnow
from mubayiro.common.http import PeerRefused
from mubayiro.common.queue import Done, Outcome, Park, QueueWorker, Retry
from mubayiro.referrals.clients.notifications import NotificationsClient
from mubayiro.referrals.invitations.service import SMS_KIND, sms_idempotency_key
from mubayiro.referrals.models import invitation_queue

#: 4xx answers that are about the moment or the caller, not the request: retried.
_TEMPORARY_4XX = frozenset({401, 403, 408, 409, 429})


class InvitationSender(QueueWorker):
    """Background thread delivering invitation SMS to notifications (see module doc).

    Raises:
        ValueError: ``lease_seconds`` is not longer than one request's timeout.
    """

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
        request_timeout_seconds: float = 30.0,
        batch_size: int = 20,
    ):
        super().__init__(
            database,
            invitation_queue,
            poll_seconds=poll_seconds,
            retry_base_seconds=retry_base_seconds,
            max_backoff_seconds=max_backoff_seconds,
            batch_size=batch_size,
            lease_seconds=lease_seconds,
            item_timeout_seconds=request_timeout_seconds,
            pause_on_retry=True,
        )
        self.notifications = notifications

    def send_due(self) -> bool:
        """Deliver one batch of due SMS; True when more may be due right away."""
        return self.process_due()

    def process(self, item: Row[Any]) -> Outcome:
        """Ask notifications for one invitation's SMS and judge the answer (see module doc)."""
        try:
            accepted = self.notifications.request_sms(
                to=item.friend_phone_number, body=item.sms_body, kind=SMS_KIND,
                essential=False, idempotency_key=sms_idempotency_key(item.referral_id),
            )
        except PeerRefused as exc:
            reason = f"{exc.peer_status} {exc.peer_error}: {exc.peer_detail}"
            if exc.peer_status not in _TEMPORARY_4XX:
                return Park(reason)
            return Retry(reason)
        # Down, timeout, no token: any other exception is a retry (QueueWorker).
        return Done(status=accepted.status,
                    values={"sms_id": accepted.id, "sms_accepted_at": utcnow()})

"""SMS rules: what may be queued, and what the outbox shows. Never commits.

Queuing only inserts a row in the caller's transaction; the SMS leaves when that
transaction has committed and the sender picks the row up. :meth:`SmsService.enqueue`
registers a commit hook that wakes the sender at once, so a queued SMS does not wait
for the next poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from sqlalchemy import event
from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.phone import normalize_phone
from mubayiro.notifications.models import SmsMessage
from mubayiro.notifications.sms.repository import sms_repository
from mubayiro.notifications.sms.texts import fits_one_sms

logger = logging.getLogger(__name__)


class SmsService:
    """Queues SMS and lists the outbox."""

    def enqueue(
        self,
        session: Session,
        *,
        to: str,
        body: str,
        kind: str,
        provider: str,
        event_id: str | None = None,
        wakeup: threading.Event | None = None,
    ) -> int | None:
        """Queue ``body`` for ``to`` in ``session``'s transaction; return the message id.

        Returns None when this event already queued an SMS of this ``kind`` (it is
        not queued twice). ``wakeup`` is set once the transaction commits.

        Raises:
            InvalidPhoneNumber: ``to`` is not a valid phone number.
        """
        to_number = normalize_phone(to)
        if not fits_one_sms(body):
            # Templates are built to fit; a longer body still goes out, in several parts.
            logger.warning("sms longer than one segment", extra={"kind": kind})
        message_id = sms_repository.add_queued(
            session, to_number=to_number, body=body, kind=kind, provider=provider,
            event_id=event_id, now=utcnow(),
        )
        if message_id is None:
            logger.info("sms already queued for event", extra={"event_id": event_id, "kind": kind})
            return None
        if wakeup is not None:
            event.listen(session, "after_commit", lambda _s: wakeup.set(), once=True)
        return message_id

    def outbox(self, session: Session, *, to: str | None, limit: int) -> Sequence[SmsMessage]:
        """The latest ``limit`` messages, newest first, optionally to one E.164 number."""
        return sms_repository.list_recent(session, to_number=to, limit=limit)


sms_service = SmsService()

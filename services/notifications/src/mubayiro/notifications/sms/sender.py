"""The background sender: takes queued SMS from ``sms_message`` and hands them to the provider.

Why a separate thread. Whoever wants an SMS sent (an event handler,
``POST /internal/sms``) only inserts a ``queued`` row in its own transaction. Nothing
calls a provider while a request or an event is being handled, so a slow or failing
Twilio never slows them or rolls them back, and an SMS exists only if the change that
caused it committed.

How. :class:`SmsSender` is the shared queue worker (:mod:`mubayiro.common.queue`:
claim a batch with a lease, send each, record each outcome, stop a round before its
lease could run out) over ``models.sms_queue``. What is particular to SMS:

- in the claim transaction, claimed non-essential SMS whose recipient has opted out
  since they were queued become ``skipped`` and are not sent (the send-time opt-out
  check, :meth:`SmsSender.on_claimed`);
- the provider's answer decides the outcome: accepted → ``sent`` with its message id
  and ``sent_at`` (the text of a secret kind, a sign-in code, is replaced once sent);
  :class:`PermanentSmsError` (invalid number, blocked…) → parked as ``failed`` with the
  reason, a dead letter an operator may retry or discard; :class:`TemporarySmsError`
  (or any unexpected error) → still ``queued``, retried after its back-off. Such a
  message is never dropped;
- ``pause_on_retry``: a temporary failure almost always means the provider itself is in
  trouble, so the round stops there, the rest of the batch is given back untried and
  the sender waits before calling the provider again, rather than hitting a failing
  provider once per message.

Waking. :meth:`SmsService.enqueue` sets :attr:`SmsSender.wakeup` when the enqueuing
transaction commits, so a new SMS leaves at once; otherwise the thread polls every
``poll_seconds`` (retries fall due that way).

Delivery is at-least-once: if the process dies after the provider accepted an SMS but
before ``sent`` was recorded, the lease runs out and the SMS is sent again. The window
is one short UPDATE.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Unpack

from sqlalchemy import Row
from sqlalchemy.orm import Session

from mubayiro.common.db import Database, utcnow
from mubayiro.common.queue import Done, Outcome, Park, QueueTuning, QueueWorker, Retry
from mubayiro.notifications.models import sms_queue
from mubayiro.notifications.sms.providers import PermanentSmsError, SmsProvider, TemporarySmsError
from mubayiro.notifications.sms.repository import sms_repository

logger = logging.getLogger(__name__)

#: What a sent message of a redacted kind keeps in place of its text.
REDACTED_BODY = "[hidden after sending]"


class SmsSender(QueueWorker):
    """Background thread sending queued SMS through an :class:`SmsProvider` (see module doc).

    Raises:
        ValueError: ``lease_seconds`` is not longer than one send's timeout.
    """

    name = "sms-sender"
    tuning = QueueTuning(poll_seconds=2.0, retry_base_seconds=2.0, max_backoff_seconds=300.0)

    def __init__(
        self,
        database: Database,
        provider: SmsProvider,
        *,
        wakeup: threading.Event | None = None,
        send_timeout_seconds: float = 10.0,
        redact_kinds: frozenset[str] = frozenset(),
        **tuning: Unpack[QueueTuning],
    ):
        super().__init__(
            database, sms_queue, wakeup=wakeup, item_timeout_seconds=send_timeout_seconds,
            pause_on_retry=True, **tuning,
        )
        self.provider = provider
        # Kinds whose text is a secret (sign-in codes): not kept once delivered.
        self.redact_kinds = redact_kinds

    def send_due(self) -> bool:
        """Send one batch of due messages; True when more may be due right away."""
        return self.process_due()

    def on_claimed(self, session: Session, claim: str, items: list[Row[Any]]) -> list[Row[Any]]:
        """Skip the claimed SMS whose recipient opted out while they waited."""
        skipped = set(sms_repository.skip_opted_out(session, claim=claim))
        if skipped:
            logger.info(
                "sms skipped: recipient opted out after queuing",
                extra={"sms_ids": sorted(skipped)},
            )
        return [item for item in items if item.id not in skipped]

    def process(self, item: Row[Any]) -> Outcome:
        """Hand one SMS to the provider and judge its answer (see module doc)."""
        try:
            provider_message_id = self.provider.send(item.to_number, item.body)
        except PermanentSmsError as exc:
            return Park(exc.reason)
        except TemporarySmsError as exc:
            return Retry(exc.reason)
        values: dict[str, Any] = {
            "provider": self.provider.name,
            "provider_message_id": provider_message_id[:64],
            "sent_at": utcnow(),
        }
        if item.kind in self.redact_kinds:
            values["body"] = REDACTED_BODY
        logger.info("sms sent", extra={"sms_id": item.id, "provider": self.provider.name,
                                       "attempts": item.attempts + 1})
        return Done(values=values)

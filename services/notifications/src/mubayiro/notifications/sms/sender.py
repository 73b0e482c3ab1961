"""The background sender: takes queued SMS from ``sms_message`` and hands them to the provider.

Why a separate thread. Whoever wants an SMS sent (an event handler,
``POST /internal/sms``) only inserts a ``queued`` row in its own transaction. Nothing
calls a provider while a request or an event is being handled, so a slow or failing
Twilio never slows them or rolls them back, and an SMS exists only if the change that
caused it committed.

How a round works (:meth:`SmsSender.send_due`), the same way as the event dispatcher
in ``mubayiro.common.events``:

1. **Claim.** In one short write transaction, select up to ``batch_size`` queued rows
   whose ``next_attempt_at`` has come, then UPDATE them — repeating "queued and due" in
   the WHERE — to carry a fresh claim token and a ``next_attempt_at`` pushed
   ``lease_seconds`` ahead (the lease). Only rows that UPDATE matched carry our token, so
   two senders (replicas on PostgreSQL) never take the same row, and a row whose sender
   died becomes due again when its lease runs out. In the same transaction, claimed
   non-essential rows whose recipient has opted out since they were queued become
   ``skipped`` and are dropped from the round (the send-time opt-out check). The
   transaction commits before any SMS is sent: no lock or transaction is held during
   the provider call.
2. **Send** each claimed row, one by one, outside any transaction.
3. **Record** the outcome in its own short transaction, conditional on our claim token:
   - accepted → ``sent`` with the provider's message id and ``sent_at``;
   - :class:`TemporarySmsError` (or any unexpected error) → still ``queued``, ``attempts``
     + 1, ``last_error``, and ``next_attempt_at`` = now + a capped exponential backoff
     (``retry_base_seconds`` × 2^(attempts−1), ±20 % jitter, never above
     ``max_backoff_seconds``). Such a message is never dropped: it is retried until the
     provider accepts or refuses it;
   - :class:`PermanentSmsError` → ``failed`` with the reason; it is not retried.

A temporary failure almost always means the provider itself is in trouble, so the round
stops there: the rest of the batch is given back untried and the sender pauses sending
until that message's retry time, rather than hitting a failing provider once per message.
Rows are also given back (due at once) when the sender stops, or when the round has run
so long that the lease could expire before the next send finishes — so a row is never
sent while another sender might already hold it.

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
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from mubayiro.common.db import Database, utcnow
from mubayiro.common.workers import BackgroundWorker
from mubayiro.notifications.models import SmsMessage
from mubayiro.notifications.sms.providers import PermanentSmsError, SmsProvider, TemporarySmsError
from mubayiro.notifications.sms.repository import sms_repository

logger = logging.getLogger(__name__)

_MAX_ERROR_LENGTH = 500
#: What a sent message of a redacted kind keeps in place of its text.
REDACTED_BODY = "[hidden after sending]"
# Time kept in hand before the lease ends, beyond one send's timeout.
_LEASE_MARGIN_SECONDS = 1.0


class SmsSender(BackgroundWorker):
    """Background thread sending queued SMS through an :class:`SmsProvider` (see module doc)."""

    name = "sms-sender"

    def __init__(
        self,
        database: Database,
        provider: SmsProvider,
        *,
        wakeup: threading.Event | None = None,
        poll_seconds: float = 2.0,
        retry_base_seconds: float = 2.0,
        max_backoff_seconds: float = 300.0,
        batch_size: int = 20,
        lease_seconds: float = 120.0,
        send_timeout_seconds: float = 10.0,
        redact_kinds: frozenset[str] = frozenset(),
    ):
        if lease_seconds <= send_timeout_seconds + _LEASE_MARGIN_SECONDS:
            raise ValueError("lease_seconds must be longer than one send's timeout")
        super().__init__(
            wakeup=wakeup,
            poll_seconds=poll_seconds,
            retry_base_seconds=retry_base_seconds,
            max_backoff_seconds=max_backoff_seconds,
            join_timeout_seconds=send_timeout_seconds + 5,
        )
        self.db = database
        self.provider = provider
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self.send_timeout_seconds = send_timeout_seconds
        # Kinds whose text is a secret (sign-in codes): not kept once delivered.
        self.redact_kinds = redact_kinds
        self._paused_until: datetime | None = None

    def run_once(self) -> bool:
        """One sending round (see :meth:`send_due`)."""
        return self.send_due()

    def send_due(self) -> bool:
        """Send one batch of due messages; True when more may be due right away."""
        now = utcnow()
        if self._paused_until is not None and now < self._paused_until:
            return False
        claim = str(uuid.uuid4())
        with self.db.session(write=True) as session:
            claimed = sms_repository.claim_due(
                session, claim=claim, now=now,
                lease_until=now + timedelta(seconds=self.lease_seconds), limit=self.batch_size,
            )
            # Opt-outs are checked again here: a STOP may have come in while they waited.
            skipped = set(sms_repository.skip_opted_out(session, claim=claim)) if claimed else set()
        if skipped:
            logger.info(
                "sms skipped: recipient opted out after queuing",
                extra={"sms_ids": sorted(skipped)},
            )
        rows = [row for row in claimed if row.id not in skipped]
        if not rows:
            return len(claimed) == self.batch_size
        # After this moment a send that times out could outlive the lease.
        last_start = (
            time.monotonic() + self.lease_seconds - self.send_timeout_seconds
            - _LEASE_MARGIN_SECONDS
        )
        for index, row in enumerate(rows):
            if self.stopping or time.monotonic() > last_start:
                self._release(rows[index:], claim, not_before=utcnow())
                return not self.stopping
            if not self._send_one(row, claim):
                assert self._paused_until is not None
                self._release(rows[index + 1:], claim, not_before=self._paused_until)
                return False
        self._paused_until = None
        return len(claimed) == self.batch_size

    def _send_one(self, row: SmsMessage, claim: str) -> bool:
        """Send one claimed message and record the outcome; False on a temporary failure."""
        attempts = row.attempts + 1
        try:
            provider_message_id = self.provider.send(row.to_number, row.body)
        except PermanentSmsError as exc:
            logger.warning(
                "sms refused by provider",
                extra={"sms_id": row.id, "provider": self.provider.name, "error": exc.reason},
            )
            with self.db.session(write=True) as session:
                sms_repository.mark_failed(
                    session, row.id, claim, attempts=attempts,
                    error=exc.reason[:_MAX_ERROR_LENGTH],
                )
            return True
        except Exception as exc:
            reason = exc.reason if isinstance(exc, TemporarySmsError) else (
                f"{type(exc).__name__}: {exc}"
            )
            if not isinstance(exc, TemporarySmsError):
                logger.exception("sms provider raised an unexpected error")
            self._reschedule(row, claim, attempts, reason)
            return False
        with self.db.session(write=True) as session:
            recorded = sms_repository.mark_sent(
                session, row.id, claim, provider=self.provider.name,
                provider_message_id=provider_message_id[:64], attempts=attempts, now=utcnow(),
                body=REDACTED_BODY if row.kind in self.redact_kinds else None,
            )
        if not recorded:
            logger.warning("sms sent after its claim was lost", extra={"sms_id": row.id})
        logger.info(
            "sms sent",
            extra={"sms_id": row.id, "provider": self.provider.name, "attempts": attempts},
        )
        return True

    def _reschedule(self, row: SmsMessage, claim: str, attempts: int, reason: str) -> None:
        delay = self.backoff(attempts)
        retry_at = utcnow() + delay
        self._paused_until = retry_at
        logger.warning(
            "sms sending failed, will retry",
            extra={"sms_id": row.id, "provider": self.provider.name, "attempts": attempts,
                   "retry_in_seconds": round(delay.total_seconds(), 2), "error": reason},
        )
        with self.db.session(write=True) as session:
            sms_repository.reschedule(
                session, row.id, claim, attempts=attempts,
                error=reason[:_MAX_ERROR_LENGTH], next_attempt_at=retry_at,
            )

    def _release(self, rows: Sequence[SmsMessage], claim: str, *, not_before: datetime) -> None:
        with self.db.session(write=True) as session:
            sms_repository.release(session, [r.id for r in rows], claim, not_before=not_before)

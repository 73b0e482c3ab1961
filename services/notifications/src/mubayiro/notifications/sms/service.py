"""SMS rules: what may be queued, what is skipped, and what the outbox shows. Never commits.

Queuing only inserts a row in the caller's transaction; the SMS leaves when that
transaction has committed and the sender picks the row up. :meth:`SmsService.enqueue`
registers a commit hook that wakes the sender at once, so a queued SMS does not wait
for the next poll.

A non-essential SMS to a number that opted out (``optouts``) is not queued but stored
``skipped``: it stays visible in the outbox, and it is never sent, even after a later
START. The sender checks again just before sending (``sms.sender``).

Only numbers of the served countries (``NOTIFICATIONS_SMS_COUNTRIES``, Zimbabwe by
default) are texted: an SMS an event asks for to another country is stored ``skipped``
(an operator sees it in the outbox); a service asking for one directly is refused (422
``PhoneCountryNotServed``), since it can tell its own caller.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import NamedTuple

from sqlalchemy import event
from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.phone import (
    PhoneCountryNotServed,
    mask_phone,
    normalize_phone,
    sms_country_served,
)
from mubayiro.common.tokens import Principal
from mubayiro.notifications.models import SMS_QUEUED, SMS_SKIPPED, SmsMessage
from mubayiro.notifications.optouts.service import optout_service
from mubayiro.notifications.sms.repository import sms_repository
from mubayiro.notifications.sms.schemas import AcceptedStatus, SmsAccepted, SmsRequest
from mubayiro.notifications.sms.texts import fits_one_sms

logger = logging.getLogger(__name__)

#: ``Session.info`` key: the session's commit already wakes the sender.
_WAKES_SENDER = "mubayiro_wakes_sms_sender"


def _wake_after_commit(wakeup: threading.Event) -> Callable[[Session], None]:
    """The ``after_commit`` listener that wakes the sender (and may be set up again)."""

    def wake(session: Session) -> None:
        session.info.pop(_WAKES_SENDER, None)
        wakeup.set()

    return wake


class StoredSms(NamedTuple):
    """An SMS just stored: its id, and ``queued`` or ``skipped``."""

    id: int
    status: AcceptedStatus


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
        essential: bool = False,
        countries: Sequence[str],
        event_id: str | None = None,
        wakeup: threading.Event | None = None,
    ) -> StoredSms | None:
        """Queue ``body`` for ``to`` in ``session``'s transaction; return the stored row.

        A non-essential SMS to an opted-out number, and any SMS to a number outside
        ``countries``, is stored ``skipped`` (not sent).
        Returns None when this event already stored an SMS of this ``kind`` (it is not
        stored twice). ``wakeup`` is set once the transaction commits.

        Raises:
            InvalidPhoneNumber: ``to`` is not a valid phone number.
        """
        to_number = normalize_phone(to)
        if not fits_one_sms(body):
            # Templates are built to fit; a longer body still goes out, in several parts.
            logger.warning("sms longer than one segment", extra={"kind": kind})
        served = sms_country_served(to_number, countries)
        may_send = served and optout_service.may_send(session, to_number, essential=essential)
        status: AcceptedStatus = SMS_QUEUED if may_send else SMS_SKIPPED
        message_id = sms_repository.add(
            session, to_number=to_number, body=body, kind=kind, essential=essential,
            status=status, provider=provider, event_id=event_id, now=utcnow(),
        )
        if message_id is None:
            logger.info("sms already queued for event", extra={"event_id": event_id, "kind": kind})
            return None
        if not served:
            logger.warning(
                "sms skipped: recipient's country is not served",
                extra={"sms_id": message_id, "kind": kind, "phone": mask_phone(to_number)},
            )
        elif not may_send:
            logger.info(
                "sms skipped: recipient opted out",
                extra={"sms_id": message_id, "kind": kind, "phone": mask_phone(to_number)},
            )
        elif wakeup is not None and not session.info.get(_WAKES_SENDER):
            # Once per transaction, however many texts it stores (a batch of events).
            session.info[_WAKES_SENDER] = True
            event.listen(session, "after_commit", _wake_after_commit(wakeup), once=True)
        return StoredSms(message_id, status)

    def request_sms(
        self,
        session: Session,
        request: SmsRequest,
        *,
        caller: Principal,
        provider: str,
        countries: Sequence[str],
        wakeup: threading.Event | None = None,
    ) -> SmsAccepted:
        """Queue an SMS another service asked for.

        Raises:
            PhoneCountryNotServed: ``request.to`` is not a number of ``countries``.
        """
        if not sms_country_served(normalize_phone(request.to), countries):
            raise PhoneCountryNotServed()
        stored = self.enqueue(
            session, to=request.to, body=request.body, kind=request.kind,
            provider=provider, essential=request.essential, countries=countries,
            wakeup=wakeup,
        )
        assert stored is not None  # only an event id can make it a duplicate
        logger.info(
            "sms requested",
            extra={"sms_id": stored.id, "kind": request.kind, "caller": caller.client_id},
        )
        return SmsAccepted(id=stored.id, status=stored.status)

    def outbox(self, session: Session, *, to: str | None, limit: int) -> Sequence[SmsMessage]:
        """The latest ``limit`` messages, newest first, optionally to one E.164 number."""
        return sms_repository.list_recent(session, to_number=to, limit=limit)


sms_service = SmsService()

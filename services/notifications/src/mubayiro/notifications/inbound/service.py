"""Receiving an SMS once: look up a redelivery, else run the command and record it.

Every channel adapter calls :meth:`InboundService.receive` with the provider's id for
the message (Twilio's ``MessageSid``). Providers deliver webhooks at least once — a
retry after a timeout or a network error carries the same id — and the customer must
get one answer and the command must run once (STOP recorded once, loyalty asked once).

How. Unlike the other routes here, this one works in separate short transactions
(``SeparateTransactions`` from :mod:`mubayiro.common.deps`) rather than one request
session, because where they begin and end is what makes it work:

1. A read transaction looks the id up in ``inbound_message``; a redelivery gets the
   stored reply and nothing runs.
2. Otherwise a write transaction runs the command and records message and reply
   together. The BALANCE command calls loyalty *before* any statement of that
   transaction (sessions begin on their first statement), so SQLite's write lock is
   never held while waiting for a peer; so does a chat message, which asks the chatbot;
   STOP and START write in it.
3. If two deliveries race past step 1, the unique ``(provider, provider_message_id)``
   lets only one record: the other's transaction — its STOP or START included — is
   rolled back, and it answers with the winner's stored reply. (Both may have asked
   loyalty then; that lookup changes nothing.)
"""

from __future__ import annotations

import logging

from mubayiro.common.db import utcnow
from mubayiro.common.deps import Transactions
from mubayiro.common.phone import mask_phone
from mubayiro.notifications.clients.chatbot import ChatbotClient
from mubayiro.notifications.clients.loyalty import LoyaltyClient
from mubayiro.notifications.inbound.commands import (
    COMMANDS,
    command_word,
    handle_inbound,
    is_chat,
)
from mubayiro.notifications.inbound.repository import inbound_repository

logger = logging.getLogger(__name__)

#: Longest inbound text stored (a concatenated SMS is at most 1,600 characters at Twilio).
MAX_STORED_BODY = 1600


class _RecordedMeanwhile(Exception):
    """Another delivery of the same message recorded its reply first."""


class InboundService:
    """Answers inbound SMS exactly once per provider message (see module doc)."""

    def receive(
        self,
        transactions: Transactions,
        *,
        provider: str,
        provider_message_id: str,
        from_phone: str,
        text: str,
        loyalty: LoyaltyClient,
        chatbot: ChatbotClient | None = None,
    ) -> str:
        """Answer the SMS ``text`` from the E.164 ``from_phone``; return the reply.

        ``provider`` names the channel ("twilio") and ``provider_message_id`` is its id
        for this message: a second delivery gets the first reply again. A text that is
        not a command goes to ``chatbot`` (see :func:`~.commands.handle_inbound`).
        """
        key = {"provider": provider, "provider_message_id": provider_message_id}
        with transactions.read() as session:
            stored = inbound_repository.reply_for(session, **key)
        if stored is not None:
            logger.info("inbound sms delivered again; same reply", extra=key)
            return stored
        try:
            with transactions.write() as session:
                reply = handle_inbound(session, from_phone=from_phone, text=text,
                                       loyalty=loyalty, chatbot=chatbot)
                recorded = inbound_repository.add(
                    session, **key, from_number=from_phone, body=text[:MAX_STORED_BODY],
                    reply=reply, now=utcnow(),
                )
                if not recorded:
                    raise _RecordedMeanwhile
        except _RecordedMeanwhile:
            with transactions.read() as session:
                stored = inbound_repository.reply_for(session, **key)
            assert stored is not None  # the unique constraint found it
            logger.info("inbound sms answered by a concurrent delivery", extra=key)
            return stored
        word = command_word(text)
        kind = word if word in COMMANDS else "chat" if is_chat(text, chatbot) else "other"
        logger.info(
            "inbound sms answered",
            # Only a known command word is logged: free text may be personal.
            extra={**key, "phone": mask_phone(from_phone), "command": kind},
        )
        return reply


inbound_service = InboundService()

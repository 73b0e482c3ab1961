"""The SMS commands, independent of the channel they arrive by.

:func:`handle_inbound` takes the sender's number and the text, runs the command and
returns the reply — plain text that always fits one 160-character GSM-7 SMS, so it
reads the same through Twilio, a local aggregator or a USSD menu. Channel adapters
(``inbound.endpoints``) deal with signatures, number formats, duplicates and how the
reply is carried back; nothing here knows about them.

Commands are matched on the whole text, ignoring case, spaces and punctuation
(" bal ", "Bal.", "b a l" are all BAL):

- ``BALANCE`` / ``BAL`` / ``POINTS`` — the customer's points, asked from loyalty, and
  the points that expire next ("40 points expire on 12 Jan.");
- ``HELP`` — the list of commands;
- ``STOP`` — opt out of non-essential SMS (sign-in codes still arrive); the usual
  carrier opt-out words ``STOPALL``, ``UNSUBSCRIBE``, ``CANCEL``, ``END`` and ``QUIT``
  mean STOP too, since a customer who sends them wants the SMS to stop;
- ``START`` (or ``UNSTOP``) — opt back in;
- anything else is a chat message for the chatbot (``inbound.chat``), from the sender's
  phone; without a chatbot (not deployed), or for an empty text, a short help.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from mubayiro.common.errors import AppError
from mubayiro.common.phone import mask_phone
from mubayiro.notifications.clients.chatbot import ChatbotClient
from mubayiro.notifications.clients.loyalty import LoyaltyClient, NextExpiry
from mubayiro.notifications.inbound.chat import chat_reply
from mubayiro.notifications.optouts.service import optout_service
from mubayiro.notifications.sms.texts import (
    GSM_SEGMENT,
    expiring_points_sentence,
    is_gsm,
    sms_length,
)

logger = logging.getLogger(__name__)

HELP_REPLY = (
    "Mubayiro SMS commands: BAL - your points balance. STOP - no more points SMS. "
    "START - get points SMS again. HELP - this list."
)
UNKNOWN_COMMAND_REPLY = (
    "Sorry, we did not understand that. Reply BAL for your points or HELP for all commands."
)
STOP_REPLY = (
    "You will get no more points SMS from Mubayiro. Sign-in codes still arrive. "
    "Reply START to get points SMS again."
)
START_REPLY = "You will get Mubayiro points SMS again. Reply STOP to stop them or HELP for help."
UNKNOWN_CUSTOMER_REPLY = (
    "We don't have points for this number yet. "
    "Shop at any Mubayiro business to start earning."
)
BALANCE_UNAVAILABLE_REPLY = (
    "Sorry, we cannot check your points right now. Please try again later."
)
#: For adapters whose sender is not a phone number we can serve (a short code, a name).
INVALID_SENDER_REPLY = (
    "Sorry, we can only answer SMS from a valid mobile number, such as +263771234567."
)

_NOT_A_LETTER = re.compile(r"[\W_]+")

Command = Callable[[Session, str, LoyaltyClient], str]


def balance_reply(total_points: int, next_expiry: NextExpiry | None = None) -> str:
    """The answer to BALANCE for a known customer, with the points that expire next."""
    unit = "point" if total_points == 1 else "points"
    expiry = "" if next_expiry is None else " " + expiring_points_sentence(
        points=next_expiry.points, day=next_expiry.date, today=datetime.now(UTC).date())
    return (
        f"You have {total_points:,} Mubayiro {unit}, good at every Mubayiro business."
        f"{expiry} Reply HELP for commands."
    )


def _balance(_session: Session, phone: str, loyalty: LoyaltyClient) -> str:
    # No database statement before (or during) the loyalty call: the caller's write
    # transaction has not begun, so no lock is held while loyalty answers.
    try:
        balance = loyalty.balance(phone)
    except AppError as exc:
        logger.warning(
            "balance lookup failed", extra={"phone": mask_phone(phone), "error": exc.detail}
        )
        return BALANCE_UNAVAILABLE_REPLY
    except Exception:
        # Whatever went wrong, the customer gets a polite answer, never a failed webhook.
        logger.exception("balance lookup failed unexpectedly")
        return BALANCE_UNAVAILABLE_REPLY
    if balance is None:
        return UNKNOWN_CUSTOMER_REPLY
    return balance_reply(balance.total_points, balance.next_expiry)


def _help(_session: Session, _phone: str, _loyalty: LoyaltyClient) -> str:
    return HELP_REPLY


def _stop(session: Session, phone: str, _loyalty: LoyaltyClient) -> str:
    optout_service.opt_out(session, phone)
    return STOP_REPLY


def _start(session: Session, phone: str, _loyalty: LoyaltyClient) -> str:
    optout_service.opt_in(session, phone)
    return START_REPLY


COMMANDS: dict[str, Command] = {
    "BALANCE": _balance,
    "BAL": _balance,
    "POINTS": _balance,
    "HELP": _help,
    "STOP": _stop,
    "STOPALL": _stop,
    "UNSUBSCRIBE": _stop,
    "CANCEL": _stop,
    "END": _stop,
    "QUIT": _stop,
    "START": _start,
    "UNSTOP": _start,
}


def command_word(text: str) -> str:
    """``text`` reduced to the form commands are matched on (" Bal. " → ``BAL``).

    NFKC folds look-alike forms (full-width letters) into plain ones first.
    """
    return _NOT_A_LETTER.sub("", unicodedata.normalize("NFKC", text)).upper()


def is_chat(text: str, chatbot: ChatbotClient | None) -> bool:
    """True when ``text`` goes to the chatbot: no command, some words, a chatbot there."""
    return chatbot is not None and command_word(text) not in COMMANDS and bool(text.strip())


def handle_inbound(
    session: Session,
    *,
    from_phone: str,
    text: str,
    loyalty: LoyaltyClient,
    chatbot: ChatbotClient | None = None,
) -> str:
    """Run the command in ``text`` from the E.164 ``from_phone``; return the reply.

    STOP and START write through ``session`` (the caller commits). A command's reply
    always fits one GSM-7 SMS; a failing loyalty gives a polite "try again later", never
    an error. Any other text is a chat message for ``chatbot`` (when there is one): its
    answer is fit for SMS by :func:`~.chat.chat_reply` and may be a concatenated SMS.
    """
    if is_chat(text, chatbot):
        assert chatbot is not None
        # As for BALANCE: no database statement before the call, so no lock is held.
        return chat_reply(chatbot, from_phone, text)
    command = COMMANDS.get(command_word(text))
    reply = command(session, from_phone, loyalty) if command else UNKNOWN_COMMAND_REPLY
    # Every reply is built to fit; this keeps a future wording mistake from costing
    # the customer a multi-part SMS.
    if not is_gsm(reply) or sms_length(reply) > GSM_SEGMENT:
        logger.error("sms reply does not fit one GSM-7 segment", extra={"reply": reply})
        reply = HELP_REPLY
    return reply

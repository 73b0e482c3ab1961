"""Chat by SMS: a text that is not a command goes to the chatbot, and its answer back.

:func:`chat_reply` asks the chatbot (``clients.chatbot``) on behalf of the sender's
phone and makes the answer fit for SMS. The chatbot already words SMS answers for one
160-character segment; here the text is folded into the GSM 03.38 alphabet where a
look-alike exists (a curly quote or a dash from a business name would otherwise switch
the whole SMS to 70-character UCS-2 segments), and capped at a few segments: a longer
answer goes out as one concatenated SMS, never as a flood. Whatever goes wrong with the
chatbot, the customer gets a polite answer pointing to the commands, never an error.
"""

from __future__ import annotations

import logging

from mubayiro.common.errors import AppError
from mubayiro.common.phone import mask_phone
from mubayiro.notifications.clients.chatbot import ChatbotClient
from mubayiro.notifications.sms.texts import is_gsm, sms_length

logger = logging.getLogger(__name__)

CHAT_UNAVAILABLE_REPLY = (
    "Sorry, we cannot answer questions by SMS right now. "
    "Reply BAL for your points or HELP for all commands."
)
#: Longest chat reply: three concatenated parts (153 GSM-7 or 67 UCS-2 characters each,
#: once the concatenation header takes its room).
MAX_CHAT_SEGMENTS = 3
_GSM_PART = 153
_UCS2_PART = 67
_CUT = "..."

_GSM_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ",
    "\u2022": "-",
})


def fit_for_sms(text: str) -> str:
    """``text`` in GSM 03.38 where look-alikes allow, within :data:`MAX_CHAT_SEGMENTS`.

    Whitespace runs become one space; an over-long text is cut at a word boundary and
    ends with ``...``.
    """
    text = " ".join(text.translate(_GSM_FOLD).split())
    limit = MAX_CHAT_SEGMENTS * (_GSM_PART if is_gsm(text) else _UCS2_PART)
    if sms_length(text) <= limit:
        return text
    words = text.split(" ")
    while len(words) > 1 and sms_length(" ".join(words) + _CUT) > limit:
        words.pop()
    kept = " ".join(words).rstrip(",;:.")
    if sms_length(kept + _CUT) > limit:  # one enormous word: cut inside it
        kept = kept[: limit // 2 - len(_CUT)]
    return kept + _CUT


def chat_reply(chatbot: ChatbotClient, phone: str, text: str) -> str:
    """The chatbot's answer to ``text`` from the E.164 ``phone``, fit for SMS.

    Never raises: a chatbot that is down, slow or refusing gets
    :data:`CHAT_UNAVAILABLE_REPLY`.
    """
    try:
        reply = chatbot.sms_chat(phone, text)
    except AppError as exc:
        logger.warning("sms chat failed", extra={"phone": mask_phone(phone), "error": exc.detail})
        return CHAT_UNAVAILABLE_REPLY
    except Exception:
        # Whatever went wrong, the customer gets a polite answer, never a failed webhook.
        logger.exception("sms chat failed unexpectedly")
        return CHAT_UNAVAILABLE_REPLY
    return fit_for_sms(reply)

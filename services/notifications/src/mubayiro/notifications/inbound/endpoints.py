"""Inbound SMS routes: one thin adapter per channel in front of the command handler.

``POST /sms/inbound`` is the Twilio adapter: it checks the signature (dependency),
reads ``From`` / ``Body`` / ``MessageSid``, lets :mod:`~.service` answer the message
once, and carries the reply back as TwiML in the webhook's response (never through
the outbox: the reply is part of Twilio's request, and costs no extra API call).

Adding another channel — a local SMS aggregator, a USSD gateway — is one more route
here, next to this one, doing the same four things in that channel's terms:

1. prove the request comes from the channel (its HMAC header, a shared secret, a
   client certificate or an IP allow-list) — or 403;
2. take the sender's number and text from its payload and normalise the number with
   ``normalize_phone`` (answer :data:`~.commands.INVALID_SENDER_REPLY` if it is not one);
3. call ``inbound_service.receive(database, provider="<channel>",
   provider_message_id=<its message or session id>, from_phone=..., text=...,
   loyalty=..., chatbot=...)``, which deduplicates and runs the command (or asks the
   chatbot);
4. return the reply the way the channel expects it: in the response body (a USSD
   ``END <reply>`` — every reply fits a USSD screen too), or, for an aggregator that
   cannot reply in-line, by queuing it with ``sms_service.enqueue(..., essential=True)``
   (an answer the customer asked for is never blocked by STOP).

Outgoing SMS through that aggregator is a separate, matching piece: an
``SmsProvider`` in ``sms/providers.py``.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.datastructures import FormData

from mubayiro.common.deps import SeparateTransactions, SessionRoute
from mubayiro.common.errors import error_responses
from mubayiro.common.phone import InvalidPhoneNumber, normalize_phone
from mubayiro.notifications.deps import ChatbotClientDep, LoyaltyClientDep
from mubayiro.notifications.inbound.commands import INVALID_SENDER_REPLY
from mubayiro.notifications.inbound.dependencies import TwilioForm
from mubayiro.notifications.inbound.exceptions import InvalidInboundSms, InvalidTwilioSignature
from mubayiro.notifications.inbound.service import inbound_service
from mubayiro.notifications.inbound.twilio import twiml_reply

router = APIRouter(tags=["notifications"], route_class=SessionRoute)

TWILIO = "twilio"
_MAX_SID_LENGTH = 64


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


@router.post(
    "/sms/inbound",
    response_class=Response,
    responses={
        200: {"description": "TwiML with the reply", "content": {"application/xml": {}}},
        **error_responses(InvalidTwilioSignature, InvalidInboundSms),
    },
)
def receive_twilio_sms(
    form: TwilioForm, transactions: SeparateTransactions, loyalty: LoyaltyClientDep,
    chatbot: ChatbotClientDep,
) -> Response:
    """Twilio webhook for SMS to our number: runs the command (or asks the chatbot),
    replies with TwiML."""
    sender = _field(form, "From")
    message_sid = _field(form, "MessageSid")
    if not sender or not message_sid or len(message_sid) > _MAX_SID_LENGTH:
        raise InvalidInboundSms("From and MessageSid (at most 64 characters) are required")
    try:
        from_phone = normalize_phone(sender)
    except InvalidPhoneNumber:
        return twiml_reply(INVALID_SENDER_REPLY)
    reply = inbound_service.receive(
        transactions,
        provider=TWILIO,
        provider_message_id=message_sid,
        from_phone=from_phone,
        text=_field(form, "Body") or "",
        loyalty=loyalty,
        chatbot=chatbot,
    )
    return twiml_reply(reply)

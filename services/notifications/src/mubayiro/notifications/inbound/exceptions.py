"""Errors of the inbound module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import Forbidden, InvalidInput


class InvalidTwilioSignature(Forbidden):
    """403: the webhook request cannot be shown to come from Twilio."""

    default_detail = "The request is not signed by Twilio"


class InvalidInboundSms(InvalidInput):
    """422: a (signed) webhook without the fields every SMS has."""

    default_detail = "The webhook lacks a field every SMS has"

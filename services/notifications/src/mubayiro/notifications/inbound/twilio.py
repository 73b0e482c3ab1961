"""Twilio's side of inbound SMS: the signature check, the public URL and TwiML.

Twilio signs each webhook request: ``X-Twilio-Signature`` is an HMAC-SHA1, keyed with
the account's auth token, of the full URL Twilio called followed by every POST
parameter (sorted by name). :class:`twilio.request_validator.RequestValidator`
recomputes it. The URL must be the one Twilio called — the *public* one, through the
gateway (``https://loyalty.example.com/sms/inbound``), not the service's own
``http://127.0.0.1:8103/...`` — so it is rebuilt by :func:`public_url`.
"""

from __future__ import annotations

import logging

from fastapi import Request, Response
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.inbound.exceptions import InvalidTwilioSignature

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
_DEFAULT_PORTS = {"https": "443", "http": "80"}


def _first(value: str | None) -> str | None:
    """The first entry of a header a chain of proxies may have made a list."""
    if value is None:
        return None
    return value.split(",", 1)[0].strip() or None


def _split_host(host: str) -> tuple[str, str | None]:
    """``("example.com", "8443")`` from ``example.com:8443``; IPv6 ``[::1]:8443`` too."""
    if host.startswith("["):
        end = host.find("]")
        if end != -1:
            rest = host[end + 1:]
            return host[: end + 1], rest[1:] if rest.startswith(":") and rest[1:] else None
    name, colon, port = host.rpartition(":")
    if colon and name and port.isdigit():
        return name, port
    return host, None


def public_url(request: Request, public_base_url: str | None) -> str:
    """The URL the client (Twilio) called, as seen from outside the gateway.

    Path and query are the request's own, as sent (after any ``X-Forwarded-Prefix``
    the gateway stripped). The origin is ``public_base_url`` when configured; else it
    comes from ``X-Forwarded-Proto`` / ``X-Forwarded-Host`` / ``X-Forwarded-Port`` (the
    gateway replaces any a client sends), falling back to the request's own scheme and
    ``Host``. A default port (443 for https, 80 for http) is left out, as Twilio does.
    """
    headers = request.headers
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else request.url.path
    prefix = (_first(headers.get("x-forwarded-prefix")) or "").rstrip("/")
    query = request.url.query
    target = f"{prefix}{path}" + (f"?{query}" if query else "")
    if public_base_url:
        return public_base_url.rstrip("/") + target
    scheme = (_first(headers.get("x-forwarded-proto")) or request.url.scheme).lower()
    host = _first(headers.get("x-forwarded-host")) or headers.get("host") or request.url.netloc
    hostname, host_port = _split_host(host)
    port = _first(headers.get("x-forwarded-port")) or host_port
    netloc = hostname if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{hostname}:{port}"
    return f"{scheme}://{netloc}{target}"


def signature_required(settings: NotificationsSettings, provider_name: str) -> bool:
    """False only with the console provider in development or test (no Twilio to sign)."""
    return not (provider_name == "console" and settings.environment in ("development", "test"))


def check_signature(
    request: Request, form: FormData, settings: NotificationsSettings
) -> None:
    """Refuse (403) a request whose ``X-Twilio-Signature`` is missing or wrong.

    Raises:
        InvalidTwilioSignature: no signature, no auth token to check it with, a
            parameter that is not plain text (a file), or a signature that does not
            match.
    """
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        raise InvalidTwilioSignature("Missing X-Twilio-Signature")
    if settings.twilio_auth_token is None:
        logger.warning("inbound sms refused: no Twilio auth token to check its signature")
        raise InvalidTwilioSignature()
    if any(not isinstance(value, str) for _, value in form.multi_items()):
        raise InvalidTwilioSignature()
    url = public_url(request, settings.public_base_url)
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    # FormData keeps repeated names (getlist), which the validator signs one by one.
    if not validator.validate(url, form, signature):
        logger.warning("inbound sms refused: bad Twilio signature", extra={"url": url})
        raise InvalidTwilioSignature()


def twiml_reply(text: str) -> Response:
    """A TwiML answer that sends ``text`` back to the sender as one SMS."""
    twiml = MessagingResponse()
    twiml.message(text)
    return Response(content=str(twiml), media_type="application/xml")

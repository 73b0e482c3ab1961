"""SMS providers: the one interface every way of sending an SMS implements.

The service never talks to Twilio (or anyone else) directly: the background sender
calls :meth:`SmsProvider.send` and reads the outcome from what it returns or raises:

- a provider message id — accepted by the provider, the SMS counts as sent;
- :class:`TemporarySmsError` — worth trying again later (provider down, throttled,
  timed out, credentials being fixed …); the message stays queued;
- :class:`PermanentSmsError` — the provider refused this message for good (an invalid
  or unreachable number); retrying would fail the same way, so the message is failed.

Two providers exist: :class:`ConsoleSmsProvider` (development: the SMS is a JSON log
line and stays readable in the outbox) and :class:`TwilioSmsProvider`. The design leaves
room for a local aggregator (Twilio cannot receive SMS in Zimbabwe); it would be one more
class here. :func:`provider_from_settings` picks one from the settings.
"""

from __future__ import annotations

import logging
import uuid
from typing import Protocol, runtime_checkable

from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from mubayiro.notifications.config import NotificationsSettings

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """A provider could not send an SMS; ``reason`` is safe to store and log."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class TemporarySmsError(SmsError):
    """Sending failed for a reason that may go away: try again later."""


class PermanentSmsError(SmsError):
    """The provider refused this message for good (e.g. an invalid number)."""


@runtime_checkable
class SmsProvider(Protocol):
    """Something that sends one SMS.

    ``name`` is stored with each message (``sms_message.provider``).
    """

    name: str

    def send(self, to: str, body: str) -> str:
        """Send ``body`` to the E.164 number ``to``; return the provider's message id.

        Raises:
            TemporarySmsError: the SMS was not sent but may be sent later.
            PermanentSmsError: the SMS can never be sent as it is.
        """
        ...


class ConsoleSmsProvider:
    """Development provider: writes each SMS as a JSON log line instead of sending it."""

    name = "console"

    def send(self, to: str, body: str) -> str:
        """Log the SMS and return a generated id (never fails)."""
        message_id = f"console-{uuid.uuid4().hex}"
        # The service logs JSON lines (mubayiro.common.logs); the extras become fields.
        logger.info(
            "sms sent to console",
            extra={"sms_to": to, "sms_body": body, "provider_message_id": message_id},
        )
        return message_id


# Twilio answers that mean "not now" rather than "never": throttling, its own failures,
# and authentication problems — bad credentials are an operator's fix, and failing every
# customer's message for good while they fix it would lose them.
_TEMPORARY_STATUSES = frozenset({401, 408, 429})


class TwilioSmsProvider:
    """Sends SMS through Twilio's Messages API with the official ``twilio`` client.

    ``api_base_url`` replaces ``https://api.twilio.com`` (a fake Twilio in tests). The
    client builds every Messages URL from its ``api`` domain's ``base_url`` (see
    ``twilio.base.domain.Domain.absolute_url``), so setting that one attribute moves the
    whole API without touching the client's HTTP layer.
    """

    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        *,
        api_base_url: str | None = None,
        timeout: float = 10.0,
    ):
        self.from_number = from_number
        # Without a timeout requests waits forever, and the sender's lease would run out.
        self._http = TwilioHttpClient(timeout=timeout)
        self._client = Client(account_sid, auth_token, http_client=self._http)
        if api_base_url:
            self._client.api.base_url = api_base_url.rstrip("/")

    @property
    def api_base_url(self) -> str:
        """The base URL requests go to."""
        return str(self._client.api.base_url)  # twilio ships no types: Any to mypy

    def close(self) -> None:
        """Close the pooled HTTP connections."""
        if self._http.session is not None:
            self._http.session.close()

    def send(self, to: str, body: str) -> str:
        """Create a Twilio message; return its SID (``SM…``).

        Raises:
            TemporarySmsError: Twilio is unreachable, slow, throttling (429), failing
                (5xx) or refusing the credentials (401).
            PermanentSmsError: Twilio refused the message itself, e.g. 400 with code
                21211 (invalid 'To' number) or 21610 (the recipient replied STOP).
        """
        try:
            message = self._client.messages.create(to=to, from_=self.from_number, body=body)
        except (TwilioRestException, TwilioServiceException) as exc:
            # An error without a usable status counts as Twilio's own failure (retried).
            status = exc.status if isinstance(exc.status, int) else 500
            reason = f"Twilio HTTP {status}, code {exc.code}: {_twilio_message(exc)}"
            if status >= 500 or status in _TEMPORARY_STATUSES:
                raise TemporarySmsError(reason) from exc
            raise PermanentSmsError(reason) from exc
        except Exception as exc:
            # Connection refused, DNS, timeouts (requests' errors) or an unreadable answer:
            # nothing says the message is bad, so it is worth another try.
            raise TemporarySmsError(f"Twilio unreachable: {type(exc).__name__}: {exc}") from exc
        if not message.sid:
            raise TemporarySmsError("Twilio accepted the message but returned no SID")
        return str(message.sid)


def _twilio_message(exc: TwilioRestException | TwilioServiceException) -> str:
    # str(exc) may carry ANSI colours when stderr is a terminal; use the plain fields.
    if isinstance(exc, TwilioRestException):
        return str(exc.msg)
    return str(exc.detail or exc.title)


def provider_from_settings(settings: NotificationsSettings) -> SmsProvider:
    """The provider the settings select (``settings.active_sms_provider``)."""
    if settings.active_sms_provider == "console":
        return ConsoleSmsProvider()
    assert settings.twilio_account_sid and settings.twilio_auth_token
    assert settings.twilio_from_number
    return TwilioSmsProvider(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        settings.twilio_from_number,
        api_base_url=settings.twilio_api_base_url,
        timeout=settings.sms_send_timeout_seconds,
    )

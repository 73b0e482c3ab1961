"""Sending e-mail (password reset links) through a provider chosen by settings.

Two providers, one interface (:class:`MailProvider`):

- :class:`ConsoleMailProvider` (``AUTH_MAIL_PROVIDER=console``, development and tests):
  nothing leaves the machine. Each mail is written to the log and kept in memory (the
  last :data:`CONSOLE_KEEP` of them), where ``GET /auth/dev/mail`` shows them — the
  development counterpart of notifications' SMS outbox. Refused in production: it
  would print reset links into the logs and deliver nothing.
- :class:`SmtpMailProvider` (``AUTH_MAIL_PROVIDER=smtp``): the standard library's
  ``smtplib`` to ``AUTH_SMTP_HOST``:``AUTH_SMTP_PORT``, with STARTTLS
  (``AUTH_SMTP_STARTTLS``, on by default) or implicit TLS (``AUTH_SMTP_SSL``), and a
  login when ``AUTH_SMTP_USERNAME`` is set.

Sending happens after the response (a background task), so a slow mail server neither
holds a database transaction nor tells by its timing whether an address has an account.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from mubayiro.auth.config import AuthSettings
from mubayiro.common.db import utcnow

logger = logging.getLogger(__name__)

#: How many mails the console provider keeps for ``GET /auth/dev/mail``.
CONSOLE_KEEP = 200


class MailError(Exception):
    """The provider could not hand the mail over."""


@dataclass(frozen=True)
class Mail:
    """One plain-text e-mail."""

    to: str
    subject: str
    body: str
    sent_at: datetime = field(default_factory=utcnow)


class MailProvider(Protocol):
    """Delivers mail; ``name`` says which provider it is (``console``, ``smtp``)."""

    name: str

    def send(self, mail: Mail) -> None:
        """Hand ``mail`` over for delivery.

        Raises:
            MailError: it could not be handed over.
        """
        ...


class ConsoleMailProvider:
    """Prints each mail to the log and keeps the last :data:`CONSOLE_KEEP` in memory."""

    name = "console"

    def __init__(self, keep: int = CONSOLE_KEEP):
        self._sent: deque[Mail] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def send(self, mail: Mail) -> None:
        """Log the mail and keep it."""
        logger.info("mail (console provider) to %s: %s\n%s", mail.to, mail.subject, mail.body)
        with self._lock:
            self._sent.append(mail)

    def sent(self, *, to: str | None = None, limit: int = 50) -> list[Mail]:
        """The kept mails, newest first, only those to ``to`` (any case) when given."""
        with self._lock:
            mails = list(self._sent)
        wanted = to.lower() if to else None
        return [m for m in reversed(mails) if wanted is None or m.to.lower() == wanted][:limit]


class SmtpMailProvider:
    """Sends mail with ``smtplib`` (see module doc for the settings)."""

    name = "smtp"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        use_ssl: bool = False,
        timeout: float = 10.0,
    ):
        self.host = host
        self.port = port
        self.sender = sender
        self._username = username
        self._password = password
        self.starttls = starttls
        self.use_ssl = use_ssl
        self.timeout = timeout

    def _message(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        return message

    def send(self, mail: Mail) -> None:
        """Deliver ``mail`` to the SMTP server.

        Raises:
            MailError: the server could not be reached or refused the mail.
        """
        context = ssl.create_default_context()
        try:
            if self.use_ssl:
                server: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with server:
                if self.starttls and not self.use_ssl:
                    server.starttls(context=context)
                if self._username:
                    server.login(self._username, self._password or "")
                server.send_message(self._message(mail))
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"SMTP {self.host}:{self.port}: {exc}") from exc


def send_quietly(provider: MailProvider, mail: Mail) -> None:
    """Send ``mail``, logging (not raising) a failure: for background tasks, which run
    after the answer went out and have nobody to tell."""
    try:
        provider.send(mail)
    except MailError:
        logger.exception("could not send mail to %s (%s)", mail.to, mail.subject)


def provider_from_settings(settings: AuthSettings) -> MailProvider:
    """The provider ``AUTH_MAIL_PROVIDER`` names, configured from ``AUTH_SMTP_*``.

    Raises:
        ValueError: ``smtp`` without ``AUTH_SMTP_HOST``.
    """
    if settings.mail_provider == "console":
        return ConsoleMailProvider()
    if not settings.smtp_host:
        raise ValueError("auth: AUTH_MAIL_PROVIDER=smtp needs AUTH_SMTP_HOST")
    return SmtpMailProvider(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_from,
        username=settings.smtp_username or None,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
        use_ssl=settings.smtp_ssl,
        timeout=settings.smtp_timeout_seconds,
    )

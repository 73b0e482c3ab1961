"""Mail providers: the console keeps what it would send; SMTP really talks to a server
(a minimal one run here on a loopback port), with and without a login."""

from __future__ import annotations

import base64
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest

from mubayiro.auth.mail import (
    ConsoleMailProvider,
    Mail,
    MailError,
    SmtpMailProvider,
    provider_from_settings,
)
from mubayiro.common.testing import free_port


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def _send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server: Any = self.server
        self._send("220 test ESMTP")
        envelope: dict[str, Any] = {"rcpt": []}
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._send("250-test")
                self._send("250 AUTH PLAIN")
            elif verb == "AUTH":
                # AUTH PLAIN <base64 of "\0user\0password">, smtplib's initial response.
                _, user, password = base64.b64decode(line.split()[2]).split(b"\0")
                server.logins.append((user.decode(), password.decode()))
                self._send("235 ok")
            elif verb == "MAIL":
                envelope["from"] = line
                self._send("250 ok")
            elif verb == "RCPT":
                envelope["rcpt"].append(line)
                self._send("250 ok")
            elif verb == "DATA":
                self._send("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                envelope["data"] = data
                server.received.append(envelope)
                envelope = {"rcpt": []}
                self._send("250 queued")
            elif verb == "QUIT":
                self._send("221 bye")
                return
            else:
                self._send("502 not here")


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A loopback SMTP server that records what it receives."""
    server: Any = socketserver.ThreadingTCPServer(("127.0.0.1", free_port()), _SmtpHandler)
    server.daemon_threads = True
    server.received, server.logins = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_smtp_provider_delivers_the_mail(smtp_server):
    provider = SmtpMailProvider(host="127.0.0.1", port=smtp_server.server_address[1],
                                sender="Mubayiro <no-reply@example.co.zw>", starttls=False)
    provider.send(Mail(to="owner@example.com", subject="Reset", body="Link: https://x#token=1"))
    [envelope] = smtp_server.received
    assert [r.split(":", 1)[1] for r in envelope["rcpt"]] == ["<owner@example.com>"]
    message = message_from_bytes(envelope["data"])
    assert message["To"] == "owner@example.com"
    assert message["From"] == "Mubayiro <no-reply@example.co.zw>"
    assert message["Subject"] == "Reset"
    assert "https://x#token=1" in message.get_payload()
    assert smtp_server.logins == []


def test_smtp_provider_logs_in_when_given_a_username(smtp_server, make_settings):
    settings = make_settings(mail_provider="smtp", smtp_host="127.0.0.1",
                             smtp_port=smtp_server.server_address[1], smtp_starttls=False,
                             smtp_username="mailer", smtp_password="s3cret")
    provider = provider_from_settings(settings)
    assert provider.name == "smtp"
    provider.send(Mail(to="a@example.com", subject="Hi", body="Hello"))
    assert smtp_server.logins == [("mailer", "s3cret")]
    assert len(smtp_server.received) == 1


def test_smtp_provider_refuses_a_server_without_starttls_when_asked_for_it(smtp_server):
    provider = SmtpMailProvider(host="127.0.0.1", port=smtp_server.server_address[1],
                                sender="a@example.com", starttls=True)
    with pytest.raises(MailError, match="STARTTLS"):
        provider.send(Mail(to="a@example.com", subject="Hi", body="Hello"))
    assert smtp_server.received == []  # never sent in the clear


def test_smtp_provider_reports_an_unreachable_server():
    provider = SmtpMailProvider(host="127.0.0.1", port=free_port(), sender="a@example.com",
                                timeout=2)
    with pytest.raises(MailError, match="127.0.0.1"):
        provider.send(Mail(to="a@example.com", subject="Hi", body="Hello"))


def test_console_provider_keeps_the_newest_mails_first():
    provider = ConsoleMailProvider(keep=2)
    for n in range(3):
        provider.send(Mail(to="A@example.com" if n else "b@example.com", subject=str(n), body=""))
    assert [m.subject for m in provider.sent()] == ["2", "1"]
    assert [m.subject for m in provider.sent(to="a@example.com", limit=1)] == ["2"]


def test_smtp_without_a_host_is_refused(make_settings):
    with pytest.raises(ValueError, match="AUTH_SMTP_HOST"):
        provider_from_settings(make_settings(mail_provider="smtp"))

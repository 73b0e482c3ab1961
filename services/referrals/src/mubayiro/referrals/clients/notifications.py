"""Client for the notifications service's ``POST /internal/sms``, with this service's token.

Notifications stores the SMS and sends it from its own outbox; ``202`` means it has the
SMS (``queued``), or has recorded it as ``skipped`` because the recipient replied STOP.
Called with an ``Idempotency-Key``, a repeated request stores nothing new and gets the
first answer back — which is what lets the invitation sender retry blindly.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from mubayiro.common.http import PeerClient

SMS_PATH = "/internal/sms"


class SmsAccepted(BaseModel):
    """Notifications' answer: its id for the SMS and whether it will be sent."""

    model_config = ConfigDict(extra="ignore")

    id: int
    status: Literal["queued", "skipped"]


class NotificationsClient(PeerClient):
    """Notifications' ``/internal/*`` routes."""

    peer_name = "notifications"

    def request_sms(
        self, *, to: str, body: str, kind: str, essential: bool, idempotency_key: str
    ) -> SmsAccepted:
        """Hand an SMS to notifications (once per ``idempotency_key``).

        Raises:
            PeerRefused: notifications refused the request (a 502 keeping its 4xx status
                and error name, which the invitation sender judges).
            UpstreamError: it answered 5xx or something unreadable (502).
            UpstreamUnavailable: it (or auth, for our token) could not be reached (503).
            UpstreamTimeout: it did not answer in time (504).
        """
        return self.call(
            "POST", SMS_PATH, SmsAccepted,
            json={"to": to, "body": body, "kind": kind, "essential": essential},
            headers={"Idempotency-Key": idempotency_key},
        )

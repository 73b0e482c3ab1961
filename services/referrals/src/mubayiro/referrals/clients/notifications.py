"""Client for the notifications service's ``POST /internal/sms``, with this service's token.

Notifications stores the SMS and sends it from its own outbox; ``202`` means it has the
SMS (``queued``), or has recorded it as ``skipped`` because the recipient replied STOP.
Called with an ``Idempotency-Key``, a repeated request stores nothing new and gets the
first answer back — which is what lets the invitation sender retry blindly.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from mubayiro.common.errors import UpstreamError
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
            PeerError: notifications refused the request (its 4xx status and error name).
            UpstreamError: it answered 5xx or something unreadable (502).
            UpstreamUnavailable: it (or auth, for our token) could not be reached (503).
            UpstreamTimeout: it did not answer in time (504).
        """
        try:
            data = self.post_json(
                SMS_PATH,
                json={"to": to, "body": body, "kind": kind, "essential": essential},
                headers={"Idempotency-Key": idempotency_key},
            )
        except ValueError as exc:
            raise UpstreamError("notifications answered with a body that is not JSON") from exc
        try:
            return SmsAccepted.model_validate(data)
        except ValidationError as exc:
            raise UpstreamError("notifications answered with an unexpected shape") from exc

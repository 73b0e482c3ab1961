"""The events auth publishes and where they go (docs/events.md).

``business.registered`` and ``business.updated`` go to loyalty, which keeps the
business's name and status (and creates its program with the first rate) from them;
``business.updated`` is also what tells loyalty that an operator approved or suspended
the business.
``customer.otp_requested`` goes to notifications, which texts the code to the phone.
They are written to the outbox in the same transaction as the change and delivered by an
:class:`~mubayiro.common.events.OutboxDispatcher` running in the background, which
signs its own service token (auth holds the key; there is no HTTP call to itself).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.models import Business, outbox
from mubayiro.auth.tokens import SelfServiceToken, TokenIssuer
from mubayiro.common.db import Database
from mubayiro.common.events import EventPublisher, OutboxDispatcher

BUSINESS_REGISTERED = "business.registered"
BUSINESS_UPDATED = "business.updated"
CUSTOMER_OTP_REQUESTED = "customer.otp_requested"

ROUTES: dict[str, list[str]] = {
    BUSINESS_REGISTERED: ["loyalty"],
    BUSINESS_UPDATED: ["loyalty"],
    CUSTOMER_OTP_REQUESTED: ["notifications"],
}


def business_payload(business: Business, loyalty_rate: Decimal | None = None) -> dict[str, Any]:
    """The data of a ``business.*`` event (the rate only when given at registration).

    ``status`` is the business's whole current status (``pending``, ``active``,
    ``suspended``) in every event, so the newest event a consumer applied is its truth.
    """
    return {
        "business_id": business.id,
        "name": business.name,
        "contact_person": business.contact_person,
        "email": business.email,
        "status": business.status,
        "loyalty_rate": format(loyalty_rate, "f") if loyalty_rate is not None else None,
    }


def otp_requested_payload(phone_number: str, code: str, expires_at: datetime) -> dict[str, Any]:
    """The data of ``customer.otp_requested``: the E.164 phone, the code, its expiry (ISO UTC).

    This is the one place the code exists in plain text: in the outbox row's envelope,
    written in the same transaction as its hashed ``customer_otp`` row, until notifications
    has it. The row is kept for a week after delivery (then the dispatcher deletes it),
    but the code in it is worthless once it expires (five minutes), is used, or is
    superseded by a newer code for the phone.
    """
    return {"phone_number": phone_number, "code": code, "expires_at": expires_at.isoformat()}


def create_publisher(settings: AuthSettings) -> EventPublisher:
    """The publisher that writes auth's events into its outbox."""
    return EventPublisher(
        outbox,
        source="auth",
        routes=ROUTES,
        endpoints={"loyalty": settings.loyalty_url, "notifications": settings.notifications_url},
    )


def create_dispatcher(
    settings: AuthSettings,
    database: Database,
    publisher: EventPublisher,
    issuer: TokenIssuer,
    *,
    transport: httpx.BaseTransport | None = None,
) -> OutboxDispatcher:
    """The background deliverer of auth's outbox, authenticated with a self-signed token."""
    return OutboxDispatcher.for_service(
        settings, database, publisher,
        token_provider=SelfServiceToken(issuer, settings.service_client_id or "auth"),
        transport=transport,
    )

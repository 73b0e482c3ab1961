"""Checks every internal write route of loyalty shares (the referral bonus, the import of
earlier purchases): a refused request writes nothing, and only a service may call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Callers that are not services, by name (see :func:`non_service_headers`).
NON_SERVICES = ["none", "business", "customer", "business internal"]


def non_service_headers(loyalty: Any, who: str, phone: str) -> dict[str, str]:
    """The headers of a caller that is not a service: none, a business, a customer, or a
    business token minted for the internal audience (it passes the audience check and is
    refused for its role: 403, the others 401)."""
    return {
        "none": {},
        "business": loyalty.business_headers(1),
        "customer": loyalty.customer_headers(phone),
        "business internal": loyalty.business_headers(1, audience="mubayiro-internal"),
    }[who]


def refused_without_a_trace(
    loyalty: Any, send: Callable[[], Any], status: int, error: str | None = None
) -> None:
    """``send()`` is answered ``status`` (and ``error``), and no table changed."""
    before = loyalty.counts()
    response = send()
    assert response.status_code == status, response.text
    if error is not None:
        assert response.json()["error"] == error
    assert loyalty.counts() == before

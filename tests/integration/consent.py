"""The customer's consent to spend, as a shop meets it through the gateway.

A redemption needs the code the customer got by SMS: the shop asks for it
(``POST /transactions/redemption_codes``), the customer reads it out. Here the SMS is
read from the development outbox (``GET /notifications/outbox?to=``), like sign-in codes.
"""

from __future__ import annotations

import re

from mubayiro.common.testing import wait_until

_CODE = re.compile(r"Give the cashier this code: (\d{6})")


def _codes(gw, phone: str) -> list[str]:
    messages = gw.get("/notifications/outbox", params={"to": phone, "limit": 200}).json()
    return [m.group(1) for m in (_CODE.search(msg["body"]) for msg in messages) if m]


def redemption_code(gw, headers: dict[str, str], business_id: int, phone: str) -> str:
    """Ask for the customer's redemption code as the shop (``headers``) and return the
    code once its SMS is in the outbox (the newest one: a new code replaces the last)."""
    before = len(_codes(gw, phone))
    r = gw.post("/transactions/redemption_codes", headers=headers,
                json={"business_id": business_id, "customer_phone_number": phone})
    assert r.status_code == 202, r.text
    return wait_until(lambda: (codes := _codes(gw, phone)) and len(codes) > before and codes[0],
                      timeout=15, message=f"the redemption code SMS to {phone}")

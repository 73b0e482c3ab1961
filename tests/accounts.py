"""Accounts as the integration and browser tests make them through the gateway: a
business registered and logged in, a customer signed in with the code auth sent by SMS
(read from the development outbox, ``GET /notifications/outbox?to=``)."""

from __future__ import annotations

import re
import uuid

from mubayiro.common.testing import wait_until

PASSWORD = "Sadza2026!"


def register_business(gw, name: str, contact_person: str) -> tuple[int, dict[str, str], str]:
    """Register a business named ``name`` (plus a random suffix) with a fresh email and log
    in as it: ``(business id, auth headers, email)``."""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.co.zw"
    r = gw.post("/auth/register_business", json={
        "name": f"{name} {uuid.uuid4().hex[:4]}", "contact_person": contact_person,
        "email": email, "password": PASSWORD})
    assert r.status_code == 201, r.text
    token = gw.post("/auth/login_business",
                    json={"email": email, "password": PASSWORD}).json()["access_token"]
    return r.json()["id"], {"Authorization": f"Bearer {token}"}, email


def sms_bodies(gw, phone: str) -> list[str]:
    """The texts of the SMS sent to ``phone``, newest first."""
    r = gw.get("/notifications/outbox", params={"to": phone, "limit": 200})
    assert r.status_code == 200, r.text
    return [m["body"] for m in r.json()]


def latest_sign_in_code(gw, phone: str) -> str | None:
    """The newest sign-in code sent to ``phone`` (None before the first)."""
    for body in sms_bodies(gw, phone):
        found = re.search(r"code is (\d{6})", body)
        if found:
            return found.group(1)
    return None


def sign_in_customer(gw, phone: str) -> dict[str, str]:
    """Sign a customer in by SMS code; the auth headers."""
    assert gw.post("/auth/customer/otp/request", json={"phone_number": phone}).status_code == 202
    code = wait_until(lambda: latest_sign_in_code(gw, phone), timeout=15,
                      message=f"the sign-in code for {phone}")
    r = gw.post("/auth/customer/otp/verify", json={"phone_number": phone, "code": code})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}

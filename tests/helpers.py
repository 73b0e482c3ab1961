"""What the integration tests do again and again through the gateway: make a phone
number, register a business and log in as it, award points, track a referral, read the
SMS a customer got (the development outbox, ``GET /notifications/outbox?to=``) and sign a
customer in with the code auth sent there."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

from mubayiro.common.testing import wait_until

PASSWORD = "Sadza2026!"


def new_phone() -> str:
    """A random Zimbabwean mobile number (E.164): each test makes its own customers."""
    return f"+26377{random.randint(1_000_000, 9_999_999)}"


def unique(name: str) -> str:
    """``name`` with a random suffix (business names stay apart across tests and runs)."""
    return f"{name} {uuid.uuid4().hex[:4]}"


def register_business(gw, name: str, contact_person: str = "Owner",
                      **fields: Any) -> tuple[int, dict[str, str], str]:
    """Register a business named ``name`` (plus registration ``fields``, such as
    ``loyalty_rate``) with a fresh email and log in as it: ``(id, auth headers, email)``."""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.co.zw"
    r = gw.post("/auth/register_business", json={
        "name": name, "contact_person": contact_person, "email": email, "password": PASSWORD,
        **fields})
    assert r.status_code == 201, r.text
    token = gw.post("/auth/login_business",
                    json={"email": email, "password": PASSWORD}).json()["access_token"]
    return r.json()["id"], {"Authorization": f"Bearer {token}"}, email


def earn(gw, business_id: int, headers: dict[str, str], phone: str, amount: Any) -> dict:
    """The business records a purchase of ``amount`` by ``phone``; the answer."""
    r = gw.post("/transactions/add_points", headers=headers, json={
        "business_id": business_id, "customer_phone_number": phone, "amount_spent": str(amount)})
    assert r.status_code == 201, r.text
    return r.json()


def track_referral(gw, business_id: int, headers: dict[str, str], friend: str,
                   referrer: str):
    """The business records that ``referrer`` brought ``friend``; the response (the
    caller checks its status: some tests expect a refusal)."""
    return gw.post("/referrals/track", headers=headers, json={
        "business_id": business_id, "new_customer_phone_number": friend,
        "referrer_phone_number": referrer})


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

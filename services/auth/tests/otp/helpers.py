"""Helpers of the OTP tests: read what a request wrote, as notifications would get it."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from mubayiro.auth.models import CustomerOtp, outbox

PHONE = "+263771234567"
OTHER_PHONE = "+263772000111"


def sent_codes(app: FastAPI, phone: str = PHONE) -> list[dict[str, Any]]:
    """The ``customer.otp_requested`` payloads for ``phone`` in the outbox, oldest first."""
    with app.state.database.session(write=False) as s:
        rows = s.execute(
            select(outbox.c.envelope)
            .where(outbox.c.event_type == "customer.otp_requested")
            .order_by(outbox.c.id)
        ).scalars()
        payloads = [json.loads(envelope)["data"] for envelope in rows]
    return [p for p in payloads if p["phone_number"] == phone]


def last_code(app: FastAPI, phone: str = PHONE) -> str:
    """The newest code texted to ``phone``."""
    return sent_codes(app, phone)[-1]["code"]


def wrong(code: str) -> str:
    """A six-digit code that is certainly not ``code``."""
    return f"{(int(code) + 1) % 10**6:06d}"


def otp_rows(app: FastAPI) -> list[CustomerOtp]:
    """Every ``customer_otp`` row, oldest first."""
    with app.state.database.session(write=False) as s:
        return list(s.scalars(select(CustomerOtp).order_by(CustomerOtp.id)))


def row_counts(app: FastAPI) -> tuple[int, int]:
    """(customer_otp rows, outbox rows)."""
    with app.state.database.session(write=False) as s:
        otps = s.scalar(select(func.count()).select_from(CustomerOtp))
        events = s.scalar(select(func.count()).select_from(outbox))
    return int(otps or 0), int(events or 0)

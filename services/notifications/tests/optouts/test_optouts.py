"""Opt-outs: after STOP no earn/redeem/bonus/invitation SMS goes out; sign-in codes still do.

The rule is checked when an SMS is stored (it is stored ``skipped``) and again by the
sender just before sending (a STOP that came while it waited in the queue).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.common.db import Database
from mubayiro.common.testing import wait_until
from mubayiro.notifications.models import (
    SMS_QUEUED,
    SMS_SENT,
    SMS_SKIPPED,
    SmsMessage,
    SmsOptOut,
)
from mubayiro.notifications.optouts.service import optout_service
from mubayiro.notifications.sms.sender import SmsSender
from mubayiro.notifications.sms.service import sms_service

ZW = ["ZW"]  # the served countries
EVENTS = "/internal/events"
PHONE = "+263771234567"
OTHER = "+263772222333"


class RecordingProvider:
    """Accepts every SMS and remembers it."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def send(self, to: str, body: str) -> str:
        with self._lock:
            self.sent.append((to, body))
            return f"SM{len(self.sent)}"


def _opt_out(app: FastAPI, phone: str = PHONE) -> bool:
    with app.state.database.session() as session:
        return optout_service.opt_out(session, phone)


def _opt_in(app: FastAPI, phone: str = PHONE) -> bool:
    with app.state.database.session() as session:
        return optout_service.opt_in(session, phone)


@pytest.fixture
def provider() -> RecordingProvider:
    return RecordingProvider()


@pytest.fixture
def app(app_factory, provider) -> Iterator[FastAPI]:
    """A running app (sender started) whose provider records what it sends."""
    app = app_factory(provider=provider)
    with TestClient(app):
        yield app


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


def _post_all_non_essential(client, service_headers, points_event, redeemed_event,
                            referral_bonus_event) -> None:
    for event in (points_event(), redeemed_event(), referral_bonus_event()):
        assert client.post(EVENTS, json=event, headers=service_headers).status_code == 200
    resp = client.post("/internal/sms", headers=service_headers, json={
        "to": PHONE, "body": "Tendai invites you to Mubayiro.", "kind": "referral_invitation"})
    assert resp.status_code == 202


def test_opted_out_number_gets_no_refund_or_expiry_reminder_sms(
    app, client, service_headers, reversed_event, expiring_event, sms_rows,
):
    _opt_out(app)

    for event in (reversed_event(), expiring_event()):
        assert client.post(EVENTS, json=event, headers=service_headers).status_code == 200

    assert {(m.kind, m.status) for m in sms_rows(app)} == {
        ("points_reversed", SMS_SKIPPED), ("expiry_reminder", SMS_SKIPPED)}


def test_opted_out_number_gets_no_earn_redeem_bonus_or_invitation_sms(
    app, client, provider, service_headers, points_event, redeemed_event,
    referral_bonus_event, otp_event, sms_rows,
):
    _opt_out(app)

    _post_all_non_essential(client, service_headers, points_event, redeemed_event,
                            referral_bonus_event)
    # The OTP goes last: once it is sent, the sender has had its chance at the others.
    client.post(EVENTS, json=otp_event(), headers=service_headers)
    wait_until(lambda: [m for m in sms_rows(app) if m.status == SMS_SENT], message="otp sent")

    rows = sms_rows(app)
    assert {(m.kind, m.status) for m in rows} == {
        ("points_earned", SMS_SKIPPED), ("points_redeemed", SMS_SKIPPED),
        ("referral_bonus", SMS_SKIPPED), ("referral_invitation", SMS_SKIPPED),
        ("otp_code", SMS_SENT),
    }
    assert [body for _, body in provider.sent] == [
        "Your Mubayiro code is 482913. It expires in 5 minutes. Never share it."]
    assert app.state.sms_sender.send_due() is False  # nothing left that could go out


def test_opt_out_of_one_number_leaves_others_alone(
    app, client, provider, service_headers, points_event, sms_rows
):
    _opt_out(app, OTHER)

    client.post(EVENTS, json=points_event(), headers=service_headers)

    wait_until(lambda: provider.sent, message="sms sent")
    assert provider.sent[0][0] == PHONE


def test_skipped_sms_are_visible_in_the_outbox(app_factory, service_headers, points_event):
    app = app_factory()  # the console provider: the outbox is shown
    with TestClient(app) as client:
        _opt_out(app)
        client.post(EVENTS, json=points_event(), headers=service_headers)

        [item] = client.get("/notifications/outbox", params={"to": PHONE}).json()

    assert item["status"] == "skipped"
    assert item["body"] == "You earned 25 points at Mbare Fresh Grocers. Balance: 140."


def test_start_lets_sms_through_again_but_never_sends_the_skipped_ones(
    app, client, provider, service_headers, points_event, sms_rows
):
    _opt_out(app)
    client.post(EVENTS, json=points_event(points=1, total_points=1), headers=service_headers)
    assert _opt_in(app) is True

    client.post(EVENTS, json=points_event(points=2, total_points=3), headers=service_headers)

    wait_until(lambda: sms_rows(app)[-1].status == SMS_SENT, message="sms sent")
    assert [m.status for m in sms_rows(app)] == [SMS_SKIPPED, SMS_SENT]
    assert provider.sent == [(PHONE, "You earned 2 points at Mbare Fresh Grocers. Balance: 3.")]


def test_stop_twice_keeps_one_opt_out_with_the_first_time(app):
    assert _opt_out(app) is True
    with app.state.database.session(write=False) as session:
        first = session.scalar(select(SmsOptOut.opted_out_at))

    assert _opt_out(app, "0771234567") is False  # the same number, spelled locally

    with app.state.database.session(write=False) as session:
        rows = list(session.scalars(select(SmsOptOut)))
    assert [(r.phone_number, r.opted_out_at) for r in rows] == [(PHONE, first)]


def test_start_without_stop_changes_nothing(app):
    assert _opt_in(app) is False


# --- the send-time check, without the background thread --------------------------


def _store(database: Database, *, essential: bool, kind: str = "points_earned") -> int:
    with database.session() as session:
        stored = sms_service.enqueue(
            session, countries=ZW, to=PHONE, body=f"{kind} text", kind=kind,
                                     provider="recording", essential=essential)
    assert stored is not None and stored.status == SMS_QUEUED
    return stored.id


def _status(database: Database, message_id: int) -> str:
    with database.session(write=False) as session:
        return session.get(SmsMessage, message_id).status


def test_stop_while_queued_skips_the_sms_at_send_time(database):
    provider = RecordingProvider()
    sender = SmsSender(database, provider)
    earn = _store(database, essential=False)
    code = _store(database, essential=True, kind="otp_code")
    with database.session() as session:
        optout_service.opt_out(session, PHONE)

    sender.send_due()

    assert _status(database, earn) == SMS_SKIPPED
    assert _status(database, code) == SMS_SENT
    assert provider.sent == [(PHONE, "otp_code text")]
    assert sender.send_due() is False


def test_skipped_at_send_time_is_not_sent_after_start(database):
    provider = RecordingProvider()
    sender = SmsSender(database, provider)
    earn = _store(database, essential=False)
    with database.session() as session:
        optout_service.opt_out(session, PHONE)
    sender.send_due()
    with database.session() as session:
        optout_service.opt_in(session, PHONE)

    sender.send_due()

    assert _status(database, earn) == SMS_SKIPPED
    assert provider.sent == []


def test_a_whole_batch_skipped_still_lets_the_next_batch_go(database):
    provider = RecordingProvider()
    sender = SmsSender(database, provider, batch_size=2)
    skipped = [_store(database, essential=False) for _ in range(2)]
    with database.session() as session:
        optout_service.opt_out(session, PHONE)
    code = _store(database, essential=True, kind="otp_code")

    while sender.send_due():
        pass

    assert [_status(database, i) for i in skipped] == [SMS_SKIPPED, SMS_SKIPPED]
    assert _status(database, code) == SMS_SENT

"""The background sender: sent, retried with backoff, failed for good, never sent twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from mubayiro.common.db import Database, utcnow
from mubayiro.common.testing import wait_until
from mubayiro.notifications.models import SMS_FAILED, SMS_QUEUED, SMS_SENT, sms_queue
from mubayiro.notifications.sms.providers import PermanentSmsError, TemporarySmsError
from mubayiro.notifications.sms.sender import SmsSender
from mubayiro.notifications.sms.service import sms_service


class ScriptedProvider:
    """A provider whose answers are scripted: each entry is raised, or else returned."""

    name = "scripted"

    def __init__(self, *outcomes: Exception | str, then: Exception | str = "SM-ok"):
        self._outcomes = list(outcomes)
        self._then = then
        self.calls: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def send(self, to: str, body: str) -> str:
        with self._lock:
            self.calls.append((to, body))
            outcome = self._outcomes.pop(0) if self._outcomes else self._then
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


ZW = ["ZW"]  # the served countries


def _enqueue(database: Database, to: str = "+263771234567", body: str = "hi") -> int:
    with database.session() as session:
        stored = sms_service.enqueue(
            session, countries=ZW, to=to, body=body, kind="test",
                                     provider="scripted")
    assert stored is not None
    return stored.id


def _row(database: Database, message_id: int):
    from mubayiro.notifications.models import SmsMessage

    with database.session(write=False) as session:
        return session.get(SmsMessage, message_id)


def _sender(database: Database, provider, **kw) -> SmsSender:
    kw.setdefault("retry_base_seconds", 0.01)
    kw.setdefault("max_backoff_seconds", 0.05)
    return SmsSender(database, provider, **kw)


def test_temporary_failures_are_retried_until_sent_once(
    app_factory, service_headers, points_event, sms_rows
):
    provider = ScriptedProvider(TemporarySmsError("Twilio HTTP 503"),
                                TemporarySmsError("Twilio HTTP 429"), then="SM-third")
    app = app_factory(provider=provider)
    with TestClient(app) as client:
        client.post("/internal/events", json=points_event(), headers=service_headers)

        [sms] = wait_until(
            lambda: [m for m in sms_rows(app) if m.status == SMS_SENT], message="sms sent"
        )

    assert sms.attempts == 3
    assert sms.provider_message_id == "SM-third"
    assert sms.provider == "scripted"
    assert sms.last_error is None
    assert len(provider.calls) == 3  # the third call succeeded; nothing after it


def test_permanent_failure_marks_the_sms_failed_with_the_reason(
    app_factory, service_headers, points_event, sms_rows
):
    provider = ScriptedProvider(PermanentSmsError("Twilio HTTP 400, code 21211: invalid To"))
    app = app_factory(provider=provider)
    with TestClient(app) as client:
        client.post("/internal/events", json=points_event(), headers=service_headers)

        [sms] = wait_until(
            lambda: [m for m in sms_rows(app) if m.status == SMS_FAILED], message="sms failed"
        )
        # Another round finds nothing to send: a failed SMS is not retried.
        assert app.state.sms_sender.send_due() is False

    assert sms.attempts == 1
    assert "21211" in sms.last_error
    assert sms.sent_at is None
    assert len(provider.calls) == 1


def test_unexpected_provider_error_is_treated_as_temporary(database):
    provider = ScriptedProvider(RuntimeError("boom"), then="SM-2")
    sender = _sender(database, provider)
    message_id = _enqueue(database)

    sender.send_due()
    row = _row(database, message_id)
    assert (row.status, row.attempts, row.last_error) == (SMS_QUEUED, 1, "RuntimeError: boom")

    wait_until(lambda: sender.send_due() or _row(database, message_id).status == SMS_SENT)
    assert _row(database, message_id).attempts == 2


def test_temporary_failure_reschedules_with_backoff_and_gives_back_the_batch(database):
    provider = ScriptedProvider(then=TemporarySmsError("Twilio HTTP 503"))
    sender = _sender(database, provider, retry_base_seconds=30, max_backoff_seconds=60)
    first, second, third = (_enqueue(database, body=f"m{i}") for i in range(3))

    before = utcnow()
    sender.send_due()

    failed = _row(database, first)
    assert failed.status == SMS_QUEUED and failed.attempts == 1
    assert failed.last_error == "Twilio HTTP 503"
    assert before + timedelta(seconds=23) <= failed.next_attempt_at
    assert failed.next_attempt_at <= utcnow() + timedelta(seconds=37)
    for untried in (_row(database, second), _row(database, third)):
        assert untried.attempts == 0 and untried.claim is None
        assert untried.next_attempt_at == failed.next_attempt_at
    assert len(provider.calls) == 1
    # Paused: the provider is not called again before the retry time.
    assert sender.send_due() is False
    assert len(provider.calls) == 1


def test_backoff_doubles_and_is_capped(database):
    sender = _sender(database, ScriptedProvider(), retry_base_seconds=1, max_backoff_seconds=30)

    delays = [sender.backoff(n).total_seconds() for n in range(1, 12)]

    assert 0.8 <= delays[0] <= 1.2
    assert 1.6 <= delays[1] <= 2.4
    assert 6.4 <= delays[3] <= 9.6
    assert all(d <= 30 for d in delays)
    assert delays[-1] >= 24
    assert sender.backoff(10_000).total_seconds() <= 30


def test_a_claimed_sms_cannot_be_claimed_by_another_sender(database):
    message_id = _enqueue(database)
    now = utcnow()

    with database.session() as session:
        mine = sms_queue.claim(session, claim="a", now=now,
                               lease_until=now + timedelta(seconds=60), limit=10)
    with database.session() as session:
        theirs = sms_queue.claim(session, claim="b", now=now,
                                 lease_until=now + timedelta(seconds=60), limit=10)

    assert [m.id for m in mine] == [message_id]
    assert theirs == []


def test_sms_of_a_dead_sender_is_claimed_again_after_the_lease(database):
    message_id = _enqueue(database)
    now = utcnow()
    with database.session() as session:
        sms_queue.claim(session, claim="dead", now=now,
                        lease_until=now + timedelta(seconds=60), limit=10)

    later = now + timedelta(seconds=61)
    with database.session() as session:
        again = sms_queue.claim(session, claim="alive", now=later,
                                lease_until=later + timedelta(seconds=60), limit=10)
        # The dead sender's late answer no longer counts: its claim is gone.
        assert not sms_queue.mark_done(
            session, message_id, "dead", attempts=1,
            values={"provider": "x", "provider_message_id": "SM", "sent_at": later},
        )

    assert [m.id for m in again] == [message_id]


def test_sender_sends_every_due_sms_in_order(database):
    provider = ScriptedProvider()
    sender = _sender(database, provider, batch_size=2)
    ids = [_enqueue(database, body=f"m{i}") for i in range(5)]

    while sender.send_due():
        pass

    assert [body for _, body in provider.calls] == [f"m{i}" for i in range(5)]
    assert all(_row(database, i).status == SMS_SENT for i in ids)


def test_stopped_sender_gives_back_its_claimed_sms(database):
    provider = ScriptedProvider()
    sender = _sender(database, provider)
    ids = [_enqueue(database, body=f"m{i}") for i in range(3)]
    sender._stop.set()  # as if stop() came while the batch was claimed

    sender.send_due()

    assert provider.calls == []
    for message_id in ids:
        row = _row(database, message_id)
        assert row.status == SMS_QUEUED and row.claim is None and row.attempts == 0


def test_enqueue_wakes_the_sender_only_after_commit(database):
    wakeup = threading.Event()
    with database.session() as session:
        sms_service.enqueue(
            session, countries=ZW, to="0771234567", body="hi", kind="test",
                            provider="scripted", wakeup=wakeup)
        assert not wakeup.is_set()

    assert wakeup.is_set()


def test_enqueue_rolled_back_neither_queues_nor_wakes(database):
    wakeup = threading.Event()
    with pytest.raises(RuntimeError), database.session() as session:
        sms_service.enqueue(
            session, countries=ZW, to="0771234567", body="hi", kind="test",
                            provider="scripted", wakeup=wakeup)
        raise RuntimeError("the change that caused the SMS failed")

    assert not wakeup.is_set()
    assert _sender(database, ScriptedProvider()).send_due() is False


def test_same_event_and_kind_is_queued_once(database):
    with database.session() as session:
        first = sms_service.enqueue(
            session, countries=ZW, to="0771234567", body="hi", kind="points_earned",
                                    provider="scripted", event_id="evt-1")
        second = sms_service.enqueue(
            session, countries=ZW, to="0771234567", body="hi", kind="points_earned",
                                     provider="scripted", event_id="evt-1")
        other_kind = sms_service.enqueue(
            session, countries=ZW, to="0771234567", body="hi", kind="other",
                                         provider="scripted", event_id="evt-1")

    assert first is not None and other_kind is not None
    assert second is None


def test_sent_sign_in_codes_are_not_kept_when_redacted(database):
    provider = ScriptedProvider()
    with database.session() as session:
        code = sms_service.enqueue(
            session, countries=ZW, to="+263771234567", kind="otp_code",
                                   body="Your Mubayiro code is 123456.", provider="scripted")
        other = sms_service.enqueue(
            session, countries=ZW, to="+263771234567", kind="points_earned",
                                    body="You earned 5 points.", provider="scripted")
    assert code is not None and other is not None
    _sender(database, provider, redact_kinds=frozenset({"otp_code"})).send_due()
    assert provider.calls[0][1] == "Your Mubayiro code is 123456."  # the customer got it
    assert _row(database, code.id).body == "[hidden after sending]"
    assert _row(database, other.id).body == "You earned 5 points."


def test_a_refused_sms_is_parked_without_holding_the_others_and_retried_by_an_operator(database):
    from mubayiro.common.cli import list_dead_letters, retry_dead_letters
    from mubayiro.notifications.models import QUEUES

    provider = ScriptedProvider(PermanentSmsError("Twilio HTTP 400, code 21211: invalid To"))
    sender = _sender(database, provider)
    refused, later = _enqueue(database, body="m0"), _enqueue(database, body="m1")

    sender.send_due()

    assert [body for _, body in provider.calls] == ["m0", "m1"]  # the next one went out
    parked = _row(database, refused)
    assert (parked.status, parked.attempts) == (SMS_FAILED, 1)
    assert parked.parked_at is not None and "21211" in parked.last_error
    assert _row(database, later).status == SMS_SENT
    [letter] = list_dead_letters(database, QUEUES)
    assert (letter["queue"], letter["id"], letter["kind"]) == ("sms", refused, "test")

    assert retry_dead_letters(database, QUEUES, refused) == 1  # the number was fixed upstream
    sender.send_due()

    resent = _row(database, refused)
    assert (resent.status, resent.attempts, resent.parked_at) == (SMS_SENT, 2, None)
    assert list_dead_letters(database, QUEUES) == []

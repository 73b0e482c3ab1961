"""``POST /sms/inbound``: the Twilio webhook, signed exactly as Twilio signs it.

Twilio calls the public URL ``https://loyalty.example.com/sms/inbound``; the gateway
passes it on with ``X-Forwarded-*`` headers, from which the service rebuilds that URL
to check ``X-Twilio-Signature`` (computed here with the Twilio library's
``RequestValidator``). Replies come back as TwiML in the response.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mubayiro.notifications.inbound import commands
from mubayiro.notifications.models import InboundMessage, SmsMessage, SmsOptOut

INBOUND = "/sms/inbound"
PHONE = "+263771234567"


@pytest.fixture
def app(app_factory, twilio_settings) -> FastAPI:
    """An app with the Twilio provider (the signature is always checked)."""
    return app_factory(**twilio_settings)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _count(app: FastAPI, model) -> int:
    with app.state.database.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _inbound_rows(app: FastAPI) -> list[InboundMessage]:
    with app.state.database.session(write=False) as session:
        return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))


def test_signed_balance_request_gets_a_twiml_reply(client, twilio_webhook, peers):
    peers.balances[PHONE] = 140

    resp = twilio_webhook.send(client, "BALANCE")

    assert twilio_webhook.reply(resp) == commands.balance_reply(140)
    assert resp.text == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You have 140 Mubayiro '
        "points, good at every Mubayiro business. Reply HELP for commands.</Message></Response>"
    )
    assert peers.balance_calls == [PHONE]


def test_inbound_message_and_reply_are_recorded(app, client, twilio_webhook):
    form = twilio_webhook.form(" help ", sid="SM" + "a" * 32)

    twilio_webhook.post(client, form)

    [row] = _inbound_rows(app)
    assert (row.provider, row.provider_message_id, row.from_number, row.body, row.reply) == (
        "twilio", "SM" + "a" * 32, PHONE, " help ", commands.HELP_REPLY)
    assert row.created_at is not None


def test_unknown_phone_balance_is_answered_politely(client, twilio_webhook):
    resp = twilio_webhook.send(client, "bal")

    assert twilio_webhook.reply(resp) == (
        "We don't have points for this number yet. "
        "Shop at any Mubayiro business to start earning.")


def test_loyalty_down_is_answered_politely_not_with_an_error(client, twilio_webhook, peers):
    peers.loyalty_down = True

    resp = twilio_webhook.send(client, "POINTS")

    assert twilio_webhook.reply(resp) == commands.BALANCE_UNAVAILABLE_REPLY


@pytest.mark.parametrize(("text", "reply"), [
    (" bal ", None), ("Points", None), ("HELP", commands.HELP_REPLY),
    ("stop", commands.STOP_REPLY), ("Start", commands.START_REPLY),
    ("hello there", commands.UNKNOWN_COMMAND_REPLY), ("", commands.UNKNOWN_COMMAND_REPLY),
])
def test_commands_through_the_webhook(client, twilio_webhook, peers, text, reply):
    peers.balances[PHONE] = 7

    got = twilio_webhook.reply(twilio_webhook.send(client, text))

    assert got == (reply or commands.balance_reply(7))
    assert len(got) <= 160


def test_stop_then_start_through_the_webhook_controls_points_sms(
    app, client, twilio_webhook, service_headers, points_event, sms_rows
):
    assert twilio_webhook.reply(twilio_webhook.send(client, "STOP")) == commands.STOP_REPLY
    client.post("/internal/events", json=points_event(), headers=service_headers)
    assert [m.status for m in sms_rows(app)] == ["skipped"]

    assert twilio_webhook.reply(twilio_webhook.send(client, "START")) == commands.START_REPLY
    client.post("/internal/events", json=points_event(), headers=service_headers)

    assert [m.status for m in sms_rows(app)][:1] == ["skipped"]
    assert sms_rows(app)[1].status in {"queued", "sent"}
    assert _count(app, SmsOptOut) == 0


def test_local_spelling_of_from_is_normalised(app, client, twilio_webhook):
    twilio_webhook.post(client, twilio_webhook.form("STOP", sender="0771234567"))

    with app.state.database.session(write=False) as session:
        assert list(session.scalars(select(SmsOptOut.phone_number))) == [PHONE]
    assert _inbound_rows(app)[0].from_number == PHONE


@pytest.mark.parametrize("sender", ["12345", "MUBAYIRO", "+1", "not a phone"])
def test_invalid_from_gets_a_twiml_reply_and_runs_nothing(app, client, twilio_webhook, sender):
    resp = twilio_webhook.post(client, twilio_webhook.form("STOP", sender=sender))

    assert twilio_webhook.reply(resp) == commands.INVALID_SENDER_REPLY
    assert _count(app, SmsOptOut) == 0
    assert _count(app, InboundMessage) == 0


# --- signatures -------------------------------------------------------------------


def test_bad_signature_is_403_and_runs_nothing(app, client, twilio_webhook, peers):
    form = twilio_webhook.form("STOP")

    resp = twilio_webhook.post(client, form, signature="bm90IGEgc2lnbmF0dXJl")

    assert resp.status_code == 403
    assert resp.json()["error"] == "InvalidTwilioSignature"
    assert _count(app, SmsOptOut) == 0
    assert _count(app, InboundMessage) == 0


def test_missing_signature_is_403(app, client, twilio_webhook):
    resp = twilio_webhook.post(client, twilio_webhook.form("STOP"), signature=None)

    assert resp.status_code == 403
    assert resp.json()["error"] == "InvalidTwilioSignature"
    assert _count(app, SmsOptOut) == 0


def test_signature_with_another_auth_token_is_403(client, twilio_webhook):
    form = twilio_webhook.form("BAL")

    resp = twilio_webhook.post(client, form,
                               signature=twilio_webhook.sign(form, token="someone-elses"))

    assert resp.status_code == 403


def test_signature_of_other_params_is_403(client, twilio_webhook):
    form = twilio_webhook.form("HELP")
    signature = twilio_webhook.sign(form)

    resp = twilio_webhook.post(client, {**form, "Body": "STOP"}, signature=signature)

    assert resp.status_code == 403


def test_added_param_breaks_the_signature(client, twilio_webhook):
    form = twilio_webhook.form("HELP")
    signature = twilio_webhook.sign(form)

    resp = twilio_webhook.post(client, {**form, "Extra": "1"}, signature=signature)

    assert resp.status_code == 403


@pytest.mark.parametrize("url", [
    "http://loyalty.example.com/sms/inbound",      # other scheme
    "https://evil.example.com/sms/inbound",        # other host
    "https://loyalty.example.com/sms/inbound?x=1",  # other query
    "http://127.0.0.1:8103/sms/inbound",           # the service's own address
])
def test_signature_for_another_url_is_403(client, twilio_webhook, url):
    form = twilio_webhook.form("HELP")

    resp = twilio_webhook.post(client, form, signature=twilio_webhook.sign(form, url=url))

    assert resp.status_code == 403


def test_signature_on_a_non_default_public_port(client, twilio_webhook):
    url = "https://loyalty.example.com:8443/sms/inbound"
    form = twilio_webhook.form("HELP")

    resp = twilio_webhook.post(
        client, form, signature=twilio_webhook.sign(form, url=url),
        headers={"X-Forwarded-Host": "loyalty.example.com:8443", "X-Forwarded-Port": "8443"},
    )

    assert twilio_webhook.reply(resp) == commands.HELP_REPLY


def test_signature_covers_the_query_string(client, twilio_webhook):
    url = "https://loyalty.example.com/sms/inbound?channel=zw"
    form = twilio_webhook.form("HELP")

    resp = twilio_webhook.post(client, form, signature=twilio_webhook.sign(form, url=url),
                               path="/sms/inbound?channel=zw")

    assert twilio_webhook.reply(resp) == commands.HELP_REPLY


def test_public_base_url_setting_replaces_the_forwarded_headers(
    app_factory, twilio_settings, twilio_webhook
):
    app = app_factory(public_base_url="https://sms.example.org/", **twilio_settings)
    form = twilio_webhook.form("HELP")
    with TestClient(app) as client:
        good = twilio_webhook.post(
            client, form,
            signature=twilio_webhook.sign(form, url="https://sms.example.org/sms/inbound"))
        bad = twilio_webhook.post(client, form)  # signed for loyalty.example.com

    assert twilio_webhook.reply(good) == commands.HELP_REPLY
    assert bad.status_code == 403


def test_console_provider_in_development_skips_the_check(app_factory, twilio_webhook):
    app = app_factory(environment="development")  # console provider
    with TestClient(app) as client:
        resp = twilio_webhook.post(client, twilio_webhook.form("HELP"), signature=None)

    assert twilio_webhook.reply(resp) == commands.HELP_REPLY


def test_console_provider_in_test_environment_skips_the_check(app_factory, twilio_webhook):
    with TestClient(app_factory()) as client:
        resp = twilio_webhook.post(client, twilio_webhook.form("HELP"), signature="garbage")

    assert twilio_webhook.reply(resp) == commands.HELP_REPLY


def test_console_provider_in_production_still_checks(app_factory, twilio_webhook):
    app = app_factory(environment="production", sms_provider="console",
                      service_client_secret="a-real-production-secret",
                      twilio_auth_token="test-auth-token")
    with TestClient(app) as client:
        unsigned = twilio_webhook.post(client, twilio_webhook.form("HELP"), signature=None)
        signed = twilio_webhook.send(client, "HELP")

    assert unsigned.status_code == 403
    assert twilio_webhook.reply(signed) == commands.HELP_REPLY


def test_production_without_an_auth_token_refuses_every_webhook(app_factory, twilio_webhook):
    app = app_factory(environment="production", sms_provider="console",
                      service_client_secret="a-real-production-secret")
    with TestClient(app) as client:
        resp = twilio_webhook.send(client, "HELP")

    assert resp.status_code == 403


def test_json_body_is_not_a_twilio_webhook(client, twilio_webhook):
    resp = client.post(INBOUND, json={"From": PHONE, "Body": "STOP", "MessageSid": "SM1"},
                       headers={**twilio_webhook.forwarded, "X-Twilio-Signature": "x"})

    assert resp.status_code == 403


@pytest.mark.parametrize("missing", ["From", "MessageSid"])
def test_signed_request_without_from_or_sid_is_422(client, twilio_webhook, missing):
    form = twilio_webhook.form("HELP")
    del form[missing]

    resp = twilio_webhook.post(client, form)

    assert resp.status_code == 422
    assert resp.json()["error"] == "InvalidInboundSms"


def test_overlong_message_sid_is_422(client, twilio_webhook):
    resp = twilio_webhook.post(client, twilio_webhook.form("HELP", sid="SM" + "1" * 80))

    assert resp.status_code == 422


def test_missing_body_is_treated_as_empty(client, twilio_webhook):
    form = twilio_webhook.form("x")
    del form["Body"]

    resp = twilio_webhook.post(client, form)

    assert twilio_webhook.reply(resp) == commands.UNKNOWN_COMMAND_REPLY


def test_oversized_webhook_is_413(client, twilio_webhook):
    resp = twilio_webhook.send(client, "x" * 70_000)

    assert resp.status_code == 413


# --- duplicates ---------------------------------------------------------------------


def test_duplicate_balance_delivery_gets_the_same_reply_and_asks_loyalty_once(
    app, client, twilio_webhook, peers
):
    peers.balances[PHONE] = 140
    form = twilio_webhook.form("BAL", sid="SM" + "b" * 32)

    first = twilio_webhook.reply(twilio_webhook.post(client, form))
    peers.balances[PHONE] = 999  # what a second lookup would say
    second = twilio_webhook.reply(twilio_webhook.post(client, form))

    assert first == second == commands.balance_reply(140)
    assert peers.balance_calls == [PHONE]
    assert _count(app, InboundMessage) == 1


def test_duplicate_stop_is_recorded_once(app, client, twilio_webhook):
    form = twilio_webhook.form("STOP", sid="SM" + "c" * 32)

    replies = {twilio_webhook.reply(twilio_webhook.post(client, form)) for _ in range(3)}

    assert replies == {commands.STOP_REPLY}
    assert _count(app, SmsOptOut) == 1
    assert _count(app, InboundMessage) == 1


def test_redelivered_stop_after_start_does_not_opt_out_again(app, client, twilio_webhook):
    stop = twilio_webhook.form("STOP", sid="SM" + "d" * 32)
    twilio_webhook.post(client, stop)
    twilio_webhook.send(client, "START")

    again = twilio_webhook.post(client, stop)  # Twilio retrying the old STOP

    assert twilio_webhook.reply(again) == commands.STOP_REPLY
    assert _count(app, SmsOptOut) == 0


def test_same_sid_from_another_provider_is_another_message(app, client, twilio_webhook):
    from mubayiro.common.deps import Transactions
    from mubayiro.notifications.inbound.service import inbound_service

    sid = "SM" + "e" * 32
    twilio_webhook.post(client, twilio_webhook.form("HELP", sid=sid))
    reply = inbound_service.receive(
        Transactions(app.state.database), provider="aggregator", provider_message_id=sid,
        from_phone=PHONE, text="STOP", loyalty=app.state.loyalty_client,
    )

    assert reply == commands.STOP_REPLY
    assert _count(app, InboundMessage) == 2


def test_replies_do_not_go_through_the_outbox(app, client, twilio_webhook, peers):
    peers.balances[PHONE] = 3
    for text in ("BAL", "HELP", "STOP", "START", "?"):
        twilio_webhook.send(client, text)

    assert _count(app, SmsMessage) == 0

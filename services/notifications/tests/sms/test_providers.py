"""SMS providers: the console log line, and Twilio against a fake Twilio API.

The fake (``fake_twilio`` in conftest) is a real HTTP server on a free loopback port:
the ``twilio`` client makes a real request with its own HTTP stack, and the test
reads back what arrived.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mubayiro.common.logs import JsonFormatter
from mubayiro.common.testing import free_port, wait_until
from mubayiro.notifications.sms.providers import (
    ConsoleSmsProvider,
    PermanentSmsError,
    SmsProvider,
    TemporarySmsError,
    TwilioSmsProvider,
    provider_from_settings,
)

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token"
FROM_NUMBER = "+15005550006"


@pytest.fixture
def twilio(fake_twilio) -> Iterator[TwilioSmsProvider]:
    """A Twilio provider pointed at the fake."""
    provider = TwilioSmsProvider(
        ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, api_base_url=fake_twilio.url, timeout=5
    )
    yield provider
    provider.close()


def _the_one_message(fake_twilio, body: str) -> dict:
    """The only request Twilio received: a message from our number to +263771234567."""
    [request] = fake_twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request["form"] == {"To": "+263771234567", "From": FROM_NUMBER, "Body": body}
    return request


def test_twilio_send_posts_to_from_body_and_returns_the_sid(twilio, fake_twilio):
    sid = twilio.send("+263771234567", "You earned 25 points at Mbare. Balance: 140.")

    assert sid == "SM" + "f" * 32
    request = _the_one_message(fake_twilio, "You earned 25 points at Mbare. Balance: 140.")
    expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request["authorization"] == f"Basic {expected}"


def test_twilio_invalid_number_is_a_permanent_error(twilio, fake_twilio):
    fake_twilio.status = 400
    fake_twilio.answer = {"code": 21211, "message": "The 'To' number is not a valid phone number.",
                          "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}

    with pytest.raises(PermanentSmsError) as caught:
        twilio.send("+263771234567", "hello")

    assert "21211" in caught.value.reason
    assert "not a valid phone number" in caught.value.reason


@pytest.mark.parametrize("status", [500, 502, 503, 429, 401])
def test_twilio_outage_throttling_and_bad_credentials_are_temporary(
    twilio, fake_twilio, status
):
    fake_twilio.status = status
    fake_twilio.answer = {"code": 20500 if status >= 500 else 20429, "message": "try later",
                          "status": status}

    with pytest.raises(TemporarySmsError) as caught:
        twilio.send("+263771234567", "hello")

    assert f"HTTP {status}" in caught.value.reason


def test_twilio_unreachable_is_a_temporary_error():
    provider = TwilioSmsProvider(
        ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, api_base_url=f"http://127.0.0.1:{free_port()}",
        timeout=2,
    )
    try:
        with pytest.raises(TemporarySmsError) as caught:
            provider.send("+263771234567", "hello")
    finally:
        provider.close()

    assert "unreachable" in caught.value.reason


def test_twilio_defaults_to_the_real_api():
    provider = TwilioSmsProvider(ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER)

    assert provider.api_base_url == "https://api.twilio.com"
    provider.close()


def test_console_provider_logs_the_sms_as_a_json_line(caplog):
    provider = ConsoleSmsProvider()

    with caplog.at_level(logging.INFO, logger="mubayiro.notifications.sms.providers"):
        message_id = provider.send("+263771234567", "hello there")

    assert message_id.startswith("console-")
    [record] = caplog.records
    line = json.loads(JsonFormatter("notifications").format(record))
    assert line["sms_to"] == "+263771234567"
    assert line["sms_body"] == "hello there"
    assert line["provider_message_id"] == message_id


def test_providers_satisfy_the_protocol(twilio):
    assert isinstance(ConsoleSmsProvider(), SmsProvider)
    assert isinstance(twilio, SmsProvider)


def test_provider_from_settings_builds_twilio_with_the_base_url(make_settings, fake_twilio):
    settings = make_settings(
        sms_provider="auto", twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
        twilio_from_number=FROM_NUMBER, twilio_api_base_url=fake_twilio.url + "/",
    )

    provider = provider_from_settings(settings)

    assert isinstance(provider, TwilioSmsProvider)
    assert provider.api_base_url == fake_twilio.url
    provider.close()


def test_app_with_twilio_settings_sends_points_sms_through_twilio(
    app_factory, fake_twilio, service_headers, points_event, sms_rows
):
    app = app_factory(
        sms_provider="auto",
        twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
        twilio_from_number=FROM_NUMBER, twilio_api_base_url=fake_twilio.url,
    )
    with TestClient(app) as client:
        client.post("/internal/events", json=points_event(), headers=service_headers)

        [sms] = wait_until(
            lambda: [m for m in sms_rows(app) if m.status == "sent"], message="sms sent"
        )

    assert sms.provider == "twilio"
    assert sms.provider_message_id == "SM" + "f" * 32
    _the_one_message(fake_twilio, "You earned 25 points at Mbare Fresh Grocers. Balance: 140.")


def test_with_twilio_stop_blocks_points_sms_but_not_the_sign_in_code(
    app_factory, twilio_settings, fake_twilio, twilio_webhook, service_headers, points_event,
    otp_event, sms_rows,
):
    app = app_factory(**twilio_settings)
    with TestClient(app) as client:
        assert twilio_webhook.send(client, "STOP").status_code == 200
        client.post("/internal/events", json=points_event(), headers=service_headers)
        client.post("/internal/events", json=otp_event(code="551204"), headers=service_headers)

        wait_until(lambda: any(m.status == "sent" for m in sms_rows(app)), message="otp sent")

    assert [(m.kind, m.status) for m in sms_rows(app)] == [
        ("points_earned", "skipped"), ("otp_code", "sent")]
    [request] = fake_twilio.requests
    assert request["form"] == {
        "To": "+263771234567",
        "From": FROM_NUMBER,
        "Body": "Your Mubayiro code is 551204. It expires in 5 minutes. Never share it.",
    }

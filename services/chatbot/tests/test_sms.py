"""Chat by SMS: the chatbot's ``POST /internal/chat/sms`` (only the SMS channel's service
token; the customer token for the sender's phone comes from the real auth app), and the
whole path from notifications' real inbound webhook through the real chatbot, MCP,
loyalty and auth apps back to the TwiML reply."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.main import create_app as create_notifications
from mubayiro.notifications.sms.texts import fits_one_sms, is_gsm

ALICE = "+263771111111"
BOB = "+263772222222"
CHATBOT_HOST = "chatbot.test"


def _sms(chatbot, coalition, message, phone=ALICE, client_id="notifications"):
    return chatbot.post("/internal/chat/sms", json={"phone_number": phone, "message": message},
                        headers=coalition.service(client_id))


def test_an_sms_chat_is_answered_for_the_senders_phone(chatbot, coalition):
    resp = _sms(chatbot, coalition, "how many points do i have", phone="0771111111")

    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "reply": "You have 40 points. You can already redeem Free coffee at Mazoe Cafe "
                 "(30 points).",
        "tools_used": ["get_customer_points"]}


def test_the_senders_token_comes_from_auth_and_is_short_lived(chatbot, coalition, auth):
    calls_before = len(coalition.peers.calls)
    _sms(chatbot, coalition, "my points")

    asked = [c for c in coalition.peers.calls[calls_before:]
             if c[1] == "/internal/customer_tokens"]
    assert len(asked) == 1
    assert asked[0][0] == "auth.test"


@pytest.mark.parametrize("message", ["Show my recent transactions.", "help", "Hi",
                                     "What are the latest offers from Mazoe Cafe?",
                                     "nonsense words here"])
def test_sms_replies_fit_one_gsm_sms(chatbot, coalition, message):
    reply = _sms(chatbot, coalition, message).json()["reply"]

    assert is_gsm(reply) and fits_one_sms(reply), reply


def test_a_number_in_the_sms_never_reveals_another_balance(chatbot, coalition):
    reply = _sms(chatbot, coalition, "How many points does +263772222222 have?").json()["reply"]

    assert reply == "I can only share information about your own phone number."


def test_without_a_token_the_sms_route_is_401(chatbot):
    resp = chatbot.post("/internal/chat/sms", json={"phone_number": ALICE, "message": "bal"})

    assert resp.status_code == 401


def test_a_customer_token_cannot_speak_for_a_phone(chatbot, coalition):
    resp = chatbot.post("/internal/chat/sms", json={"phone_number": BOB, "message": "points"},
                        headers=coalition.as_customer(ALICE))

    # The customer token is for the public API: it is not even a valid internal token.
    assert resp.status_code in (401, 403)
    assert "500" not in resp.text


def test_a_business_token_cannot_speak_for_a_phone(chatbot, coalition):
    resp = chatbot.post("/internal/chat/sms", json={"phone_number": BOB, "message": "points"},
                        headers=coalition.as_business(2))

    assert resp.status_code in (401, 403)


def test_only_the_sms_channel_may_hand_over_a_chat(chatbot, coalition):
    resp = _sms(chatbot, coalition, "points", phone=BOB, client_id="loyalty")

    assert resp.status_code == 403
    assert resp.json()["error"] == "SmsChatNotAllowed"


@pytest.mark.parametrize("body", [{"phone_number": "12", "message": "hi"},
                                  {"phone_number": ALICE, "message": ""},
                                  {"phone_number": ALICE, "message": "x" * 501},
                                  {"message": "hi"}])
def test_bad_sms_chats_are_422(chatbot, coalition, body):
    resp = chatbot.post("/internal/chat/sms", json=body, headers=coalition.service("notifications"))

    assert resp.status_code == 422


def test_auth_refusing_the_customer_token_is_an_upstream_error(make_chatbot, coalition):
    # Auth gives customer tokens to the "chatbot" client only: under another client id
    # this chatbot is refused, and says so in the platform's shape (not a 500).
    bot = make_chatbot(service_client_id="mcp")

    resp = _sms(bot, coalition, "points")

    assert resp.status_code == 502
    assert resp.json()["error"] == "UpstreamError"


@pytest.fixture
def notifications(coalition, chatbot, keys, tmp_path):
    """The real notifications app (console SMS) whose chatbot is the real chatbot app."""
    coalition.peers.apps[CHATBOT_HOST] = chatbot
    app = create_notifications(
        NotificationsSettings(
            _env_file=None, environment="test", log_level="WARNING",
            data_dir=tmp_path / "notifications", sms_provider="console",
            auth_url="http://auth.test", loyalty_url="http://loyalty.test",
            chatbot_url=f"http://{CHATBOT_HOST}"),
        token_verifier=keys.verifier(), peer_transport=coalition.peers)
    with TestClient(app) as client:
        yield client


def _texted(notifications, body, phone="0771111111", sid="SM1"):
    resp = notifications.post("/sms/inbound", data={"From": phone, "Body": body,
                                                    "MessageSid": sid})
    assert resp.status_code == 200, resp.text
    found = re.search(r"<Message>(.*)</Message>", resp.text, re.S)
    assert found, resp.text
    return unescape(found.group(1))


def test_an_sms_question_gets_the_balance_back_as_sms(notifications):
    reply = _texted(notifications, "how many points do i have")

    assert reply == ("You have 40 points. You can already redeem Free coffee at Mazoe Cafe "
                     "(30 points).")


def test_sms_chat_in_shona(notifications):
    assert _texted(notifications, "Ndine mapoints mangani?").startswith("You have 40 points.")


def test_sms_chat_never_reveals_another_balance(notifications):
    reply = _texted(notifications, "how many points does 0772222222 have")

    assert reply == "I can only share information about your own phone number."


def test_commands_still_go_to_the_commands(notifications, coalition):
    calls_before = len(coalition.peers.calls)

    reply = _texted(notifications, "HELP")

    assert reply.startswith("Mubayiro SMS commands:")
    assert not [c for c in coalition.peers.calls[calls_before:] if c[0] == CHATBOT_HOST]

"""Chat by SMS, notifications' side: a text that is not a command goes to the chatbot's
``/internal/chat/sms`` with this service's token and the sender's phone, and the answer
goes back as the reply, folded into GSM 03.38 and capped at three parts; without a
chatbot, or when it fails, the customer gets the short help.

The chatbot answering for real (its app, MCP, loyalty and auth) is tested in
``services/chatbot/tests/test_sms.py``; here it is ``httpx.MockTransport`` to script the
faults (down, timeouts, refusals, strange answers) and to see exactly what is sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.notifications.inbound import commands
from mubayiro.notifications.inbound.chat import CHAT_UNAVAILABLE_REPLY, fit_for_sms
from mubayiro.notifications.main import create_app
from mubayiro.notifications.models import InboundMessage
from mubayiro.notifications.sms.texts import is_gsm, sms_length

PHONE = "+263771234567"
CHATBOT_URL = "http://chatbot.test"

Script = Callable[[httpx.Request], httpx.Response]


class Chatbot:
    """The chatbot's internal route as notifications meets it, scripted per test."""

    def __init__(self):
        self.requests: list[httpx.Request] = []
        self.answer: Script = lambda request: httpx.Response(
            200, json={"reply": "You have 40 points.", "tools_used": ["get_customer_points"]})


@pytest.fixture
def chatbot() -> Chatbot:
    return Chatbot()


@pytest.fixture
def texted(make_settings, keys, peers, chatbot):
    """``texted(body, sid=..., **settings)`` → the TwiML reply's text, on an app whose
    chatbot is the scripted one (console provider: development webhooks are unsigned)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if f"{request.url.scheme}://{request.url.host}" == CHATBOT_URL:
            chatbot.requests.append(request)
            return chatbot.answer(request)
        return peers.handler(request)

    clients: dict[str, TestClient] = {}

    def send(body: str, sid: str = "SM1", **overrides) -> str:
        key = json.dumps(overrides, sort_keys=True)
        if key not in clients:
            settings = make_settings(**{"chatbot_url": CHATBOT_URL, **overrides})
            app = create_app(settings, token_verifier=keys.verifier(),
                             peer_transport=httpx.MockTransport(handler))
            clients[key] = TestClient(app).__enter__()
        resp = clients[key].post("/sms/inbound", data={"From": "0771234567", "Body": body,
                                                       "MessageSid": sid})
        assert resp.status_code == 200, resp.text
        found = re.search(r"<Message>(.*)</Message>", resp.text, re.S)
        assert found, resp.text
        return unescape(found.group(1))

    send.clients = clients  # type: ignore[attr-defined]
    yield send
    for client in clients.values():
        client.__exit__(None, None, None)


def test_a_question_goes_to_the_chatbot_with_our_token_and_the_senders_phone(
        texted, chatbot, keys):
    reply = texted("how many points do I have?")

    assert reply == "You have 40 points."
    [request] = chatbot.requests
    assert request.method == "POST" and request.url.path == "/internal/chat/sms"
    assert json.loads(request.content) == {"phone_number": PHONE,
                                           "message": "how many points do I have?"}
    token = request.headers["authorization"].removeprefix("Bearer ")
    assert keys.verifier().verify(token, audience="mubayiro-internal").client_id == \
        "notifications"


@pytest.mark.parametrize("text", ["BAL", "help", "Stop", "START", "quit", " b a l "])
def test_commands_never_go_to_the_chatbot(texted, chatbot, peers, text):
    peers.balances[PHONE] = 5

    texted(text)

    assert chatbot.requests == []


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_text_gets_the_short_help_without_asking(texted, chatbot, text):
    assert texted(text) == commands.UNKNOWN_COMMAND_REPLY
    assert chatbot.requests == []


def test_without_a_chatbot_any_other_text_gets_the_short_help(texted, chatbot):
    assert texted("how many points do I have?", chatbot_url="") == \
        commands.UNKNOWN_COMMAND_REPLY
    assert chatbot.requests == []


def _down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("chatbot is down", request=request)


def _slow(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("chatbot is slow", request=request)


@pytest.mark.parametrize("answer", [
    _down,
    _slow,
    lambda r: httpx.Response(500, json={"detail": "boom", "error": "InternalError"}),
    lambda r: httpx.Response(503, json={"detail": "mcp", "error": "McpUnavailable"}),
    lambda r: httpx.Response(403, json={"detail": "no", "error": "SmsChatNotAllowed"}),
    lambda r: httpx.Response(422, json={"detail": "too long", "error": "MessageTooLong"}),
    lambda r: httpx.Response(200, content=b"<html>not json</html>"),
    lambda r: httpx.Response(200, json={"answer": "wrong shape"}),
    lambda r: httpx.Response(200, json={"reply": ""}),
], ids=["down", "timeout", "500", "503", "403", "422", "not-json", "shape", "empty"])
def test_a_failing_chatbot_gets_a_polite_help_reply(texted, chatbot, answer):
    chatbot.answer = answer

    reply = texted("what are the offers at Mazoe Cafe")

    assert reply == CHAT_UNAVAILABLE_REPLY
    assert len(chatbot.requests) == 1  # no retry: a chat turn is not idempotent


def test_a_redelivered_question_is_answered_once(texted, chatbot):
    first = texted("my points", sid="SM77")
    again = texted("my points", sid="SM77")

    assert first == again == "You have 40 points."
    assert len(chatbot.requests) == 1


def test_the_chat_is_recorded_like_any_inbound_sms(texted):
    texted("my points", sid="SM9")
    [client] = texted.clients.values()

    with client.app.state.database.session(write=False) as session:
        row = session.scalars(select(InboundMessage)).one()
    assert (row.from_number, row.body, row.reply) == (PHONE, "my points", "You have 40 points.")


def test_a_long_answer_is_one_concatenated_sms_in_gsm(texted, chatbot):
    long = "Mazoe Cafe\u2019s offers \u2014 " + ", ".join(f"Reward {i} (30 points)"
                                                       for i in range(40)) + "."
    chatbot.answer = lambda r: httpx.Response(200, json={"reply": long, "tools_used": []})

    reply = texted("offers from mazoe")

    assert reply.startswith("Mazoe Cafe's offers - Reward 0 (30 points), Reward 1")
    assert reply.endswith("...")
    assert is_gsm(reply)
    assert 160 < sms_length(reply) <= 3 * 153


def test_fit_for_sms_keeps_short_gsm_text_as_it_is():
    assert fit_for_sms("You have 1,234 points.") == "You have 1,234 points."


def test_fit_for_sms_folds_look_alikes_into_gsm():
    assert fit_for_sms("\u201cFree coffee\u201d \u2013 30 points\u2026") == \
        '"Free coffee" - 30 points...'


def test_fit_for_sms_caps_text_outside_gsm_at_three_ucs2_parts():
    text = "Zvakanaka \U0001f372 " * 40

    fitted = fit_for_sms(text)

    assert fitted.endswith("...")
    assert sms_length(fitted) <= 3 * 67


def test_fit_for_sms_cuts_inside_one_enormous_word():
    fitted = fit_for_sms("x" * 2000)

    assert fitted.endswith("...") and sms_length(fitted) <= 3 * 153

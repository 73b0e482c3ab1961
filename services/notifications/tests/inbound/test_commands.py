"""The channel-independent SMS commands: BALANCE/BAL/POINTS, HELP, STOP, START, help.

``handle_inbound`` is called directly here, with loyalty and auth faked by
``httpx.MockTransport`` (fixture ``peers``); the Twilio adapter is tested in
``test_endpoints.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from mubayiro.common.db import Database
from mubayiro.common.tokens import ServiceTokenProvider
from mubayiro.notifications.clients.loyalty import LoyaltyClient, NextExpiry
from mubayiro.notifications.inbound import commands
from mubayiro.notifications.inbound.commands import command_word, handle_inbound
from mubayiro.notifications.models import SmsOptOut
from mubayiro.notifications.sms.texts import is_gsm, sms_length

PHONE = "+263771234567"
ALL_REPLIES = [
    commands.HELP_REPLY, commands.UNKNOWN_COMMAND_REPLY, commands.STOP_REPLY,
    commands.START_REPLY, commands.UNKNOWN_CUSTOMER_REPLY,
    commands.BALANCE_UNAVAILABLE_REPLY, commands.INVALID_SENDER_REPLY,
]


@pytest.fixture
def loyalty(peers) -> Iterator[LoyaltyClient]:
    """A loyalty client on the fake peers, authenticated like the app's."""
    transport = httpx.MockTransport(peers.handler)
    http = httpx.Client(transport=transport)
    tokens = ServiceTokenProvider(token_url="http://auth.test/auth/token",
                                  client_id="notifications",
                                  client_secret="dev-secret-notifications", http=http)
    client = LoyaltyClient("http://loyalty.test", token_provider=tokens, timeout=1,
                           retries=1, backoff_seconds=0.001, transport=transport)
    yield client
    client.close()
    http.close()


def _text(database: Database, loyalty: LoyaltyClient, text: str, phone: str = PHONE) -> str:
    with database.session() as session:
        return handle_inbound(session, from_phone=phone, text=text, loyalty=loyalty)


def _opted_out(database: Database) -> list[str]:
    with database.session(write=False) as session:
        return list(session.scalars(select(SmsOptOut.phone_number)))


@pytest.mark.parametrize("text", ["BALANCE", "balance", "BAL", " bal ", "Bal.", "Points",
                                  "POINTS", "points\n", "b a l", "ＢＡＬ"])
def test_balance_words_in_any_case_and_spacing_ask_loyalty(database, loyalty, peers, text):
    peers.balances[PHONE] = 1240

    reply = _text(database, loyalty, text)

    assert reply == ("You have 1,240 Mubayiro points, good at every Mubayiro business. "
                     "Reply HELP for commands.")
    assert peers.balance_calls == [PHONE]


def test_balance_says_which_points_expire_next(database, loyalty, peers):
    peers.balances[PHONE] = 1240
    soon = datetime.now(UTC).date() + timedelta(days=20)
    peers.expiries[PHONE] = {"points": 40, "date": soon.isoformat()}

    reply = _text(database, loyalty, "BAL")

    assert reply == ("You have 1,240 Mubayiro points, good at every Mubayiro business. "
                     f"40 points expire on {soon.day} {soon:%b}. Reply HELP for commands.")
    assert is_gsm(reply) and sms_length(reply) <= 160


def test_balance_of_one_point_is_singular(database, loyalty, peers):
    peers.balances[PHONE] = 1

    assert _text(database, loyalty, "BAL").startswith("You have 1 Mubayiro point,")


def test_balance_of_zero_points(database, loyalty, peers):
    peers.balances[PHONE] = 0

    assert _text(database, loyalty, "BAL").startswith("You have 0 Mubayiro points,")


def test_balance_for_an_unknown_phone_is_polite(database, loyalty, peers):
    reply = _text(database, loyalty, "BALANCE")

    assert reply == ("We don't have points for this number yet. "
                     "Shop at any Mubayiro business to start earning.")
    assert peers.balance_calls == [PHONE]


def test_balance_when_loyalty_is_down_says_try_later(database, loyalty, peers):
    peers.loyalty_down = True

    reply = _text(database, loyalty, "BALANCE")

    assert reply == commands.BALANCE_UNAVAILABLE_REPLY
    assert "try again later" in reply
    assert len(peers.balance_calls) == 2  # one retry for a lookup, then give up


@pytest.mark.parametrize("status", [500, 502, 503, 403, 422])
def test_balance_when_loyalty_fails_says_try_later(database, loyalty, peers, status):
    peers.balances[PHONE] = 10
    peers.loyalty_status = status

    assert _text(database, loyalty, "BAL") == commands.BALANCE_UNAVAILABLE_REPLY


def _balance_through(database, handler, *, secret: str) -> str:
    """The reply to ``BAL`` with every peer call (auth's token, loyalty) going to ``handler``."""
    transport = httpx.MockTransport(handler)
    http = httpx.Client(transport=transport)
    tokens = ServiceTokenProvider(token_url="http://auth.test/auth/token",
                                  client_id="notifications", client_secret=secret, http=http)
    client = LoyaltyClient("http://loyalty.test", token_provider=tokens, transport=transport)
    try:
        return _text(database, client, "BAL")
    finally:
        client.close()
        http.close()


def test_balance_when_auth_refuses_our_token_says_try_later(database, peers):
    def no_auth(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.test":
            return httpx.Response(401, json={"detail": "bad client", "error": "InvalidClient"})
        return peers.handler(request)

    assert _balance_through(database, no_auth, secret="wrong") == (
        commands.BALANCE_UNAVAILABLE_REPLY)
    assert peers.balance_calls == []


@pytest.mark.parametrize("answer", [
    {"phone_number": "+263771234567"},
    {"phone_number": "+263771234567", "total_points": -5},
    {"phone_number": "+263779999999", "total_points": 5},
    ["not", "an", "object"],
])
def test_balance_with_a_strange_answer_says_try_later(database, answer):
    def odd(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.test":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 900})
        return httpx.Response(200, json=answer)

    assert _balance_through(database, odd, secret="s") == commands.BALANCE_UNAVAILABLE_REPLY


@pytest.mark.parametrize("text", ["HELP", "help", " Help ", "help?"])
def test_help_lists_the_commands(database, loyalty, peers, text):
    reply = _text(database, loyalty, text)

    assert reply == commands.HELP_REPLY
    for word in ("BAL", "STOP", "START", "HELP"):
        assert word in reply
    assert peers.balance_calls == []


@pytest.mark.parametrize("text", ["STOP", "stop", " Stop ", "STOP.", "unsubscribe", "Cancel",
                                  "END", "quit", "stop all"])
def test_stop_words_opt_out_and_mention_start(database, loyalty, text):
    reply = _text(database, loyalty, text)

    assert reply == commands.STOP_REPLY
    assert "START" in reply
    assert _opted_out(database) == [PHONE]


@pytest.mark.parametrize("text", ["START", "start", " Start ", "unstop"])
def test_start_words_opt_back_in(database, loyalty, text):
    _text(database, loyalty, "STOP")

    reply = _text(database, loyalty, text)

    assert reply == commands.START_REPLY
    assert _opted_out(database) == []


def test_stop_then_start(database, loyalty):
    assert _text(database, loyalty, "stop") == commands.STOP_REPLY
    assert _opted_out(database) == [PHONE]

    assert _text(database, loyalty, "start") == commands.START_REPLY
    assert _opted_out(database) == []


@pytest.mark.parametrize("text", ["", "   ", "hello", "what is my balance", "STOPP", "BALANCES",
                                  "🍲", "x" * 1600, "BAL BAL"])
def test_anything_else_gets_the_short_help(database, loyalty, peers, text):
    reply = _text(database, loyalty, text)

    assert reply == commands.UNKNOWN_COMMAND_REPLY
    assert "HELP" in reply
    assert peers.balance_calls == []
    assert _opted_out(database) == []


@pytest.mark.parametrize("reply", ALL_REPLIES)
def test_every_fixed_reply_fits_one_gsm_sms(reply):
    assert is_gsm(reply)
    assert sms_length(reply) <= 160


@pytest.mark.parametrize("total", [0, 1, 999, 10_000_000, 10**15])
def test_every_balance_reply_fits_one_gsm_sms(total):
    far = NextExpiry(points=max(total, 1), date=date(2036, 12, 31))
    reply = commands.balance_reply(total, far)

    assert is_gsm(reply)
    assert sms_length(reply) <= 160


def test_command_word_ignores_case_spaces_and_punctuation():
    assert command_word("  b-a_l!\n") == "BAL"
    assert command_word("Points.") == "POINTS"

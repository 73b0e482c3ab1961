"""The embedded intent parser: 40+ everyday phrasings (English, Shona, typos) each mapped
to the right intent, the business name extracted for offers, and a phone number in the
message extracted as the subject (which MCP then refuses unless it is the caller's)."""

from __future__ import annotations

import pytest

from mubayiro.chatbot.intents import parse

PHRASINGS = [
    ("How many points do I have?", "balance"),
    ("What's my balance", "balance"),
    ("my points", "balance"),
    ("points?", "balance"),
    ("check my pionts please", "balance"),
    ("balence", "balance"),
    ("How many points have I earned", "balance"),
    ("Ndine mapoints mangani?", "balance"),
    ("ndine mapointi mangani", "balance"),
    ("Ndine marii?", "balance"),
    ("Show my recent transactions.", "transactions"),
    ("show my transactons", "transactions"),
    ("my history", "transactions"),
    ("What did I buy?", "transactions"),
    ("recent purchases", "transactions"),
    ("Ndiratidzewo zvandakatenga", "transactions"),
    ("nhoroondo yangu", "transactions"),
    ("statement please", "transactions"),
    ("What are the latest offers from Mazoe Cafe?", "offers"),
    ("offers from mazoe cafee", "offers"),
    ("any deals at Harare Butchery?", "offers"),
    ("specials at chicken inn", "offers"),
    ("What does Mazoe Cafe offer?", "offers"),
    ("rewards at Harare Butchery", "offers"),
    ("zvipo zve Mazoe Cafe", "offers"),
    ("Any recommendations?", "recommendations"),
    ("what do you recommend", "recommendations"),
    ("suggest something", "recommendations"),
    ("reccomendations", "recommendations"),
    ("Mazano?", "recommendations"),
    ("What can I get with my points?", "affordable"),
    ("what can i redeem", "affordable"),
    ("Which rewards can I afford now?", "affordable"),
    ("Ndingatora chii nemapoints angu?", "affordable"),
    ("help", "help"),
    ("What can you do?", "help"),
    ("Ndibatsirei", "help"),
    ("rubatsiro", "help"),
    ("Hi", "greeting"),
    ("hello there", "greeting"),
    ("Mhoro", "greeting"),
    ("Mhoroi, makadii?", "greeting"),
    ("Good morning", "greeting"),
    ("asdfgh", "unknown"),
    ("the weather is nice", "unknown"),
]


@pytest.mark.parametrize(("message", "kind"), PHRASINGS)
def test_phrasing_maps_to_intent(message, kind):
    assert parse(message).kind == kind


def test_the_table_is_long_enough():
    assert len(PHRASINGS) >= 40


@pytest.mark.parametrize(("message", "name"), [
    ("What are the latest offers from Mazoe Cafe?", "mazoe cafe"),
    ("offers from mazoe cafee", "mazoe cafee"),
    ("any deals at Harare Butchery?", "harare butchery"),
    ("What does Chicken Inn offer?", "chicken inn"),
    ("zvipo zve Mazoe Cafe", "mazoe cafe"),
])
def test_offers_extract_the_business_name(message, name):
    assert parse(message).business_name == name


@pytest.mark.parametrize("message", ["How many points does +263772222222 have?",
                                     "balance of 0772 222 222"])
def test_a_phone_number_in_the_message_is_the_subject(message):
    intent = parse(message)

    assert intent.kind == "balance"
    assert intent.phone_number in {"+263772222222", "0772222222"}

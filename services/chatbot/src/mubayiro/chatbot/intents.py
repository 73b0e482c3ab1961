"""The embedded intent parser: what a customer's message asks for, without a model or
the network, in English and in Shona for the common phrasings.

How it works: the message is lower-cased and split into words; each intent has cue
words and phrases, and a word matches a cue when it is the cue or — for words of five
letters or more — within a small edit distance of it (rapidfuzz's ``ratio`` ≥ 80, so
"pionts", "balence" or "transactons" still count). Intents are tried in a fixed order, most
specific first (offers, which also extracts the business name, before balance), and the
first that matches wins. A phone number in the message is extracted as the subject
(the MCP server refuses any number but the customer's own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

IntentKind = Literal[
    "offers", "transactions", "affordable", "recommendations", "balance", "help", "greeting",
    "unknown",
]

_PHONE = re.compile(r"(\+?\d[\d\s-]{7,16}\d)")
_WORD = re.compile(r"[a-z0-9']+")

#: Words that introduce a business name: "offers from X", "deals at X", "ku X" (Shona).
_NAME_MARKERS = ("from", "at", "by", "for", "of", "ku", "kwa", "pa", "ze", "zve", "ve", "zvekwa",
                 "zvepa", "vekwa")
_OFFERS = re.compile(
    r"\b(?:offers?|deals?|specials?|promotions?|promos?|discounts?|rewards?|zvipo|zvirimo)\b"
    r"(?:\s+(?:are|is|do|does|does|now|right now|available|currently|latest|current|"
    r"new|on offer|there))*\s+(?:" + "|".join(_NAME_MARKERS) + r")\s+(?P<name>.+)$"
)
_OFFERS_VERB = re.compile(
    r"\bwhat\s+(?:does|do|is|are)\s+(?P<name>.+?)\s+(?:offer|offering|have on offer|giving)\b"
)

_CUES: dict[str, tuple[str, ...]] = {
    "transactions": (
        "transactions", "transaction", "history", "statement", "purchases", "purchased",
        "bought", "spent", "activity", "recent", "zvandakatenga", "zvandatenga",
        "nhoroondo",
    ),
    "affordable": (
        "afford", "redeem", "redeemable", "claim", "ndingatora", "ndingawana",
        "ndingatenge", "unlock",
    ),
    "recommendations": (
        "recommend", "recommendation", "recommendations", "suggest", "suggestion",
        "suggestions", "tips", "kurudziro", "mazano", "ndikurudzire",
    ),
    "balance": (
        "points", "point", "balance", "mapoints", "mapointi", "mangani", "bal", "pointi",
        "score", "earned",
    ),
    "help": ("help", "rubatsiro", "batsira", "ndibatsirei", "commands", "menu"),
    "greeting": (
        "hi", "hello", "hey", "hie", "morning", "afternoon", "evening", "mhoro", "mhoroi",
        "makadii", "manheru", "masikati", "mangwanani", "howzit",
    ),
}
#: Phrases (checked on the whole normalized text) that settle an intent on their own.
_PHRASES: dict[str, tuple[str, ...]] = {
    "affordable": ("what can i get", "can i get with", "what can i buy with",
                   "rewards can i", "enough points for", "what can i redeem"),
    "help": ("what can you do", "how does this work", "how do you work"),
    "transactions": ("what did i buy", "where did i shop", "last visits", "my visits"),
    "balance": ("how many", "ndine marii", "ndine zvingani"),
}
_ORDER: tuple[IntentKind, ...] = (
    "affordable", "transactions", "recommendations", "balance", "help", "greeting",
)


@dataclass(frozen=True)
class Intent:
    """What a message asks for."""

    kind: IntentKind
    business_name: str | None = None
    phone_number: str | None = None


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _matches(word: str, cue: str) -> bool:
    if word == cue:
        return True
    if len(cue) < 5 or len(word) < 4:
        return False
    return fuzz.ratio(word, cue) >= 80


def _has_cue(words: list[str], kind: str) -> bool:
    return any(_matches(w, cue) for w in words for cue in _CUES.get(kind, ()))


def _clean_name(name: str) -> str:
    name = re.sub(r"[?!.,]+$", "", name.strip())
    name = re.sub(r"\b(please|pls|plz|today|now|right now|this week)$", "", name).strip()
    return name.strip(" '\"")


def parse(message: str) -> Intent:
    """The intent of ``message`` (``unknown`` when nothing matches)."""
    text = " ".join(message.lower().split())
    phone_match = _PHONE.search(text)
    phone = re.sub(r"[\s-]", "", phone_match.group(1)) if phone_match else None
    bare = text[: phone_match.start()] + text[phone_match.end():] if phone_match else text
    stripped = re.sub(r"[?!.,]+", " ", bare).strip()
    for pattern in (_OFFERS, _OFFERS_VERB):
        found = pattern.search(stripped)
        if found:
            name = _clean_name(found.group("name"))
            if name and name not in {"me", "you", "us", "them", "it"}:
                return Intent("offers", business_name=name, phone_number=phone)
    words = _words(stripped)
    for kind in _ORDER:
        if any(p in stripped for p in _PHRASES.get(kind, ())) or _has_cue(words, kind):
            return Intent(kind, phone_number=phone)
    return Intent("unknown", phone_number=phone)

"""Friendly sentences from tool results (numbers formatted: ``1,234 points``).

``short=True`` words the reply for one SMS (160 GSM-7 characters where possible).
"""

from __future__ import annotations

from typing import Any

HELP = (
    "I can tell you your points balance, show your recent transactions, list the offers "
    "of a shop (\"offers from Mazoe Cafe\"), suggest rewards you can get now, and share "
    "recommendations. Ask in English or Shona."
)
HELP_SHORT = "Ask: my points, my transactions, offers from <shop>, what can I get, recommendations."
GREETING = "Hello! Mhoro! " + HELP
NOT_YOURS = "I can only share information about your own phone number."
UNAVAILABLE = "Sorry, I can't reach the loyalty records right now. Please try again shortly."


def points(n: int) -> str:
    """``1 point`` / ``1,234 points``."""
    return f"{n:,} point" if n == 1 else f"{n:,} points"


def refusal(error: str) -> str:
    """The reply to a tool error (never repeats data the caller may not see)."""
    if "own phone number" in error:
        return NOT_YOURS
    if "unavailable" in error.lower():
        return UNAVAILABLE
    return "Sorry, I couldn't get that: " + error.split(": ", 1)[-1]


def balance(data: dict[str, Any], *, short: bool = False) -> str:
    """The balance, and what it can already buy."""
    text = f"You have {points(data['total_points'])}."
    rewards = data.get("redeemable_rewards") or []
    if rewards:
        first = rewards[0]
        text += (f" You can already redeem {first['name']} at {first['business_name']} "
                 f"({points(first['points_cost'])}).")
    return text


def transactions(data: dict[str, Any], *, short: bool = False) -> str:
    """The latest transactions, newest first."""
    rows = data.get("transactions") or data.get("recent_transactions") or []
    if not rows:
        return "You have no transactions yet."
    shown = rows[:3] if short else rows[:5]
    parts = []
    for row in shown:
        sign = "+" if row["points"] >= 0 else "-"
        where = row.get("business_name") or "the coalition"
        parts.append(f"{sign}{points(abs(row['points']))} at {where} ({row['timestamp'][:10]})")
    return "Your recent transactions: " + "; ".join(parts) + "."


def offers(data: dict[str, Any], *, short: bool = False) -> str:
    """A business's rewards and partners, or the candidates when the name was unclear."""
    if not data.get("matched"):
        names = [c["name"] for c in data.get("candidates", [])[:3]]
        if names:
            return f"I couldn't find \"{data['query']}\". Did you mean {' or '.join(names)}?"
        return f"I don't know a shop called \"{data['query']}\"."
    business = data["business"]
    rewards = business.get("rewards") or []
    if rewards:
        listed = ", ".join(f"{r['name']} ({points(r['points_cost'])})" for r in rewards[:5])
        text = f"{business['name']} offers: {listed}."
    else:
        text = f"{business['name']} has no rewards on offer right now."
    partners = [p["name"] for p in data.get("partners", [])]
    if partners and not short:
        text += " They also recommend " + ", ".join(partners) + "."
    return text


def affordable(data: dict[str, Any], *, short: bool = False) -> str:
    """The rewards the customer can redeem now."""
    rewards = data.get("redeemable_rewards") or []
    if not rewards:
        return (f"You have {points(data['total_points'])}; not enough for a reward yet. "
                "Keep earning!")
    listed = ", ".join(f"{r['name']} at {r['business_name']} ({points(r['points_cost'])})"
                       for r in rewards[:3])
    return f"With {points(data['total_points'])} you can get: {listed}."


def recommendations(data: dict[str, Any], *, short: bool = False) -> str:
    """The customer's recommendations."""
    items = [r["message"] for r in data.get("recommendations", [])]
    if not items:
        return "No recommendations right now. Keep shopping at your favourite places!"
    return " ".join(items[:1] if short else items[:3])


def fit_sms(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a sentence or word boundary.

    A cut ends with ``...``: the single-character ellipsis is not in the GSM 03.38
    alphabet and would turn the whole SMS into 70-character UCS-2 segments.
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - len(_CUT)]
    for mark in (". ", "; ", ", ", " "):
        at = cut.rfind(mark)
        if at > limit // 2:
            return cut[:at].rstrip(";,. ") + _CUT
    return cut + _CUT


_CUT = "..."

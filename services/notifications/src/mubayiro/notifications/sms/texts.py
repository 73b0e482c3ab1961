"""The texts of the SMS this service sends, each kept within one SMS segment.

An SMS longer than one segment is split and billed per part, and on cheap phones
may arrive out of order. One segment holds 160 characters of the GSM 03.38 alphabet
(characters of its extension table, such as ``€`` or ``[``, take two), but only 70
UTF-16 code units as soon as one character is outside that alphabet (an emoji, a
curly quote, most non-Latin scripts). :func:`segment_limit` and :func:`sms_length`
follow those rules, and a template that includes a name we do not control (a business
name) shortens the name, never the facts around it.
"""

from __future__ import annotations

import re

#: Kinds of SMS (``sms_message.kind``).
KIND_POINTS_EARNED = "points_earned"

_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM_SEGMENT = 160
UCS2_SEGMENT = 70
_ELLIPSIS = "..."  # three GSM characters: "…" would force the 70-character encoding
_SPACES = re.compile(r"\s+")


def is_gsm(text: str) -> bool:
    """True when every character of ``text`` is in the GSM 03.38 alphabet."""
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text)


def _char_cost(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in _GSM_EXTENDED else 1
    return len(ch.encode("utf-16-le")) // 2


def sms_length(text: str) -> int:
    """Length of ``text`` in the units its encoding is counted in (septets or UTF-16)."""
    gsm = is_gsm(text)
    return sum(_char_cost(ch, gsm) for ch in text)


def segment_limit(text: str) -> int:
    """How long ``text`` may be to fit one SMS: 160 in GSM 03.38, else 70."""
    return GSM_SEGMENT if is_gsm(text) else UCS2_SEGMENT


def fits_one_sms(text: str) -> bool:
    """True when ``text`` is sent as a single SMS segment."""
    return sms_length(text) <= segment_limit(text)


def _clip(name: str, budget: int, gsm: bool, marker: str) -> str:
    """The longest prefix of ``name`` plus ``marker`` whose cost is at most ``budget``."""
    room = budget - len(marker)
    if room <= 0:
        return ""
    out: list[str] = []
    used = 0
    for ch in name:
        cost = _char_cost(ch, gsm)
        if used + cost > room:
            break
        out.append(ch)
        used += cost
    return "".join(out).rstrip() + marker


def fill_with_name(template: str, name: str, **values: object) -> str:
    """Format ``template`` with ``name`` shortened so the result fits one SMS.

    ``template`` uses ``{name}`` for the name and ``{...}`` for ``values``. Runs of
    whitespace (new lines included) in the name become one space.
    """
    name = _SPACES.sub(" ", name).strip()
    text = template.format(name=name, **values)
    if fits_one_sms(text):
        return text
    # The encoding is decided by the whole text (a non-GSM name makes it UCS-2, 70).
    gsm = is_gsm(text)
    limit = GSM_SEGMENT if gsm else UCS2_SEGMENT
    fixed = template.format(name="", **values)
    budget = limit - sum(_char_cost(ch, gsm) for ch in fixed)
    # "Gro..." then the template's own full stop would read "Gro...."; borrow its dot.
    after = template.split("{name}", 1)[1]
    marker = _ELLIPSIS[: len(_ELLIPSIS) - min(len(after) - len(after.lstrip(".")), 2)]
    return template.format(name=_clip(name, budget, gsm, marker), **values)


def points_earned_text(*, points: int, business_name: str, total_points: int) -> str:
    """``You earned {points} points at {business_name}. Balance: {total_points}.``"""
    return fill_with_name(
        "You earned {points} points at {name}. Balance: {total_points}.",
        business_name,
        points=points,
        total_points=total_points,
    )
